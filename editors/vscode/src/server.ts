// The language client's life: find the binary, start `brummer lsp`, restart
// it a few times after a crash, then stop and say so. Everything the views
// need goes through the Brummer API this hands out once the server runs.
import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State as ClientState,
} from 'vscode-languageclient/node';
import { Brummer, Rpc } from './core/protocol';
import { RestartBudget, Resolved, resolveServer, ServerNotFound, ServerSettings, serverOptions } from './core/settings';

export function readSettings(): ServerSettings {
  const cfg = vscode.workspace.getConfiguration('brummer');
  // Only values the user set: defaults would override .brummer.toml.
  const explicit = <T>(key: string): T | undefined => {
    const i = cfg.inspect<T>(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  };
  return {
    proxyEnabled: explicit<boolean>('proxy.enabled'),
    injectMonitor: explicit<boolean>('proxy.injectMonitor'),
    logStoreMaxEntries: explicit<number>('logStore.maxEntries'),
  };
}

export class Server implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private api: Brummer | undefined;
  private readonly budget = new RestartBudget(4, 3 * 60_000);
  private readonly readyEmitter = new vscode.EventEmitter<Brummer>();
  private readonly stoppedEmitter = new vscode.EventEmitter<void>();
  /** Fires each time a server is up (first start and every restart). */
  readonly onReady = this.readyEmitter.event;
  /** Fires when the server went away (crash, stop, restart). */
  readonly onStopped = this.stoppedEmitter.event;
  // The language client keeps one handler per method (a second replaces the
  // first): each method gets one dispatcher to every handler registered here.
  private readonly notifications = new Map<string, Array<(params: any) => void>>();
  resolved: Resolved | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get brummer(): Brummer | undefined {
    return this.api;
  }

  /** Registers a handler for a server notification, on every client to come. */
  onNotification(method: string, handler: (params: any) => void): void {
    const handlers = this.notifications.get(method);
    if (handlers) {
      handlers.push(handler);
      return;
    }
    this.notifications.set(method, [handler]);
    this.client?.onNotification(method, this.dispatcher(method));
  }

  private dispatcher(method: string): (params: any) => void {
    return (params) => {
      for (const h of this.notifications.get(method) ?? []) {
        try {
          h(params);
        } catch (err) {
          this.output.error(`handling ${method}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    };
  }

  async start(): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('brummer');
    try {
      this.resolved = resolveServer({
        setting: cfg.get<string>('server.path'),
        extensionPath: this.context.extensionPath,
        envPath: process.env.PATH,
        home: os.homedir(),
      });
    } catch (err) {
      if (err instanceof ServerNotFound) {
        this.resolved = undefined;
        this.output.error(err.message);
        void this.complain(`Brummer: ${err.message}`);
        return;
      }
      throw err;
    }
    const { path, from } = this.resolved;
    this.output.info(`starting ${path} lsp (from ${from})`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: '**/package.json' }],
      initializationOptions: serverOptions(readSettings()),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: {
        error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue, handled: true }),
        closed: (): CloseHandlerResult => this.closed(),
      },
    };
    const client = new LanguageClient(
      'brummer',
      'Brummer',
      {
        command: path,
        args: serverArgs(cfg.get<string[]>('server.args', [])),
        options: { cwd: folder?.uri.fsPath },
      },
      clientOptions,
    );
    this.client = client;
    for (const method of this.notifications.keys()) client.onNotification(method, this.dispatcher(method));
    client.onDidChangeState((e) => {
      if (client !== this.client) return;
      if (e.newState === ClientState.Running) {
        this.api = new Brummer(rpcOf(client));
        void vscode.commands.executeCommand('setContext', 'brummer.serverRunning', true);
        this.readyEmitter.fire(this.api);
      } else if (e.oldState === ClientState.Running) {
        this.api = undefined;
        void vscode.commands.executeCommand('setContext', 'brummer.serverRunning', false);
        this.stoppedEmitter.fire();
      }
    });
    try {
      await client.start();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.output.error(`could not start ${path} lsp: ${why}`);
      void this.complain(`Brummer: could not start the server ${path}: ${why}`);
    }
  }

  private closed(): CloseHandlerResult {
    const path = this.resolved?.path ?? 'brummer';
    if (this.budget.crashed(Date.now())) {
      this.output.warn(`the server ${path} exited; restarting it`);
      return { action: CloseAction.Restart, handled: true };
    }
    const msg = `Brummer: the server ${path} crashed ${this.budget.max + 1} times in 3 minutes and was not restarted; see the Brummer output, then run "Brummer: Restart Server"`;
    this.output.error(msg);
    void this.complain(msg);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  // complain shows one notification with a way to the setting or the output.
  private async complain(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Setting', 'Show Output');
    if (choice === 'Open Setting') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'brummer.server.path');
    } else if (choice === 'Show Output') {
      this.output.show(true);
    }
  }

  /** Stops the server and starts it again (new binary or arguments are picked up). */
  async restart(): Promise<void> {
    this.budget.reset();
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      if (client.isRunning()) await client.stop(5000);
    } catch (err) {
      this.output.warn(`stopping the server: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.client === client) {
      this.client = undefined;
      if (this.api) {
        this.api = undefined;
        this.stoppedEmitter.fire();
      }
    }
    await client.dispose().catch(() => undefined);
  }

  /** Sends changed settings to the running server. */
  configurationChanged(): void {
    void this.client?.sendNotification('workspace/didChangeConfiguration', {
      settings: serverOptions(readSettings()),
    });
  }

  dispose(): void {
    void this.stop();
    this.readyEmitter.dispose();
    this.stoppedEmitter.dispose();
  }
}

// The server logs to stderr, which the client shows at error level: only
// warnings and errors, unless the user asks for more.
function serverArgs(user: string[]): string[] {
  const quiet = user.some((a) => a === '--log-level' || a.startsWith('--log-level=')) ? [] : ['--log-level', 'warn'];
  return ['lsp', ...quiet, ...user];
}

function rpcOf(client: LanguageClient): Rpc {
  return {
    sendRequest: <R>(method: string, params: unknown) => client.sendRequest<R>(method, params),
    onNotification: (method, handler) => client.onNotification(method, handler),
  };
}
