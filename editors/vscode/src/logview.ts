// One log output channel per script, following its newest process: opened
// from the views, it shows the newest lines and then follows the output.
import * as vscode from 'vscode';
import { LogFollower } from './core/logs';
import { LogAppended, LogEntry, Process } from './core/protocol';
import { State } from './core/state';
import { Server } from './server';

interface Open {
  channel: vscode.LogOutputChannel;
  follower: LogFollower | undefined;
  script: string;
  dir: string;
}

export class LogChannels implements vscode.Disposable {
  private readonly open = new Map<string, Open>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly server: Server,
    private readonly state: State,
  ) {
    server.onNotification('brummer/logAppended', (b: LogAppended) => {
      for (const o of this.open.values()) if (o.follower?.processId === b.processId) o.follower.handle(b);
    });
    // A restarted script is a new process: its channel moves on to it.
    const sub = state.onChange(() => {
      for (const o of this.open.values()) {
        const p = state.processOf(o.script, o.dir);
        if (p && p.id !== o.follower?.processId) void this.follow(o, p);
      }
    });
    this.subs.push({ dispose: () => sub.dispose() });
    this.subs.push(
      server.onStopped(() => {
        // The server's process ids die with it.
        for (const o of this.open.values()) {
          if (o.follower) {
            void o.follower.dispose(false);
            o.follower = undefined;
            o.channel.warn('[brummer] the server stopped; this log ends here');
          }
        }
      }),
    );
  }

  private key(script: string, dir: string): string {
    return `${dir}\0${script}`;
  }

  /** Opens (or shows) the log of a process's script. */
  async show(p: Process): Promise<void> {
    const key = this.key(p.script, p.dir);
    let o = this.open.get(key);
    if (!o) {
      const channel = vscode.window.createOutputChannel(`Brummer: ${p.script}`, { log: true });
      o = { channel, follower: undefined, script: p.script, dir: p.dir };
      this.open.set(key, o);
    }
    o.channel.show(true);
    const newest = this.state.processOf(p.script, p.dir) ?? p;
    if (o.follower?.processId !== newest.id) await this.follow(o, newest);
  }

  private async follow(o: Open, p: Process): Promise<void> {
    const api = this.server.brummer;
    if (!api) return;
    if (o.follower) {
      await o.follower.dispose();
      o.channel.info(`[brummer] ── ${p.script} started again (${p.id}) ──`);
    }
    const channel = o.channel;
    const follower = new LogFollower(
      api,
      p.id,
      {
        write: (entries: LogEntry[]) => {
          for (const e of entries) {
            if (e.level === 'error') channel.error(e.text);
            else if (e.level === 'warn') channel.warn(e.text);
            else channel.info(e.text);
          }
        },
        note: (text) => channel.warn(text),
      },
      { tailLines: 1000, maxPending: 2000, flushMs: 200 },
    );
    o.follower = follower;
    try {
      await follower.open();
    } catch (err) {
      channel.error(`[brummer] could not open the log of ${p.script}: ${err instanceof Error ? err.message : err}`);
    }
  }

  /** Empties every channel (after Clear Logs). */
  clear(): void {
    for (const o of this.open.values()) o.channel.clear();
  }

  dispose(): void {
    for (const o of this.open.values()) {
      void o.follower?.dispose();
      o.channel.dispose();
    }
    this.open.clear();
    for (const s of this.subs) s.dispose();
  }
}
