// The client-side state the views show: the server's last snapshot of
// processes and URLs, and the workspace's scripts. Filled by the brummer/*
// requests at start (and after a server restart) and kept current by the
// server's notifications; never polled.
import { Brummer, Disposable, notifications, Process, Rpc, Script, Url } from './protocol';

export type Listener = () => void;

export class State {
  processes: Process[] = [];
  urls: Url[] = [];
  scripts: Script[] = [];
  /** Set once the first snapshot arrived, so views can tell "empty" from "not yet known". */
  loaded = false;

  private readonly listeners = new Set<Listener>();
  // A snapshot from a notification is newer than the answer of a request
  // sent before it arrived: the counters let a late answer be discarded.
  private processGen = 0;
  private urlGen = 0;

  onChange(listener: Listener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Subscribes to the server's snapshots on rpc. */
  attach(rpc: Pick<Rpc, 'onNotification'>): Disposable[] {
    return [
      rpc.onNotification(notifications.processesChanged, (p: { processes: Process[] | null }) => {
        this.processGen++;
        this.processes = p.processes ?? [];
        this.changed();
      }),
      rpc.onNotification(notifications.urlsChanged, (p: { urls: Url[] | null }) => {
        this.urlGen++;
        this.urls = p.urls ?? [];
        this.changed();
      }),
    ];
  }

  /** Asks the server for the whole state (at start and after a restart). */
  async refresh(api: Brummer): Promise<void> {
    const pg = this.processGen;
    const ug = this.urlGen;
    const [scripts, processes, urls] = await Promise.all([api.scripts(), api.processes(), api.urls()]);
    this.scripts = scripts;
    if (pg === this.processGen) this.processes = processes;
    if (ug === this.urlGen) this.urls = urls;
    this.loaded = true;
    this.changed();
  }

  /** The server went away, and its processes with it; the scripts stay listed. */
  serverGone(): void {
    this.processGen++;
    this.urlGen++;
    this.processes = [];
    this.urls = [];
    this.changed();
  }

  /** Asks again for the scripts (after a manifest changed on disk). */
  async refreshScripts(api: Brummer): Promise<void> {
    this.scripts = await api.scripts();
    this.changed();
  }

  /** The newest process of a script in a directory, if any. */
  processOf(script: string, dir: string): Process | undefined {
    // processes are newest first.
    return this.processes.find((p) => p.script === script && p.dir === dir);
  }

  /** The newest process of each script, newest first: a run replaces the one before. */
  latest(): Process[] {
    const seen = new Set<string>();
    return this.processes.filter((p) => {
      const key = p.dir + '\0' + p.script;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  process(id: string): Process | undefined {
    return this.processes.find((p) => p.id === id);
  }

  totals(): { running: number; errors: number; warnings: number } {
    let running = 0;
    let errors = 0;
    let warnings = 0;
    for (const p of this.processes) if (p.status === 'running' || p.status === 'starting') running++;
    // Only the newest run of each script counts: an older run's problems
    // were replaced when the script started again.
    for (const p of this.latest()) {
      errors += p.errors;
      warnings += p.warnings;
    }
    return { running, errors, warnings };
  }
}
