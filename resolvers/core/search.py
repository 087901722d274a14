"""The word search every list of people and candidates offers: each word must appear somewhere,
accents and case ignored in names (models/search.py keeps the folded name beside each one).

The database's search index (models/search_index.py) first narrows the rows down to those
whose folded text holds every word; the comparisons below then decide, on those rows only, so
the index changes how fast a search is, never what it finds."""

from tortoise.expressions import Q
from tortoise.models import Model

from models.search import fold
from models.search_index import indexed_filters


def word_filters(
    search: str | None, model: type[Model], *, via: str = "", fields: tuple[str, ...] = ()
) -> list[Q]:
    """Filters for `search` over `model`, reached through `via` (such as "user__" from a
    membership): each word is in its folded search_name or, case ignored, in one of `fields`."""
    words = (search or "").split()
    filters = indexed_filters(model, words, via=via)
    for word in words:
        folded = fold(word)
        anywhere = [Q(**{f"{via}{field}__icontains": word}) for field in fields]
        if folded:
            anywhere.append(Q(**{f"{via}search_name__contains": folded}))
        filters.append(Q(*anywhere, join_type="OR"))
    return filters
