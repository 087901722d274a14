"""Whether a schema change would break a client that worked against the previous schema.

The previous schema is the checked-in SDL as it was before the change being made: HEAD's when
the working tree's differs from it, else the version before the last commit that changed it.
@graphql-inspector/cli decides what breaks; removing a field that was deprecated first does
not (its rule suppressRemovalOfDeprecatedField), which is the deprecation policy in README
"Descriptions and schema changes".
"""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.node_tools import node_bin

ROOT = Path(__file__).resolve().parents[2]
SDL = "schema/schema.graphql"


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )


def in_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    return _git("rev-parse", "--is-inside-work-tree").stdout.strip() == "true"


def _version(commit: str) -> str | None:
    shown = _git("show", f"{commit}:{SDL}")
    return shown.stdout if shown.returncode == 0 else None


def previous_sdl() -> str | None:
    """The SDL before the current change, or None when the history holds no earlier one."""
    current = (ROOT / SDL).read_text(encoding="utf-8")
    at_head = _version("HEAD")
    if at_head is not None and at_head != current:
        return at_head
    commits = _git("log", "--format=%H", "--", SDL).stdout.split()
    # commits[0] made the current version; the one before it made the previous.
    return _version(commits[1]) if len(commits) > 1 else None


@dataclass(frozen=True)
class Diff:
    breaking: bool
    report: str


def diff(old: str, new: str, folder: Path) -> Diff:
    """graphql-inspector's verdict on going from `old` to `new` (SDL texts)."""
    old_path, new_path = folder / "old.graphql", folder / "new.graphql"
    old_path.write_text(old, encoding="utf-8")
    new_path.write_text(new, encoding="utf-8")
    completed = subprocess.run(
        [
            str(node_bin("graphql-inspector")),
            "diff",
            str(old_path),
            str(new_path),
            "--rule",
            "suppressRemovalOfDeprecatedField",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = completed.stdout + completed.stderr
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"graphql-inspector failed:\n{report}")
    return Diff(breaking=completed.returncode == 1, report=report)
