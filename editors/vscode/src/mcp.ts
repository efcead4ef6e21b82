// `brummer mcp` for VS Code's agents: an MCP server definition that runs the
// same binary as the language server on the workspace. The API arrived in
// VS Code 1.101, after the lowest version this extension supports, so it is
// looked up at run time and its absence only means no MCP server.
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { Server } from './server';

interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[] | Thenable<unknown[]>;
    },
  ): vscode.Disposable;
}

type StdioDefinition = new (
  label: string,
  command: string,
  args?: string[],
  env?: Record<string, string | number | null>,
  version?: string,
) => unknown;

// hasMcp asks the binary whether it has the mcp command (older builds do
// not): `brummer mcp --help` exits 0 only where it exists.
function hasMcp(binary: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(binary, ['mcp', '--help'], { timeout: 10_000 }, (err) => resolve(!err));
  });
}

export function registerMcp(server: Server, output: vscode.LogOutputChannel): vscode.Disposable | undefined {
  const lm = (vscode as unknown as { lm?: Partial<McpApi> }).lm;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinition }).McpStdioServerDefinition;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
    output.info(`VS Code ${vscode.version} has no MCP server API; brummer mcp is not offered to agents`);
    return undefined;
  }
  const changed = new vscode.EventEmitter<void>();
  const provider = lm.registerMcpServerDefinitionProvider.call(lm, 'brummer.mcp', {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: async () => {
      const enabled = vscode.workspace.getConfiguration('brummer').get<boolean>('mcp.enabled', true);
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const binary = server.resolved?.path;
      if (!enabled || !root || !binary) return [];
      if (!(await hasMcp(binary))) {
        output.info(`${binary} has no mcp command; no MCP server for agents`);
        return [];
      }
      return [new Definition('Brummer', binary, ['mcp', '--dir', root], {}, '1')];
    },
  });
  const subs = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('brummer')) changed.fire();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    server.onReady(() => changed.fire()),
  ];
  return { dispose: () => [provider, changed, ...subs].forEach((d) => d.dispose()) };
}
