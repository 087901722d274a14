"""Searches of people and candidates ignore accents and case in names, on every database: the
folded name is stored beside each name by the model, on every way a row is written."""

import pytest
from starlette.applications import Starlette

from models.exams import Candidate
from models.organisations import Organisation
from models.search import fold
from models.users import User
from tests.helpers.graphql import GraphQLClient

USERS = """
query($code: String!, $search: String) {
  organisationUsers(organisationCode: $code, filter: {search: $search}) {
    totalCount nodes { user { fullName } }
  }
}"""
RENAME = """
mutation($input: UpdateUserInput!) { updateUser(input: $input) {
  organisationUser { user { fullName } } errors { code message }
} }"""
FRIDA = "VXNlcjo5"  # User:9, Frida Kahlo at AA101


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zoë", "zoe"),
        ("José García", "jose garcia"),
        ("ÅKESSON", "akesson"),
        ("Łukasz Østergård", "lukasz ostergard"),
        ("Straße", "strasse"),
        ("Æsa  Þór", "aesa thor"),
        ("  two   spaces ", "two spaces"),
        ("\u0301", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


async def test_the_folded_name_and_text_are_written_on_create_save_and_bulk_create(
    demo: Starlette,
) -> None:
    user = await User.create(email="zoe@example.org", first_name="Zoë", last_name="Ñúñez")
    saved = await User.get(id=user.id)
    assert (saved.search_name, saved.search_text) == ("zoe nunez", "zoe nunez zoe@example.org")

    user.last_name = "Åkesson"
    await user.save(update_fields=["last_name"])
    saved = await User.get(id=user.id)
    assert (saved.search_name, saved.search_text) == ("zoe akesson", "zoe akesson zoe@example.org")

    centre = await Organisation.get(code="AA101")
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number="0900",
                first_name="Björn",
                last_name="Ørsted",
                username="bjorn_orsted",
                password_hash="x",
            )
        ]
    )
    saved = await Candidate.get(username="bjorn_orsted")
    assert saved.search_name == "bjorn orsted"
    # The UCI, absent, leaves no gap.
    assert saved.search_text == "bjorn orsted 0900 bjorn_orsted"


async def _users(gql: GraphQLClient, token: str, search: str) -> list[str]:
    data = await gql.ok(USERS, {"code": "AA101", "search": search}, token=token)
    page = data["organisationUsers"]
    assert page["totalCount"] == len(page["nodes"])
    return [n["user"]["fullName"] for n in page["nodes"]]


async def test_organisation_users_are_found_without_accents_after_a_rename(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("users@aa101.example")
    assert await _users(gql, token, "calderon") == []
    renamed = await gql.ok(
        RENAME,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": FRIDA,
                "firstName": "Frida",
                "lastName": "Kahlo Calderón",
            }
        },
        token=token,
    )
    assert renamed["updateUser"]["errors"] == []
    for search in ("calderon", "CALDERÓN", "frida calderon", "KAHLO"):
        assert await _users(gql, token, search) == ["Frida Kahlo Calderón"], search
    assert await _users(gql, token, "calderón kahlo nobody") == []
