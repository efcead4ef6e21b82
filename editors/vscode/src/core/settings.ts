// The extension's settings, and what the server is started with: which
// binary, its arguments, and the initializationOptions (same keys as
// .brummer.toml).
import * as fs from 'fs';
import * as path from 'path';

/** The settings a user set explicitly; undefined means "leave it to .brummer.toml". */
export interface ServerSettings {
  proxyEnabled?: boolean;
  injectMonitor?: boolean;
  logStoreMaxEntries?: number;
}

/**
 * The initializationOptions (and didChangeConfiguration settings) for the
 * settings the user set. Unset settings are left out so that the
 * workspace's .brummer.toml keeps its say.
 */
export function serverOptions(s: ServerSettings): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  const put = (section: string, key: string, v: unknown) => {
    if (v === undefined || v === null) return;
    (out[section] ??= {})[key] = v;
  };
  put('proxy', 'enabled', s.proxyEnabled);
  put('proxy', 'inject_monitor', s.injectMonitor);
  if (s.logStoreMaxEntries !== undefined && s.logStoreMaxEntries > 0) {
    put('log_store', 'max_entries', Math.floor(s.logStoreMaxEntries));
  }
  return out;
}

export interface Resolved {
  path: string;
  from: 'setting' | 'bundled' | 'PATH';
}

export class ServerNotFound extends Error {
  constructor(
    message: string,
    readonly tried: string[],
    readonly fromSetting: boolean,
  ) {
    super(message);
  }
}

function executable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the server binary: the `brummer.server.path` setting, else the
 * binary bundled in the extension's bin/, else `brummer` on PATH.
 * A setting that names no executable is an error of its own: falling back
 * would run a binary the user did not choose.
 */
export function resolveServer(opts: {
  setting?: string;
  extensionPath: string;
  envPath?: string;
  platform?: NodeJS.Platform;
  home?: string;
}): Resolved {
  const platform = opts.platform ?? process.platform;
  const exe = platform === 'win32' ? 'brummer.exe' : 'brummer';
  const setting = opts.setting?.trim();
  if (setting) {
    let p = setting;
    if (p.startsWith('~/') && opts.home) p = path.join(opts.home, p.slice(2));
    if (executable(p)) return { path: p, from: 'setting' };
    throw new ServerNotFound(
      `brummer.server.path is ${JSON.stringify(setting)}, which is not an executable file; ` +
        'fix the setting or clear it to use the bundled binary or brummer on PATH',
      [p],
      true,
    );
  }
  const tried: string[] = [];
  const bundled = path.join(opts.extensionPath, 'bin', exe);
  tried.push(bundled);
  if (executable(bundled)) return { path: bundled, from: 'bundled' };
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of (opts.envPath ?? '').split(sep)) {
    if (!dir) continue;
    const p = path.join(dir, exe);
    if (executable(p)) return { path: p, from: 'PATH' };
  }
  tried.push(`${exe} on PATH`);
  throw new ServerNotFound(
    `no brummer binary found (tried ${tried.join(', ')}); ` +
      'install brummer, or set brummer.server.path to its full path',
    tried,
    false,
  );
}

/** Crash bookkeeping: restart a crashed server a few times, then give up. */
export class RestartBudget {
  private crashes: number[] = [];
  constructor(
    readonly max = 4,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at now; true when another restart is allowed. */
  crashed(now: number): boolean {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.max;
  }

  reset(): void {
    this.crashes = [];
  }
}
