"""The board's "Admin -> Users": one person across every centre, by name or email."""

from typing import Any

import pytest

from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries, add_users, statements

SEARCH = """
query($search: String!, $first: Int = 15, $after: String) {
  usersAcrossCentres(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      email fullName status pin lastLoginAt
      places { organisationCode organisationName roles organisationDeleted }
    }
  }
}"""


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


async def search(gql: GraphQLClient, token: str, text: str, **more: Any) -> dict[str, Any]:
    return (await gql.ok(SEARCH, {"search": text, **more}, token=token))["usersAcrossCentres"]


async def test_one_person_shows_every_centre_they_are_at(gql: GraphQLClient, board: str) -> None:
    zoe = await User.create(
        email="zoe.martin@example.org",
        first_name="Zoë",
        last_name="Martín",
        status=UserStatus.ACTIVE,
        pin="123456",
    )
    for code, roles in (("AA101", ["SLT"]), ("BB202", ["SFA_TEACHER", "INVIGILATOR"])):
        await Membership.create(
            user=zoe, organisation=await Organisation.get(code=code), roles=roles
        )

    # Accents and case ignored in names; every word must match.
    for text in ("zoe", "ZOE martin", "Martín", "zoe.martin@"):
        found = await search(gql, board, text)
        assert [n["email"] for n in found["nodes"]] == ["zoe.martin@example.org"], text
    [person] = (await search(gql, board, "zoe"))["nodes"]
    assert person["fullName"] == "Zoë Martín"
    assert person["pin"] == "123456"
    assert person["places"] == [
        {
            "organisationCode": "AA101",
            "organisationName": "AA Dummy Centre A",
            "roles": ["SLT"],
            "organisationDeleted": False,
        },
        {
            "organisationCode": "BB202",
            "organisationName": "Bayview International School",
            "roles": ["INVIGILATOR", "SFA_TEACHER"],
            "organisationDeleted": False,
        },
    ]
    assert (await search(gql, board, "zoe nobody"))["totalCount"] == 0


async def test_an_email_part_finds_people_at_many_centres_a_page_at_a_time(
    gql: GraphQLClient, board: str
) -> None:
    first = await search(gql, board, "teacher@", first=2)
    assert first["totalCount"] >= 3
    assert len(first["nodes"]) == 2
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await search(gql, board, "teacher@", first=50, after=first["pageInfo"]["endCursor"])
    emails = [n["email"] for n in first["nodes"] + rest["nodes"]]
    assert emails == sorted(emails)
    assert len(emails) == first["totalCount"]
    assert all(n["places"] for n in first["nodes"] + rest["nodes"])


async def test_an_empty_search_is_refused(gql: GraphQLClient, board: str) -> None:
    body = await gql.post(SEARCH, {"search": "   "}, board)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_INPUT"]


@pytest.mark.parametrize(
    "email", ["eo@aa101.example", "users@aa101.example", "eo@as100.example", "inv@aa101.example"]
)
async def test_only_the_board_searches_everyone(
    gql: GraphQLClient, demo: object, email: str
) -> None:
    body = await gql.post(SEARCH, {"search": "teacher"}, await gql.sign_in(email))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["data"] is None


async def test_the_search_costs_the_same_queries_however_many_match(
    gql: GraphQLClient, board: str, count_queries: CountQueries
) -> None:
    counts = []
    for size in (10, 200):
        have = await User.filter(last_name="Bulk").count()
        await add_users("AA101", (size - have) // 2)
        await add_users("BB202", size - await User.filter(last_name="Bulk").count())
        count, data = await statements(
            gql, count_queries, SEARCH, {"search": "bulk", "first": 100}, board
        )
        assert data["usersAcrossCentres"]["totalCount"] == size
        counts.append(count)
    print(f"usersAcrossCentres statements at 10 and 200 people: {counts}")
    assert counts[0] == counts[1]
