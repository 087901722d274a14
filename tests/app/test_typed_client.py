"""A typed client can be generated: @graphql-codegen's client preset turns schema/schema.graphql
and every example into TypeScript that `tsc --strict` accepts, and its persisted-documents.json
registers with `examdesk register-documents`; the hashes its documents carry, which such a
client sends, are the ones a trusted-documents-only server runs."""

import json
import re
import subprocess
from pathlib import Path

import httpx

from examdesk.demo import seed_demo
from examdesk.document_registry import sha256_hex
from tests.helpers.app import AppFactory
from tests.helpers.cli import run_cli
from tests.helpers.graphql_examples import EXAMPLES, example_paths
from tests.helpers.node_tools import node_bin, node_tools

ROOT = Path(__file__).resolve().parents[2]
# The configuration the README gives frontend developers, with this repository's paths.
CODEGEN_CONFIG = {
    "schema": str(ROOT / "schema" / "schema.graphql"),
    "documents": str(EXAMPLES / "*.graphql"),
    "generates": {
        "gql/": {
            "preset": "client",
            "presetConfig": {"persistedDocuments": {"hashAlgorithm": "sha256"}},
        }
    },
}
# Uses a generated document's result and variables types, so that tsc checks them: each
# @ts-expect-error fails the compilation unless the types really refuse that line.
USE_TS = """\
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { MeDocument, SignInDocument } from "./gql/graphql";

type ResultOf<D> = D extends TypedDocumentNode<infer R, infer _V> ? R : never;
type VariablesOf<D> = D extends TypedDocumentNode<infer _R, infer V> ? V : never;

// What a client sends for a document by hash (the trusted documents convention).
export function byHash<D extends TypedDocumentNode<unknown, never>>(
  document: D,
  variables: VariablesOf<D>,
): { documentId: string; variables: VariablesOf<D> } {
  const { hash } = (document as unknown as { __meta__: { hash: string } }).__meta__;
  return { documentId: `sha256:${hash}`, variables };
}

export const signIn = byHash(SignInDocument, {
  input: { email: "users@aa101.example", password: "Exam-Desk-Demo-2026" },
});

export function email(result: ResultOf<typeof MeDocument>): string {
  return result.me.user.email;
}

// @ts-expect-error: Me selects no such field.
export const missing = (result: ResultOf<typeof MeDocument>): string => result.me.user.pin;

// @ts-expect-error: signIn's input needs a password.
export const incomplete = byHash(SignInDocument, { input: { email: "x@y.example" } });
"""
TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2022"],
        "types": [],
    },
    "files": ["use.ts", "gql/index.ts"],
}
# How the generated module names each document's hash: `export const MeDocument =
# {"__meta__":{"hash":"..."}, ...`.
_DOCUMENT_HASH = re.compile(r'export const (\w+)Document = \{"__meta__":\{"hash":"([0-9a-f]{64})"')


def _run(command: list[str], folder: Path) -> None:
    result = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{command[0]}:\n{result.stdout}\n{result.stderr}"


def _generate_client(folder: Path) -> Path:
    """The client preset's output for every example, type-checked; its folder."""
    # codegen finds its presets, and tsc the generated imports, from the working folder.
    (folder / "node_modules").symlink_to(node_tools() / "node_modules")
    (folder / "codegen.json").write_text(json.dumps(CODEGEN_CONFIG), encoding="utf-8")
    _run([str(node_bin("graphql-codegen")), "--config", "codegen.json"], folder)
    generated = folder / "gql"
    assert (generated / "persisted-documents.json").is_file(), sorted(folder.rglob("*"))
    (folder / "use.ts").write_text(USE_TS, encoding="utf-8")
    (folder / "tsconfig.json").write_text(json.dumps(TSCONFIG), encoding="utf-8")
    _run([str(node_bin("tsc")), "-p", "tsconfig.json", "--strict", "--noEmit"], folder)
    return generated


async def test_a_generated_client_type_checks_and_its_hashes_run_on_a_trusted_only_server(
    tmp_path: Path, database_url: str, make_app: AppFactory
) -> None:
    generated = _generate_client(tmp_path)
    manifest = json.loads((generated / "persisted-documents.json").read_text(encoding="utf-8"))
    assert len(manifest) == len(example_paths())
    assert all(key == sha256_hex(text) for key, text in manifest.items())
    sent = dict(_DOCUMENT_HASH.findall((generated / "graphql.ts").read_text(encoding="utf-8")))
    assert set(sent.values()) == set(manifest), "the documents carry the manifest's hashes"

    app = await make_app(trusted_documents_only=True)
    await seed_demo()
    result = run_cli(
        database_url, "register-documents", str(generated / "persisted-documents.json")
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(manifest)} document(s) registered" in result.stdout

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        for name, digest in sent.items():
            # Without variables most fail validation: what matters is that each hash is found.
            response = await http.post("/graphql", json={"documentId": f"sha256:{digest}"})
            assert response.status_code == 200, f"{name}: {response.text}"
        sign_in = json.loads((EXAMPLES / "010_sign_in.json").read_text(encoding="utf-8"))
        response = await http.post(
            "/graphql", json={"documentId": f"sha256:{sent['SignIn']}", "variables": sign_in}
        )
        assert response.json()["data"]["signIn"]["token"], response.text
