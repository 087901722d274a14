"""The word search every list of people and candidates offers: each word must appear somewhere,
accents and case ignored in names (models/search.py keeps the folded name beside each one)."""

from tortoise.expressions import Q

from models.search import fold


def word_filters(search: str | None, *, name: str, fields: tuple[str, ...] = ()) -> list[Q]:
    """One filter per word of `search`: the word is in the folded name at `name` (a model's
    search_name, reached through its relations) or, case ignored, in one of `fields`."""
    filters = []
    for word in (search or "").split():
        folded = fold(word)
        anywhere = [Q(**{f"{field}__icontains": word}) for field in fields]
        if folded:
            anywhere.append(Q(**{f"{name}__contains": folded}))
        filters.append(Q(*anywhere, join_type="OR"))
    return filters
