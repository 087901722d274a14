"""The rules as a table (policies/policy_table.py): `examdesk policy-table` prints it, the README's
roles section holds it between its markers, and both must say what policy.csv says."""

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

from policies.policy_table import END, RELATIONS, ROLES, START, policy_table, render_markdown

README = Path(__file__).resolve().parents[2] / "README.md"
SCOPES = {"org": {"self", "parent"}, "own": {"self"}, "board": {"board"}}


def readme_section(text: str) -> str:
    """The README's text from the start marker to the end marker's line, inclusive."""
    start = text.index(START)
    end = text.index(END, start) + len(END) + 1
    return text[start:end]


def test_the_readme_holds_the_table_the_command_prints() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "examdesk.cli", "policy-table"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert printed == render_markdown()
    assert readme_section(README.read_text(encoding="utf-8")) == printed, (
        "README.md's roles table differs from the policy files: run `examdesk policy-table` "
        "and paste its output between the policy-table markers."
    )


def test_the_comparison_sees_a_changed_cell() -> None:
    section = render_markdown()
    edited = section.replace("| `series` | manage |", "| `series` | manage | self", 1)
    assert edited != section
    assert readme_section(f"intro\n{edited}outro\n") != section


def test_every_policy_line_shows_in_the_table() -> None:
    """Read straight from policy.csv, apart from Casbin: each `p` line's role may do its action
    with each relation its scope admits."""
    rows = {(row.obj, row.act): row for row in policy_table()}
    text = files("policies").joinpath("policy.csv").read_text(encoding="utf-8")
    lines = [
        [field.strip() for field in line.split(",")]
        for line in text.splitlines()
        if line.startswith("p,")
    ]
    assert lines
    for _, role, scope, obj, act in lines:
        assert SCOPES[scope] <= set(rows[(obj, act)].relations_of(role)), (role, obj, act)
    assert len(rows) == len({(obj, act) for *_, obj, act in lines})


def test_inherited_roles_count_and_relations_keep_their_order() -> None:
    rows = {(row.obj, row.act): row for row in policy_table()}
    # The exams officer inherits SLT, which reads entries.
    assert rows[("entries", "read")].relations_of("EXAMS_OFFICER") == ("self", "parent")
    assert rows[("service:GLOBAL_LISTENING", "open")].relations_of("EXAMS_OFFICER") == ("self",)
    assert rows[("organisations", "list")].relations_of("BOARD_ADMIN") == ("board",)
    for row in rows.values():
        for grant in row.grants:
            assert grant.role in ROLES
            assert list(grant.relations) == [r for r in RELATIONS if r in grant.relations]
