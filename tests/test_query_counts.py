"""The number of SQL statements per request stays flat as the data grows (DESIGN.md section 8).

Each list is asked for at a small and a large size, with the relations a client reaches
(user fields, roles, the organisation and its parent), and the two counts must be equal: a
count that grows with the rows is an N+1 the DataLoaders or select_related should have caught.
The counts are printed (pytest -s) and recorded as test properties (--junitxml).
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from examdesk.demo import DEMO_PASSWORD
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import Role
from resolvers.identity.passwords import hash_password
from tests.conftest import GraphQLClient, QueryCounter

CountQueries = Callable[[], AbstractContextManager[QueryCounter]]
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

# Roles a centre's staff hold, handed out in turn so the rows are not all alike.
_STAFF_ROLES = (
    [Role.SFA_TEACHER.value],
    [Role.INVIGILATOR.value],
    [Role.SLT.value, Role.ACCESS_ARRANGEMENTS.value],
    [],
)


async def add_users(code: str, count: int) -> None:
    """Give the organisation `count` more active users, fast: two bulk inserts, one hash."""
    organisation = await Organisation.get(code=code)
    start = await User.all().count()
    password_hash = hash_password(DEMO_PASSWORD)
    suffix = f".{code.lower()}@bulk.example"
    await User.bulk_create(
        [
            User(
                email=f"member{start + i:05d}{suffix}",
                first_name=f"Member{start + i:05d}",
                last_name="Bulk",
                password_hash=password_hash,
                status=UserStatus.ACTIVE,
            )
            for i in range(count)
        ],
        batch_size=500,
    )
    # bulk_create does not hand back ids on every backend: read them back.
    members = set(
        await Membership.filter(organisation_id=organisation.id).values_list("user_id", flat=True)
    )
    new_ids = [
        user_id
        for user_id in await User.filter(email__endswith=suffix).values_list("id", flat=True)
        if user_id not in members
    ]
    assert len(new_ids) == count
    await Membership.bulk_create(
        [
            Membership(
                user_id=user_id,
                organisation_id=organisation.id,
                roles=_STAFF_ROLES[index % len(_STAFF_ROLES)],
            )
            for index, user_id in enumerate(new_ids)
        ],
        batch_size=500,
    )


async def grow_to(code: str, total: int) -> None:
    have = await Membership.filter(organisation__code=code).count()
    assert have <= total
    if have < total:
        await add_users(code, total - have)


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


async def statements(
    gql: GraphQLClient,
    count_queries: CountQueries,
    query: str,
    variables: dict[str, Any],
    token: str,
) -> tuple[int, dict[str, Any]]:
    with count_queries() as counter:
        data = await gql.ok(query, variables, token=token)
    return len(counter.statements), data


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
