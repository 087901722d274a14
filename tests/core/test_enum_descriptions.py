"""described_enum: a GraphQL enum whose every value is described, or an error at import."""

from enum import StrEnum

import pytest

from schema.core.described import described_enum


def test_every_value_gets_its_description() -> None:
    class Light(StrEnum):
        RED = "RED"
        GREEN = "GREEN"

    described = described_enum(Light, "A traffic light.", {"RED": "Stop.", "GREEN": "Go."})

    definition = described.__strawberry_definition__
    assert definition.description == "A traffic light."
    assert {v.name: v.description for v in definition.values} == {"RED": "Stop.", "GREEN": "Go."}


@pytest.mark.parametrize(
    "values",
    [{"RED": "Stop."}, {"RED": "Stop.", "GREEN": "Go.", "AMBER": "Wait."}],
    ids=["a value left out", "a value that does not exist"],
)
def test_values_must_match_the_enum(values: dict[str, str]) -> None:
    class Light(StrEnum):
        RED = "RED"
        GREEN = "GREEN"

    with pytest.raises(ValueError, match="Light"):
        described_enum(Light, "A traffic light.", values)
