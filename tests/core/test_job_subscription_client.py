"""The graphql-ws client library (node, from the node tools) following a job over the real
server's WebSocket, with the code the README gives browser developers."""

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from tests.helpers.app import serving
from tests.helpers.graphql import GraphQLClient
from tests.helpers.node_tools import node_tools
from tests.helpers.websocket import websocket_url

# The README's browser code, run by node with the graphql-ws client library (and `ws` for the
# WebSocket a browser has built in). Prints what the subscription delivered, as JSON.
GRAPHQL_WS_CLIENT = """
const { createRequire } = require("node:module");
const load = createRequire(process.env.EXAMDESK_NODE_TOOLS + "/package.json");
const { createClient } = load("graphql-ws");
const [url, token, jobId] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: load("ws"),
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
const seen = [];
const done = (outcome) => {
  console.log(JSON.stringify({ seen, ...outcome }));
  client.dispose();
};
client.subscribe(
  {
    query: `subscription FollowJob($id: ID!) {
      jobProgress(id: $id) { id status percent stage errorCode errorMessage files { name url } }
    }`,
    variables: { id: jobId },
  },
  {
    next: ({ data, errors }) => seen.push(errors ? { errors } : data.jobProgress),
    error: (error) =>
      done({ error: Array.isArray(error) ? error.map((e) => e.extensions.code) : String(error) }),
    complete: () => done({ complete: true }),
  },
);
"""


async def graphql_ws_follows(base_url: str, token: str, job_id: str, script: Path) -> Any:
    process = await asyncio.create_subprocess_exec(
        "node",
        str(script),
        websocket_url(base_url),
        token,
        job_id,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "EXAMDESK_NODE_TOOLS": str(node_tools())},
    )
    async with asyncio.timeout(60):
        out, _ = await process.communicate()
    assert process.returncode == 0, out
    return json.loads(out)


async def test_the_graphql_ws_client_library_follows_a_job(
    demo: Starlette, gql: GraphQLClient, tmp_path: Path
) -> None:
    tools = node_tools()
    if not (tools / "node_modules" / "graphql-ws").is_dir():
        pytest.skip("graphql-ws is not among the node tools")
    script = tmp_path / "follow.cjs"
    script.write_text(GRAPHQL_WS_CLIENT)
    token = await gql.sign_in("eo@aa101.example")
    queued = await gql.ok(
        "mutation($input: ExportStaffSummaryInput!) { exportStaffSummary(input: $input) "
        "{ job { id } errors { code } } }",
        {"input": {"organisationCode": "AA101"}},
        token,
    )
    job_id = queued["exportStaffSummary"]["job"]["id"]
    other = await gql.sign_in("eo@bb202.example")
    async with serving(demo) as url:
        followed = await graphql_ws_follows(url, token, job_id, script)
        refused = await graphql_ws_follows(url, other, job_id, script)
    assert followed["complete"] is True
    assert (followed["seen"][-1]["status"], followed["seen"][-1]["percent"]) == ("SUCCEEDED", 100)
    assert [f["name"] for f in followed["seen"][-1]["files"]] != []

    assert refused == {"seen": [], "error": ["FORBIDDEN"]}
