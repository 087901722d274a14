"""Which JSON a /graphql answer is sent as, from the request's Accept header.

The GraphQL-over-HTTP spec has two: application/graphql-response+json, whose status codes say
whether the request was valid (400 for a document that does not parse or validate), and the
older application/json, always 200 once a request is well-formed. A client that names the new
one gets it; a client that names neither (no Accept, or only wildcards) gets application/json,
which every client reads.
"""

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

# How closely a media range matches a type, most specific first (RFC 9110 section 12.5.1).
_EXACT, _SUBTYPE_WILDCARD, _ANY = 3, 2, 1


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The header's media ranges with their q-values; a range with a q that is no number
    between 0 and 1 is dropped, as the client said nothing usable about it."""
    ranges = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if media_range and 0.0 <= quality <= 1.0:
            ranges.append((media_range.lower(), quality))
    return ranges


def _match(media_type: str, media_range: str) -> int:
    if media_range == media_type:
        return _EXACT
    if media_range == media_type.split("/")[0] + "/*":
        return _SUBTYPE_WILDCARD
    return _ANY if media_range == "*/*" else 0


def _acceptance(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """The q-value of the most specific range that matches, and how specific it is."""
    best = (0.0, 0)
    for media_range, quality in ranges:
        specificity = _match(media_type, media_range)
        if specificity > best[1]:
            best = (quality, specificity)
    return best


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept or not accept.strip():
        return JSON
    ranges = _ranges(accept)
    new_quality, new_specificity = _acceptance(GRAPHQL_RESPONSE, ranges)
    json_quality, _ = _acceptance(JSON, ranges)
    if new_quality == 0 and json_quality == 0:
        return None
    if new_quality > json_quality:
        return GRAPHQL_RESPONSE
    # On a tie, the new type only when the client named it: `*/*` alone means application/json.
    if new_quality == json_quality and new_specificity == _EXACT:
        return GRAPHQL_RESPONSE
    return JSON
