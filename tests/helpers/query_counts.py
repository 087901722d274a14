"""Counting the SQL statements a request sends, and growing an organisation's membership fast,
for the tests that keep the statements flat as the data grows (DESIGN.md section 8)."""

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from typing import Any

from examdesk.demo import DEMO_PASSWORD
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from policies import Role
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient

# Set while counting, and inherited by the tasks started meanwhile (a DataLoader's batch): the
# counter ignores statements from tasks that were already running, such as the mail delivery
# task polling the outbox, which would otherwise add a statement to a request now and then.
_counting: contextvars.ContextVar["QueryCounter | None"] = contextvars.ContextVar(
    "counting", default=None
)


class QueryCounter(logging.Handler):
    """Counts SQL statements sent by the ORM from the counting code (and its tasks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _counting.get() is not self:
            return
        text = record.getMessage()
        if text.lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(text)


@contextlib.contextmanager
def counting() -> Iterator[QueryCounter]:
    """Count the ORM's statements from this code (and the tasks it starts) while inside."""
    logger = logging.getLogger("tortoise.db_client")
    counter = QueryCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    token = _counting.set(counter)
    try:
        yield counter
    finally:
        _counting.reset(token)
        logger.removeHandler(counter)
        logger.setLevel(previous)


CountQueries = Callable[[], contextlib.AbstractContextManager[QueryCounter]]


async def statements(
    gql: GraphQLClient,
    count_queries: CountQueries,
    query: str,
    variables: dict[str, Any],
    token: str,
) -> tuple[int, dict[str, Any]]:
    """How many statements the request sent, and its data."""
    with count_queries() as counter:
        data = await gql.ok(query, variables, token=token)
    return len(counter.statements), data


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
