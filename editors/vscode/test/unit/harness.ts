// Runs the real `brummer lsp` (BRUMMER_BIN, built from the tree by run.mjs)
// over pipes with vscode-languageserver-protocol, the way the language
// client talks to it, and waits on conditions with deadlines.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection,
  InitializeRequest,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { Brummer, Disposable, Rpc } from '../../src/core/protocol';

export const binary = (): string => {
  const b = process.env.BRUMMER_BIN;
  if (!b) throw new Error('BRUMMER_BIN is not set: run the tests with `npm test` (test/unit/run.mjs builds the server)');
  return b;
};

export const fixture = path.resolve(__dirname, '../../test/fixtures/workspace'); // from out/unit

/** A fresh copy of a fixture folder, or an empty temp folder. */
export function workspace(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brummer-vscode-'));
  if (from) fs.cpSync(from, dir, { recursive: true });
  return fs.realpathSync(dir);
}

export function writeJSON(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

export interface Session {
  conn: ProtocolConnection;
  rpc: Rpc;
  api: Brummer;
  child: ChildProcess;
  stderr: () => string;
  close(): Promise<void>;
}

/** Starts the server on root; notifications registered in before() see every message. */
export async function start(
  root: string,
  opts: { initializationOptions?: unknown; before?: (rpc: Rpc) => void } = {},
): Promise<Session> {
  const child = spawn(binary(), ['lsp'], { cwd: os.tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const rpc: Rpc = {
    sendRequest: <R>(method: string, params: unknown) => conn.sendRequest<R>(method, params),
    onNotification: (method, handler): Disposable => conn.onNotification(method, handler),
  };
  opts.before?.(rpc);
  conn.listen();
  const uri = pathToFileURL(root).href;
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: path.basename(root) }],
    capabilities: {},
    initializationOptions: opts.initializationOptions,
  });
  await conn.sendNotification('initialized', {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    conn,
    rpc,
    api: new Brummer(rpc),
    child,
    stderr: () => stderr,
    async close() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        // already gone
      }
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
      conn.dispose();
    },
  };
}

/**
 * Resolves when check() holds, re-checking each time one of the events
 * fires; fails after ms with what it waited for.
 */
export function waitFor<T>(
  what: string,
  check: () => T | undefined | false | null,
  events: Array<(cb: () => void) => Disposable>,
  ms = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subs: Disposable[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const s of subs) s.dispose();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const test = () => {
      let v: T | undefined | false | null;
      try {
        v = check();
      } catch (err) {
        done();
        reject(err);
        return;
      }
      if (v) {
        done();
        resolve(v as T);
      }
    };
    for (const e of events) subs.push(e(test));
    test();
  });
}

/** Whether a pid is alive, from /proc (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of live processes whose working directory is dir or below it. */
export function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      if ((cwd === dir || cwd.startsWith(dir + path.sep)) && alive(Number(name))) out.push(Number(name));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return out;
}
