"""The repository is ruff clean and ruff formatted (the settings are in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"ruff check found problems (fix them, or run `.venv/bin/ruff check --fix .`):\n"
        f"{result.stdout}{result.stderr}"
    )


def test_ruff_format_is_applied() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"ruff format would change these files (run `.venv/bin/ruff format .`):\n"
        f"{result.stdout}{result.stderr}"
    )
