"""Each document is parsed, limited and validated once, not at every request that sends it.

The limits on depth, aliases and tokens (limits.py) are applied here, with the parsing. Clients
send the same few documents over and over, and parsing plus validating one cost more
than running a small query. A document that parses is kept with the validation rules it passed
(validation depends on nothing else: the schema, the document and the rules), and a request
that sends the same text under the same rules runs the kept document at once.

Only success is kept: a document is kept once it has passed validation, and one that does not
parse or validate (for this caller) is parsed or validated again each time, so its errors are
exactly those a first request gets, and a client sending ever-new broken documents fills
nothing. What is kept is bounded, in documents and in their total length (a
parsed document takes some 25 to 75 times its text's memory), and the least recently used
goes first.

After IntrospectionGuard in the schema's extensions: the rule it adds for the caller is part of
what a document was found valid under.
"""

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from graphql import ASTValidationRule, DocumentNode
from strawberry.extensions import SchemaExtension

from schema.core.extensions.limits import apply_limits

MAX_DOCUMENTS = 1000
# A million characters of text: with the parsed trees, tens of megabytes at most.
MAX_CHARACTERS = 1_000_000
# A longer document is not kept: it would push out a hundred ordinary ones.
MAX_DOCUMENT_CHARACTERS = 10_000

Rules = tuple[type[ASTValidationRule], ...]
Key = tuple[str, tuple]


def document_key(text: str, parse_options: Mapping[str, object]) -> Key:
    """A document is the same document when its text and the parser's options are."""
    return (text, tuple(sorted(parse_options.items())))


@dataclass
class _Entry:
    document: DocumentNode
    # The schemas and rule sets under which the document was found valid.
    valid_under: set[tuple[object, Rules]] = field(default_factory=set)


class DocumentStore:
    """The parsed documents by text and parse options, least recently used first."""

    def __init__(
        self,
        max_documents: int = MAX_DOCUMENTS,
        max_characters: int = MAX_CHARACTERS,
        max_document_characters: int = MAX_DOCUMENT_CHARACTERS,
    ) -> None:
        self.max_documents = max_documents
        self.max_characters = max_characters
        self.max_document_characters = max_document_characters
        self.characters = 0
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def add(self, key: Key, document: DocumentNode) -> _Entry | None:
        size = len(key[0])
        if size > self.max_document_characters:
            return None
        entry = self._entries[key] = _Entry(document)
        self.characters += size
        while len(self._entries) > self.max_documents or self.characters > self.max_characters:
            (text, _), _ = self._entries.popitem(last=False)
            self.characters -= len(text)
        return entry

    def clear(self) -> None:
        self._entries.clear()
        self.characters = 0


DOCUMENTS = DocumentStore()


class DocumentCache(SchemaExtension):
    def __init__(self) -> None:
        self._key: Key | None = None
        self._entry: _Entry | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        apply_limits(context)
        if context.query is not None and context.graphql_document is None:
            self._key = document_key(context.query, context.parse_options)
            self._entry = DOCUMENTS.get(self._key)
            if self._entry is not None:
                context.graphql_document = self._entry.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules = (context.schema, context.validation_rules)
        known = self._entry is not None and rules in self._entry.valid_under
        if known:
            # strawberry validates only while no errors are set.
            context.pre_execution_errors = []
        yield
        if known or self._key is None or context.pre_execution_errors != []:
            return
        # Kept only once valid, so that broken documents push out no good ones.
        if self._entry is None and context.graphql_document is not None:
            self._entry = DOCUMENTS.add(self._key, context.graphql_document)
        if self._entry is not None:
            self._entry.valid_under.add(rules)
