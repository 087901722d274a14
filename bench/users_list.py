"""Benchmark: a centre's users list (organisationUsers) through the real ASGI app.

Seeds the demo data and N extra users at centre AA101 in a temporary SQLite database, signs in
as the demo user manager, then sends the organisationUsers query M times through httpx's ASGI
transport (no network, one process) and prints requests per second and SQL statements per
request. Not a test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/users_list.py --users 1000 --requests 500 --first 15
"""

import argparse
import asyncio
from functools import partial

from harness import time_query

from examdesk.demo import DEMO_PASSWORD
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from resolvers.identity.passwords import hash_password

CENTRE = "AA101"
MANAGER = "users@aa101.example"
QUERY = """
query($code: String!, $first: Int!) {
  organisationUsers(organisationCode: $code, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        user { id email firstName lastName fullName status lastLoginAt totpEnabled }
        roles
        isExamsOfficer
        organisation { code parent { code } }
      }
    }
  }
}
"""
ROLES = (["SFA_TEACHER"], ["INVIGILATOR"], ["SLT", "ACCESS_ARRANGEMENTS"], [])


async def seed_users(count: int) -> None:
    """`count` active users at the centre: two bulk inserts and one password hash."""
    centre = await Organisation.get(code=CENTRE)
    password_hash = hash_password(DEMO_PASSWORD)
    await User.bulk_create(
        [
            User(
                email=f"member{i:06d}@bench.example",
                first_name=f"Member{i:06d}",
                last_name="Bench",
                password_hash=password_hash,
                status=UserStatus.ACTIVE,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    ids = await User.filter(email__endswith="@bench.example").values_list("id", flat=True)
    await Membership.bulk_create(
        [
            Membership(user_id=user_id, organisation_id=centre.id, roles=ROLES[i % len(ROLES)])
            for i, user_id in enumerate(ids)
        ],
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="extra users at the centre")
    parser.add_argument("--requests", type=int, default=500, help="timed requests")
    parser.add_argument("--first", type=int, default=15, help="page size (1 to 100)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args()
    variables = {"code": CENTRE, "first": args.first}
    seed = partial(seed_users, args.users)
    result = asyncio.run(time_query(seed, MANAGER, QUERY, variables, args.requests, args.warmup))
    print(f"users={args.users} first={args.first} requests={args.requests}")
    print(result.report())


if __name__ == "__main__":
    main()
