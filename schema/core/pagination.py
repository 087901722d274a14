"""Connections over the use cases' offset pages, paged both ways (first/after, last/before).

Every connection field takes the same four arguments (First, After, Last, Before) and hands
them to `paginate`, which turns them into one offset window: no query repeats the arithmetic.
"""

import base64
import binascii
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Generic, TypeVar

import strawberry

from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pages import Page

T = TypeVar("T")
M = TypeVar("M")
R = TypeVar("R")

_PREFIX = "offset:"
# The furthest a cursor may point: past any list we hold, and within every database's integers
# (an OFFSET of 2**63 is beyond SQLite's and PostgreSQL's).
MAX_OFFSET = 2**31 - 1
_OFFSET = re.compile(r"offset:(0|[1-9][0-9]{0,9})")

First = Annotated[
    int | None,
    strawberry.argument(
        description="Page forwards: at most this many items from the start, after `after` if "
        "given (1 to 100; up to 500 where the field says so). Not with `last`. Leave out both "
        "for the field's default page size from the start."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Only items after this cursor (an edge's `cursor`, or "
        "`pageInfo.endCursor` to get the next page)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="Page backwards: at most this many items from the end, before `before` if "
        "given (the same limits as `first`). Not with `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Only items before this cursor (an edge's `cursor`, or "
        "`pageInfo.startCursor` to get the previous page)."
    ),
]


@strawberry.type(description="Where a page of a connection lies in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether items follow this page (ask with `after: endCursor`)."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (ask with `before: startCursor`)."
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor; null on an empty page."
    )


@strawberry.type(description="One item of a connection and its place in the list.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Where this item is, for `after` or `before`; it stays valid as long as "
        "the list does not change ahead of it."
    )
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list, with cursors to page forwards and backwards.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's items, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Whether there is more either side.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def _decode_cursor(cursor: str, argument: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        match = _OFFSET.fullmatch(text)
        if match is None or int(match[1]) >= MAX_OFFSET:
            raise ValueError(text)
        return int(match[1])
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, "The cursor is not valid.", argument
        ) from exc


def offset_after(after: str | None) -> int:
    """The offset of the first row after the cursor."""
    return 0 if after is None else _decode_cursor(after, "after") + 1


@dataclass(frozen=True)
class PageArgs:
    """A connection field's paging arguments, as the client sent them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


async def paginate(
    args: PageArgs,
    fetch: Callable[[int, int], Awaitable[R]],
    page_of: Callable[[R], Page[M]],
    *,
    default: int,
) -> tuple[R, Page[M]]:
    """The use case's answer for the window the arguments name, and its page cut to it.

    The use case is asked for the page size the client gave (so it checks it against its own
    limit) at the window's start; items past `before` are cut here. `last` without `before`
    needs the total: the first answer gives it, and only a list longer than `last` costs a
    second one."""
    if args.first is not None and args.last is not None:
        raise DomainError.one(ErrorCode.INVALID_INPUT, "Give first or last, not both.", "last")
    start = offset_after(args.after)
    end = None if args.before is None else _decode_cursor(args.before, "before")
    if args.last is None:
        size = default if args.first is None else args.first
        answer = await fetch(size, start)
    else:
        size = args.last
        try:
            answer = await _fetch_last(fetch, page_of, size, start, end)
        except DomainError as exc:
            # The use cases check one page size, and name it `first`.
            raise DomainError(
                [replace(e, field=("last",)) if e.field == ("first",) else e for e in exc.errors]
            ) from exc
    page = page_of(answer)
    return answer, _cut(page, start, end)


async def _fetch_last(
    fetch: Callable[[int, int], Awaitable[R]],
    page_of: Callable[[R], Page[M]],
    size: int,
    start: int,
    end: int | None,
) -> R:
    if end is not None:
        return await fetch(size, max(start, end - size))
    answer = await fetch(size, start)
    total = page_of(answer).total
    if total - start <= size:
        return answer
    return await fetch(size, total - size)


def _cut(page: Page[M], start: int, end: int | None) -> Page[M]:
    """The page's items inside the window [start, end)."""
    stop = page.total if end is None else min(end, page.total)
    first_index = max(page.offset, start)
    items = page.items[first_index - page.offset : max(stop, first_index) - page.offset]
    return Page(items=items, total=page.total, offset=first_index)


async def page_window(
    args: PageArgs, fetch: Callable[[int, int], Awaitable[Page[M]]], *, default: int
) -> Page[M]:
    """`paginate` for the use cases that answer with a bare page."""
    _, page = await paginate(args, fetch, lambda page: page, default=default)
    return page


def connection(page: Page[M], convert: Callable[[M], T]) -> Connection[T]:
    edges = [
        Edge(cursor=encode_cursor(page.offset + index), node=convert(item))
        for index, item in enumerate(page.items)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.offset + len(page.items) < page.total,
            has_previous_page=page.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total,
    )
