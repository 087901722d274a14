"""No change to the checked-in schema breaks a client unless it was announced by a deprecation.

A field, argument or enum value goes in two steps: first `@deprecated(reason: ...)` (with
`deprecation_reason=` in strawberry), released; then removed. README "Descriptions and schema
changes" gives the policy.
"""

from pathlib import Path

import pytest

from tests.helpers.schema_changes import ROOT, SDL, diff, in_git_checkout, previous_sdl

OLD = """
type Query {
  centre(code: String!): String
  oldCentre: String @deprecated(reason: "Use centre.")
}
"""


def test_the_schema_change_being_made_breaks_no_client(tmp_path: Path) -> None:
    if not in_git_checkout():
        pytest.skip("not a git checkout, so there is no previous schema to compare with")
    previous = previous_sdl()
    if previous is None:
        pytest.skip(f"{SDL} has no earlier version in this checkout's history")
    result = diff(previous, (ROOT / SDL).read_text(encoding="utf-8"), tmp_path)
    assert not result.breaking, (
        "The schema change breaks clients. Deprecate first, with "
        "@deprecated(reason: ...), and remove in a later change:\n" + result.report
    )


def test_removing_a_field_that_was_not_deprecated_is_breaking(tmp_path: Path) -> None:
    new = 'type Query {\n  oldCentre: String @deprecated(reason: "Use centre.")\n}\n'
    result = diff(OLD, new, tmp_path)
    assert result.breaking
    assert "Field centre was removed from object type Query" in result.report


def test_removing_a_deprecated_field_is_allowed(tmp_path: Path) -> None:
    assert not diff(OLD, "type Query {\n  centre(code: String!): String\n}\n", tmp_path).breaking


def test_adding_an_optional_argument_is_allowed(tmp_path: Path) -> None:
    new = OLD.replace("centre(code: String!)", "centre(code: String!, withDeleted: Boolean)")
    assert not diff(OLD, new, tmp_path).breaking


def test_adding_a_required_argument_is_breaking(tmp_path: Path) -> None:
    new = OLD.replace("centre(code: String!)", "centre(code: String!, withDeleted: Boolean!)")
    assert diff(OLD, new, tmp_path).breaking
