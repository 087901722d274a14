"""Names as a search compares them: without accents and case, so "zoe" finds "Zoë" and "garcia"
finds "José García" on SQLite and PostgreSQL alike. The folded form is stored beside the name
(a column each database can compare with a plain LIKE) and written by the model itself, so no
use case can forget it; so is the folded text of every column a search looks in, which the
search index (models/search_index.py) covers."""

import unicodedata
from typing import ClassVar

from tortoise import fields

from models.derived import Derivation, DerivedColumns

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ħ": "h",
        "ŧ": "t",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """`text` lower-cased, its accents and marks dropped and its spaces single."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def folded_name(first_name: str, last_name: str) -> str:
    return fold(f"{first_name} {last_name}")


class SearchableName(DerivedColumns):
    """Mixed into a model with first_name and last_name: `search_name` is their folded form."""

    search_name = fields.CharField(max_length=201, default="")
    DERIVED: ClassVar[dict[str, Derivation]] = {
        "search_name": (("first_name", "last_name"), folded_name)
    }


def folded_text(*parts: str) -> str:
    """The parts folded and joined by spaces: a search word (never holding a space) found in it
    lies within one of them."""
    return fold(" ".join(parts))


class SearchableText(DerivedColumns):
    """Mixed into a model naming SEARCHED, the columns a search of it looks in: `search_text` is
    their folded text. Every word a search finds in one of them, case ignored, is in it folded,
    so the index over it can narrow a search down before the search's own comparisons."""

    SEARCHED: ClassVar[tuple[str, ...]] = ()
    # The database's own default too, so the column can be added to a table that has rows.
    search_text = fields.TextField(default="", db_default="")

    @classmethod
    def _derivations(cls) -> dict[str, Derivation]:
        return {**super()._derivations(), "search_text": (cls.SEARCHED, folded_text)}
