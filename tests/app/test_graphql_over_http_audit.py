"""The GraphQL-over-HTTP spec, as the ecosystem checks it: graphql-http's server audits (the
conformance suite the spec's working group maintains) run by node against examdesk behind a
real uvicorn. Every MUST and SHOULD audit has to pass."""

import asyncio
import json
import os
from pathlib import Path

from starlette.applications import Starlette

from tests.helpers.app import serving
from tests.helpers.node_tools import node_tools

AUDIT_SCRIPT = Path(__file__).with_name("graphql_http_audit.mjs")


async def run_audits(url: str) -> list[dict[str, object]]:
    # Run without blocking: the server under audit answers on this same event loop.
    process = await asyncio.create_subprocess_exec(
        "node",
        str(AUDIT_SCRIPT),
        f"{url}/graphql",
        env={**os.environ, "EXAMDESK_NODE_TOOLS": str(node_tools())},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(120):
        stdout, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    return [json.loads(line) for line in stdout.decode().splitlines()]


async def test_every_must_and_should_audit_passes(app: Starlette) -> None:
    node_tools()
    async with serving(app) as url:
        results = await run_audits(url)
    required = [r for r in results if str(r["name"]).startswith(("MUST", "SHOULD"))]
    failures = [
        f"{r['id']} {r['name']}: {r.get('reason')} (HTTP {r.get('httpStatus')})"
        for r in required
        if r["status"] != "ok"
    ]
    assert failures == [], "\n".join(failures)
    # The audits ran (graphql-http 1.23 has 36 MUST and SHOULD audits).
    assert len(required) >= 36
