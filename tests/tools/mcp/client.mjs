// A real MCP client for the tests: the official TypeScript SDK's Client over stdio (it starts the server command) or
// streamable HTTP (with a bearer token). Usage:
//   node client.mjs CALLS.json -- COMMAND [ARGS...]        (stdio)
//   node client.mjs CALLS.json --url URL --token TOKEN     (streamable HTTP)
// CALLS.json is a list of {"tool": NAME, "arguments": {...}} or {"resource": URI}. Prints one JSON object:
// {"server": {...}, "tools": [names], "resources": [uris], "templates": [uri templates], "results": [...]}.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const args = process.argv.slice(2);
const calls = JSON.parse(readFileSync(args[0], "utf8"));
let transport;
const dash = args.indexOf("--");
if (dash >= 0) {
  transport = new StdioClientTransport({ command: args[dash + 1], args: args.slice(dash + 2), stderr: "inherit" });
} else {
  const url = args[args.indexOf("--url") + 1];
  const token = args[args.indexOf("--token") + 1];
  transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
}
const client = new Client({ name: "llmstruct-tests", version: "1.0.0" });
await client.connect(transport);
const out = { server: client.getServerVersion(), tools: [], resources: [], templates: [], results: [] };
out.tools = (await client.listTools()).tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema }));
out.resources = (await client.listResources()).resources.map((r) => r.uri);
out.templates = (await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate);
for (const call of calls) {
  try {
    if (call.tool) {
      const result = await client.callTool({ name: call.tool, arguments: call.arguments ?? {} });
      out.results.push({ isError: result.isError === true, text: result.content.map((c) => c.text ?? "").join("") });
    } else {
      const result = await client.readResource({ uri: call.resource });
      out.results.push({ isError: false, text: result.contents.map((c) => c.text ?? "").join("") });
    }
  } catch (error) {
    out.results.push({ isError: true, rpcError: true, code: error.code ?? null, text: String(error.message ?? error) });
  }
}
await client.close();
process.stdout.write(JSON.stringify(out) + "\n");
