// Drives the built `brummer mcp` with the TypeScript MCP SDK's client over
// stdio (its default, trimmed environment), and prints what it saw as JSON
// for agent/interop_test.go.
//
// Usage: node client.js BRUMMER_BINARY WORKSPACE_DIR
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [binary, dir] = process.argv.slice(2);
const transport = new StdioClientTransport({ command: binary, args: ["mcp", "--dir", dir], stderr: "inherit" });
const client = new Client({ name: "brummer-interop", version: "1.0.0" });
await client.connect(transport);

const text = (res) => res.content.filter((c) => c.type === "text").map((c) => c.text).join("");

const tools = (await client.listTools()).tools;
const run = await client.callTool({ name: "run_script", arguments: { script: "typecheck" } });
const id = /^started (\S+)/.exec(text(run))?.[1];
const waited = await client.callTool({ name: "wait", arguments: { processId: id, until: "exited", timeoutMs: 20000 } });
const problems = await client.callTool({ name: "get_problems", arguments: { processId: id } });
const bad = await client.callTool({ name: "run_script", arguments: { script: "nosuch" } });

process.stdout.write(JSON.stringify({
  instructions: client.getInstructions(),
  tools: tools.map((t) => ({ name: t.name, required: t.inputSchema.required ?? [] })),
  processId: id,
  waited: text(waited),
  problems: JSON.parse(text(problems)),
  badIsError: bad.isError === true,
  bad: text(bad),
}));
await client.close();
