// Brummer for VS Code: starts `brummer lsp` for the workspace and shows its
// processes, URLs, scripts and logs. Lenses, hovers and problems come from
// the language client as they are; this file wires the rest to VS Code.
import * as vscode from 'vscode';
import { isActive, Process, Script } from './core/protocol';
import { State } from './core/state';
import { statusBar } from './core/tree';
import { LogChannels } from './logview';
import { registerMcp } from './mcp';
import { Server } from './server';
import { registerTasks } from './tasks';
import { Node, ProcessesView, ScriptsView, UrlsView } from './views';

let running: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Brummer', { log: true });
  const state = new State();
  const server = new Server(context, output);
  running = server;
  const logs = new LogChannels(server, state);
  context.subscriptions.push(output, server, logs);

  state.attach({
    onNotification: (method, handler) => {
      server.onNotification(method, handler);
      return { dispose() {} };
    },
  });
  server.onReady(async (api) => {
    try {
      await state.refresh(api);
    } catch (err) {
      output.error(`reading the server's state: ${err instanceof Error ? err.message : err}`);
    }
  });
  server.onStopped(() => state.serverGone());

  const views = {
    processes: new ProcessesView(state),
    urls: new UrlsView(state),
    scripts: new ScriptsView(state),
  };
  context.subscriptions.push(
    vscode.window.createTreeView('brummer.processes', { treeDataProvider: views.processes }),
    vscode.window.createTreeView('brummer.urls', { treeDataProvider: views.urls }),
    vscode.window.createTreeView('brummer.scripts', { treeDataProvider: views.scripts }),
  );

  const item = vscode.window.createStatusBarItem('brummer.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Brummer';
  item.command = 'brummer.processes.focus';
  const updateStatus = () => {
    const s = statusBar(state);
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.accessibilityInformation = { label: s.tooltip };
    void vscode.commands.executeCommand('setContext', 'brummer.noScripts', state.loaded && !state.scripts.length);
  };
  updateStatus();
  item.show();
  const sub = state.onChange(updateStatus);
  context.subscriptions.push(item, { dispose: () => sub.dispose() });

  const api = () => {
    const b = server.brummer;
    if (!b) throw new Error('the server is not running; see the Brummer output or run "Brummer: Restart Server"');
    return b;
  };
  // Each command reports its failure once, as the server worded it.
  const command = (id: string, fn: (...args: any[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: any[]) => {
      try {
        await fn(...args);
      } catch (err) {
        void vscode.window.showErrorMessage(`Brummer: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  const processOf = (node?: Node): Process | undefined => {
    if (node?.kind === 'process') return state.process(node.process.id) ?? node.process;
    if (node?.kind === 'script') return state.processOf(node.script.name, node.script.dir);
    return undefined;
  };
  const pickScript = async (): Promise<Script | undefined> => {
    const picked = await vscode.window.showQuickPick(
      state.scripts.map((s) => ({
        label: s.name,
        description: vscode.workspace.asRelativePath(s.dir, true),
        detail: s.command,
        script: s,
      })),
      { placeHolder: 'Run a script with Brummer', matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.script;
  };
  const pickProcess = async (active: boolean): Promise<Process | undefined> => {
    const list = state.processes.filter((p) => !active || isActive(p.status));
    const picked = await vscode.window.showQuickPick(
      list.map((p) => ({ label: p.script, description: `${p.id} · ${p.status}`, detail: p.dir, process: p })),
      { placeHolder: active ? 'Which process?' : 'Show the log of…' },
    );
    return picked?.process;
  };

  context.subscriptions.push(
    command('brummer.runScript', async (node?: Node) => {
      const s = node?.kind === 'script' ? node.script : await pickScript();
      if (s) await api().run(s.name, s.dir);
    }),
    command('brummer.runAgain', async (node?: Node) => {
      const p = processOf(node);
      if (p) await api().run(p.script, p.dir);
    }),
    command('brummer.stopProcess', async (node?: Node) => {
      const p = processOf(node) ?? (await pickProcess(true));
      if (p) await api().stop(p.id);
    }),
    command('brummer.restartProcess', async (node?: Node) => {
      const p = processOf(node) ?? (await pickProcess(true));
      if (p) await api().restart(p.id);
    }),
    command('brummer.showLog', async (node?: Node) => {
      const p = processOf(node) ?? (await pickProcess(false));
      if (p) await logs.show(p);
    }),
    command('brummer.stopAllProcesses', () => api().stopAll()),
    command('brummer.restartAllProcesses', () => api().restartAll()),
    command('brummer.clearAllLogs', async () => {
      await api().clearLogs();
      logs.clear();
    }),
    command('brummer.showProblems', () => vscode.commands.executeCommand('workbench.actions.view.problems')),
    command('brummer.restartServer', () => server.restart()),
    command('brummer.openUrl.external', (node?: Node) =>
      node?.kind === 'url' ? vscode.env.openExternal(vscode.Uri.parse(node.url.url)) : undefined,
    ),
    command('brummer.openProxyUrl.external', (node?: Node) =>
      node?.kind === 'url' && node.url.proxyUrl ? vscode.env.openExternal(vscode.Uri.parse(node.url.proxyUrl)) : undefined,
    ),
    // Beside the editor, as a preview: package.json and its lenses stay.
    command('brummer.openUrl.simpleBrowser', (node?: Node) =>
      node?.kind === 'url'
        ? vscode.commands.executeCommand('simpleBrowser.api.open', vscode.Uri.parse(node.url.url), {
            viewColumn: vscode.ViewColumn.Beside,
            preserveFocus: true,
          })
        : undefined,
    ),
    command('brummer.copyUrl', (node?: Node) => (node?.kind === 'url' ? vscode.env.clipboard.writeText(node.url.url) : undefined)),
    command('brummer.copyProxyUrl', (node?: Node) =>
      node?.kind === 'url' && node.url.proxyUrl ? vscode.env.clipboard.writeText(node.url.proxyUrl) : undefined,
    ),
  );

  // The server reads manifests itself; the Scripts view asks again when one changes.
  const manifests = vscode.workspace.createFileSystemWatcher('**/package.json');
  let pending: ReturnType<typeof setTimeout> | undefined;
  const rescan = (uri: vscode.Uri) => {
    if (uri.path.includes('/node_modules/')) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      const b = server.brummer;
      if (b) void state.refreshScripts(b).catch(() => undefined);
    }, 300);
  };
  context.subscriptions.push(manifests, manifests.onDidChange(rescan), manifests.onDidCreate(rescan), manifests.onDidDelete(rescan));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('brummer.server')) void server.restart();
      else if (e.affectsConfiguration('brummer')) server.configurationChanged();
    }),
    registerTasks(server, state),
  );
  const mcp = registerMcp(server, output);
  if (mcp) context.subscriptions.push(mcp);

  await server.start();
}

export function deactivate(): Promise<void> | undefined {
  // Waited for by VS Code: the server's shutdown stops every process it started.
  const server = running;
  running = undefined;
  return server?.stop();
}
