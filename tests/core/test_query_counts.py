"""The number of SQL statements per request stays flat as the data grows (DESIGN.md section 8).

Each list is asked for at a small and a large size, with the relations a client reaches
(user fields, roles, the organisation and its parent), and the two counts must be equal: a
count that grows with the rows is an N+1 the DataLoaders or select_related should have caught.
The counts are printed (pytest -s) and recorded as test properties (--junitxml).
"""

from collections.abc import Callable

import pytest

from models.organisations import Organisation, OrganisationKind
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries, grow_to, statements

Record = Callable[[str, object], None]

USERS_QUERY = """
query($code: String!, $first: Int!, $after: String) {
  organisationUsers(organisationCode: $code, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        user { id email firstName lastName fullName status lastLoginAt totpEnabled }
        roles
        isExamsOfficer
        organisation { id code name kind isDeleted parent { id code name } }
      }
    }
  }
}
"""

ORGANISATIONS_QUERY = """
query($first: Int!) {
  organisations(first: $first) {
    totalCount
    edges { node { id code name kind country isDeleted parent { id code name kind } } }
  }
}
"""


async def add_organisations(count: int) -> None:
    """`count` associates, each with one associate centre, sorted among the demo's codes."""
    existing = await Organisation.filter(code__startswith="N").count() // 2
    numbers = range(existing, existing + count)
    await Organisation.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.ASSOCIATE,
                code=f"N{n:04d}A",
                name=f"Network {n}",
                country="Kenya",
            )
            for n in numbers
        ]
    )
    parents = dict(
        await Organisation.filter(code__in=[f"N{n:04d}A" for n in numbers]).values_list(
            "code", "id"
        )
    )
    await Organisation.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.CENTRE,
                code=f"N{n:04d}C",
                name=f"Network {n} School",
                country="Kenya",
                parent_id=parents[f"N{n:04d}A"],
            )
            for n in numbers
        ]
    )


@pytest.mark.parametrize("first", [15, 100])
async def test_users_list_is_flat_from_10_to_1000_users(
    demo, gql: GraphQLClient, count_queries: CountQueries, record_property: Record, first: int
) -> None:
    # AS101 is an associate centre, so every row's organisation has a parent to resolve.
    token = await gql.sign_in("eo@as101.example")
    variables = {"code": "AS101", "first": first}

    await grow_to("AS101", 10)
    small, data = await statements(gql, count_queries, USERS_QUERY, variables, token)
    page = data["organisationUsers"]
    assert page["totalCount"] == 10
    assert len(page["edges"]) == 10
    assert {e["node"]["organisation"]["parent"]["code"] for e in page["edges"]} == {"AS100"}

    await grow_to("AS101", 1000)
    large, data = await statements(gql, count_queries, USERS_QUERY, variables, token)
    page = data["organisationUsers"]
    assert page["totalCount"] == 1000
    assert len(page["edges"]) == first
    assert page["pageInfo"]["hasNextPage"] is True

    # The next page costs the same as the first.
    following, data = await statements(
        gql,
        count_queries,
        USERS_QUERY,
        {**variables, "after": page["pageInfo"]["endCursor"]},
        token,
    )
    assert len(data["organisationUsers"]["edges"]) == first

    print(
        f"\norganisationUsers first={first}: {small} SQL statements with 10 users, "
        f"{large} with 1000, {following} for the next page"
    )
    record_property(f"organisationUsers_first_{first}_statements", large)
    assert small == large == following


async def test_users_list_searching_is_flat(
    demo, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in("users@aa101.example")
    variables = {"code": "AA101", "first": 100}
    query = USERS_QUERY.replace(
        "organisationCode: $code,", 'organisationCode: $code, filter: {search: "member bulk"},'
    )
    await grow_to("AA101", 20)
    small, data = await statements(gql, count_queries, query, variables, token)
    assert data["organisationUsers"]["totalCount"] == 13  # the demo's 7 people do not match
    await grow_to("AA101", 1000)
    large, data = await statements(gql, count_queries, query, variables, token)
    assert data["organisationUsers"]["totalCount"] == 993
    assert small == large


async def test_organisations_list_is_flat_as_organisations_grow(
    demo, gql: GraphQLClient, count_queries: CountQueries, record_property: Record
) -> None:
    token = await gql.sign_in("admin@exb.example")
    variables = {"first": 100}

    await add_organisations(5)
    small, data = await statements(gql, count_queries, ORGANISATIONS_QUERY, variables, token)
    assert data["organisations"]["totalCount"] == 7 + 10

    await add_organisations(495)
    large, data = await statements(gql, count_queries, ORGANISATIONS_QUERY, variables, token)
    page = data["organisations"]
    assert page["totalCount"] == 7 + 1000
    assert len(page["edges"]) == 100
    parents = {e["node"]["parent"]["code"] for e in page["edges"] if e["node"]["parent"]}
    assert len(parents) > 40  # many distinct parents, one query for all of them

    print(
        f"\norganisations first=100: {small} SQL statements with 17 organisations, "
        f"{large} with 1007"
    )
    record_property("organisations_first_100_statements", large)
    assert small == large
