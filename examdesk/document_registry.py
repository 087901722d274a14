"""Registering trusted documents (models/trusted_documents.py): reading them from .graphql files,
folders of them, and the JSON manifests `{"<sha256 hex>": "<document>"}` that
@graphql-codegen's client preset writes (persisted-documents.json); checking each against the
schema; storing all of them, or none when one is wrong."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, validate
from tortoise.transactions import in_transaction

from models.trusted_documents import TrustedDocument
from resolvers.core import clock
from schema.root import build_schema


def sha256_hex(text: str) -> str:
    """The document's hash as clients compute it: of the exact UTF-8 text they send."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    sha256: str
    text: str
    source: str


class RegistrationError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Registered:
    added: int
    already_there: int


def _utf8(text: str) -> bool:
    """False for a text with lone surrogates, which JSON can escape and UTF-8 cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _from_manifest(path: Path) -> tuple[list[Document], list[str]]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [], [f"{path.name}: not a JSON manifest ({error})"]
    if not isinstance(manifest, dict):
        return [], [f'{path.name}: expected {{"<sha256 hex>": "<document>", ...}}']
    documents: list[Document] = []
    problems: list[str] = []
    for key, text in manifest.items():
        if not isinstance(text, str) or not _utf8(text):
            problems.append(f"{path.name}: {key}: the document is not a UTF-8 string")
        elif key.lower() != sha256_hex(text):
            # Clients send the key, the server finds the text by its own hash: they must agree.
            problems.append(f"{path.name}: {key} is not the SHA-256 of its document")
        else:
            documents.append(Document(key.lower(), text, path.name))
    return documents, problems


def _from_file(path: Path) -> tuple[list[Document], list[str]]:
    if path.suffix == ".json":
        return _from_manifest(path)
    if path.suffix != ".graphql":
        return [], [f"{path}: expected a .graphql file, a folder of them or a .json manifest"]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [f"{path.name}: not UTF-8 text"]
    return [Document(sha256_hex(text), text, path.name)], []


def read_documents(paths: list[Path]) -> list[Document]:
    """The documents in these files, folders (their .graphql files) and manifests, one per
    hash; or every problem found in them."""
    documents: dict[str, Document] = {}
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            files = sorted(path.glob("*.graphql"))
            if not files:
                problems.append(f"{path}: no .graphql files in this folder")
        elif path.is_file():
            files = [path]
        else:
            problems.append(f"{path}: no such file or folder")
            files = []
        for file in files:
            found, wrong = _from_file(file)
            problems.extend(wrong)
            for document in found:
                documents.setdefault(document.sha256, document)
    if problems:
        raise RegistrationError(problems)
    return list(documents.values())


def check_documents(documents: list[Document], schema: GraphQLSchema | None = None) -> None:
    """Raise, naming every document that is not an executable operation of the schema."""
    schema = schema or build_schema()._schema
    problems: list[str] = []
    for document in documents:
        try:
            node = parse(document.text)
        except GraphQLError as error:
            problems.append(f"{document.source}: {error.message}")
            continue
        errors = validate(schema, node)
        problems.extend(f"{document.source}: {error.message}" for error in errors)
        if not errors and not any(isinstance(d, OperationDefinitionNode) for d in node.definitions):
            problems.append(f"{document.source}: no operation to run")
    if problems:
        raise RegistrationError(problems)


async def register_documents(documents: list[Document]) -> Registered:
    """Check every document, then store the new ones in one transaction: all or nothing."""
    check_documents(documents)
    hashes = [document.sha256 for document in documents]
    async with in_transaction():
        known = set(
            await TrustedDocument.filter(sha256__in=hashes).values_list("sha256", flat=True)
        )
        now = clock.now()
        new = [
            TrustedDocument(
                sha256=document.sha256,
                document=document.text,
                source=document.source[:255],
                registered_at=now,
            )
            for document in documents
            if document.sha256 not in known
        ]
        await TrustedDocument.bulk_create(new)
    return Registered(added=len(new), already_there=len(known))


async def registered_document(sha256: str) -> str | None:
    found = await TrustedDocument.get_or_none(sha256=sha256)
    return None if found is None else found.document
