"""The GraphQL ecosystem's own command-line checks, installed by `.ci/node-tools`.

`.ci/run` installs them (pinned in .ci/node/package-lock.json) into a scratch folder and names
it in EXAMDESK_NODE_TOOLS. Where it is unset (no node on the machine, or a plain `pytest`), the
checks that need them are skipped with the command that would enable them.
"""

import os
import shutil
from pathlib import Path

import pytest

ENABLE = 'export EXAMDESK_NODE_TOOLS="$(bash .ci/node-tools)"'


def node_tools() -> Path:
    """The folder holding node_modules/, or a skip saying how to get it."""
    folder = os.environ.get("EXAMDESK_NODE_TOOLS")
    if not folder:
        pytest.skip(f"EXAMDESK_NODE_TOOLS is not set; to run this check: {ENABLE}")
    if shutil.which("node") is None:
        pytest.skip("node is not installed, so the GraphQL ecosystem checks cannot run")
    path = Path(folder)
    if not (path / "node_modules").is_dir():
        pytest.fail(f"EXAMDESK_NODE_TOOLS={folder} holds no node_modules; run: {ENABLE}")
    return path


def node_bin(name: str) -> Path:
    """An installed tool's command, e.g. node_bin("graphql-inspector")."""
    return node_tools() / "node_modules" / ".bin" / name
