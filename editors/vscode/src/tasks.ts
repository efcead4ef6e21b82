// The `brummer` task type: each script is a task that runs in the server
// (the same process the views show) and whose terminal shows its log.
// Closing the terminal stops the process; the task ends with its exit code.
import * as path from 'path';
import * as vscode from 'vscode';
import { LogFollower } from './core/logs';
import { isActive, LogAppended, Process } from './core/protocol';
import { State } from './core/state';
import { Server } from './server';

export interface BrummerTaskDefinition extends vscode.TaskDefinition {
  type: 'brummer';
  script: string;
  /** The package's directory, absolute or relative to the workspace folder. */
  dir?: string;
}

const active = new Set<ScriptTerminal>();

export function registerTasks(server: Server, state: State): vscode.Disposable {
  server.onNotification('brummer/logAppended', (b: LogAppended) => {
    for (const t of active) t.follower?.handle(b);
  });
  const sub = state.onChange(() => {
    for (const t of active) t.stateChanged();
  });
  const provider = vscode.tasks.registerTaskProvider('brummer', {
    provideTasks: () => {
      return state.scripts.map((s) => {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(s.dir));
        const rel = folder ? path.relative(folder.uri.fsPath, s.dir) : s.dir;
        const def: BrummerTaskDefinition = { type: 'brummer', script: s.name, ...(rel ? { dir: rel } : {}) };
        return taskFor(def, folder, server, state);
      });
    },
    resolveTask: (task) => {
      const def = task.definition as BrummerTaskDefinition;
      if (!def.script) return undefined;
      const folder = typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : undefined;
      return taskFor(def, folder, server, state);
    },
  });
  return { dispose: () => (provider.dispose(), sub.dispose()) };
}

function taskFor(
  def: BrummerTaskDefinition,
  folder: vscode.WorkspaceFolder | undefined,
  server: Server,
  state: State,
): vscode.Task {
  const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const dir = def.dir ? path.resolve(root, def.dir) : root;
  const name = def.dir ? `${def.script} (${def.dir})` : def.script;
  const task = new vscode.Task(
    def,
    folder ?? vscode.TaskScope.Workspace,
    name,
    'brummer',
    new vscode.CustomExecution(async () => new ScriptTerminal(server, state, def.script, dir)),
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always };
  return task;
}

class ScriptTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  follower: LogFollower | undefined;
  private process: Process | undefined;
  private done = false;

  constructor(
    private readonly server: Server,
    private readonly state: State,
    private readonly script: string,
    private readonly dir: string,
  ) {}

  private line(text: string): void {
    this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  async open(): Promise<void> {
    const api = this.server.brummer;
    if (!api) {
      this.line('Brummer: the server is not running (see the Brummer output).');
      this.finish(1);
      return;
    }
    active.add(this);
    try {
      this.process = await api.run(this.script, this.dir);
      this.line(`\x1b[2m> ${this.script} (${this.process.command}) as ${this.process.id}\x1b[0m`);
    } catch (err) {
      // Already running: the task shows the running process.
      const running = this.state.processOf(this.script, this.dir);
      if (running && isActive(running.status)) {
        this.process = running;
        this.line(`\x1b[2m> ${this.script} is already running (${running.id}); showing its output\x1b[0m`);
      } else {
        this.line(`Brummer: ${err instanceof Error ? err.message : String(err)}`);
        this.finish(1);
        return;
      }
    }
    this.follower = new LogFollower(api, this.process.id, {
      write: (entries) => {
        for (const e of entries) this.line(e.text);
      },
      note: (text) => this.line(`\x1b[33m${text}\x1b[0m`),
    });
    await this.follower.open().catch((err) => this.line(`Brummer: ${err instanceof Error ? err.message : err}`));
    this.stateChanged();
  }

  stateChanged(): void {
    if (!this.process || this.done) return;
    const p = this.state.process(this.process.id);
    if (!p || isActive(p.status)) return;
    void this.follower?.settled().then(() => {
      this.line(`\x1b[2m> ${this.script} ${p.status}${p.exitCode != null ? ` (exit ${p.exitCode})` : ''}\x1b[0m`);
      this.finish(p.exitCode ?? (p.status === 'failed' ? 1 : 0));
    });
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    active.delete(this);
    void this.follower?.dispose();
    this.closeEmitter.fire(code);
  }

  close(): void {
    // The user closed the terminal or terminated the task.
    const p = this.process && this.state.process(this.process.id);
    if (!this.done && p && isActive(p.status)) void this.server.brummer?.stop(p.id);
    this.done = true;
    active.delete(this);
    void this.follower?.dispose();
  }
}
