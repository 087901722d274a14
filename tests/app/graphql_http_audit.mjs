// Runs graphql-http's server audits (the GraphQL-over-HTTP spec's own conformance checks)
// against the server at argv[2] and prints one JSON line per audit: id, name, status
// (ok, error for a failed MUST, warn for a failed SHOULD, notice for a failed MAY), reason.
// graphql-http comes from the folder EXAMDESK_NODE_TOOLS names (see .ci/node-tools).
import path from "node:path";
import { pathToFileURL } from "node:url";

const tools = process.env.EXAMDESK_NODE_TOOLS;
const url = process.argv[2];
const audits = path.join(tools, "node_modules", "graphql-http", "lib", "audits", "index.mjs");
const { serverAudits } = await import(pathToFileURL(audits).href);

for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    line.reason = result.reason;
    line.httpStatus = result.response?.status;
  }
  console.log(JSON.stringify(line));
}
