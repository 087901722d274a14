"""Offset pages: the use cases return a page; schema/ shapes it as a connection."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from resolvers.core.errors import DomainError, ErrorCode

T = TypeVar("T")

MAX_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int


def check_page(limit: int, offset: int, *, maximum: int = MAX_PAGE) -> None:
    if not 1 <= limit <= maximum:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"A page holds 1 to {maximum} items (first or last).", "first"
        )
    if offset < 0:
        raise DomainError.one(ErrorCode.INVALID_INPUT, "The cursor is not valid.", "after")
