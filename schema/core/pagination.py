"""Connections (first/after, totalCount) over the use cases' offset pages."""

import base64
import binascii
import re
from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pages import Page

T = TypeVar("T")
M = TypeVar("M")

_PREFIX = "offset:"
# The furthest a cursor may point: past any list we hold, and within every database's integers
# (an OFFSET of 2**63 is beyond SQLite's and PostgreSQL's).
MAX_OFFSET = 2**31 - 1
_OFFSET = re.compile(r"offset:(0|[1-9][0-9]{0,9})")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """The offset of the first row after the cursor."""
    if after is None:
        return 0
    try:
        text = base64.b64decode(after.encode(), validate=True).decode()
        match = _OFFSET.fullmatch(text)
        if match is None or int(match[1]) >= MAX_OFFSET:
            raise ValueError(text)
        return int(match[1]) + 1
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise DomainError.one(ErrorCode.INVALID_INPUT, "The cursor is not valid.", "after") from exc


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
