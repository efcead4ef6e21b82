// What each row of the Processes, URLs and Scripts views shows, computed
// from the state without vscode: the glue turns an Item into a TreeItem.
import * as path from 'path';
import { isActive, Process, Script, Url } from './protocol';
import { State } from './state';

export interface Item {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, e.g. "play-circle" or "loading~spin". */
  icon: string;
  /** A theme colour id for the icon. */
  color?: string;
  /** Drives the views' inline and context menus (package.json `when` clauses). */
  contextValue: string;
  expandable?: boolean;
}

const statusIcon: Record<Process['status'], [string, string | undefined]> = {
  starting: ['loading~spin', undefined],
  running: ['play-circle', 'charts.green'],
  stopping: ['loading~spin', undefined],
  stopped: ['circle-slash', 'disabledForeground'],
  success: ['pass', 'charts.green'],
  failed: ['error', 'errorForeground'],
};

/** "4s", "2m 5s", "3h 12m": how long a process has run. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The problem counts of a process, e.g. "2 errors, 1 warning", or "". */
export function problemText(p: { errors: number; warnings: number }): string {
  const parts: string[] = [];
  if (p.errors) parts.push(plural(p.errors, 'error'));
  if (p.warnings) parts.push(plural(p.warnings, 'warning'));
  return parts.join(', ');
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time as a clock shows it: "09:05" on the day of now, else with its date ("Jan 2 09:05"). */
export function clockTime(at: number, now: number): string {
  const t = new Date(at);
  const n = new Date(now);
  const hm = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  const sameDay = t.getFullYear() === n.getFullYear() && t.getMonth() === n.getMonth() && t.getDate() === n.getDate();
  return sameDay ? hm : `${months[t.getMonth()]} ${t.getDate()} ${hm}`;
}

/**
 * Where a process is in its life: "running since 09:05", "failed (exit 2)".
 * A row is drawn once and kept until the process changes: the time it
 * started stays true, a running time would freeze.
 */
export function statusText(p: Process, now: number): string {
  const started = p.startedAt ? Date.parse(p.startedAt) : NaN;
  const ended = p.endedAt ? Date.parse(p.endedAt) : NaN;
  switch (p.status) {
    case 'running':
      return Number.isNaN(started) ? 'running' : `running since ${clockTime(started, now)}`;
    case 'failed':
      return p.exitCode != null ? `failed (exit ${p.exitCode})` : 'failed';
    case 'success': {
      const took = !Number.isNaN(started) && !Number.isNaN(ended) ? ` in ${formatDuration(ended - started)}` : '';
      return `exited 0${took}`;
    }
    default:
      return p.status;
  }
}

export function processItem(p: Process, now: number): Item {
  const [icon, color] = statusIcon[p.status] ?? ['circle-outline', undefined];
  const problems = problemText(p);
  const description = [statusText(p, now), problems].filter(Boolean).join(' · ');
  const tooltip = [
    `${p.script} (${p.command})`,
    p.dir,
    `status: ${p.status}${p.pid ? `, pid ${p.pid}` : ''}${p.exitCode != null ? `, exit ${p.exitCode}` : ''}`,
    problems,
    ...(p.urls ?? []).map((u) => (u.proxyUrl ? `${u.url} → ${u.proxyUrl}` : u.url)),
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `process:${p.id}`,
    label: p.script,
    description,
    tooltip,
    icon,
    color,
    contextValue: isActive(p.status) ? 'brummer.process.active' : 'brummer.process.idle',
  };
}

export function urlItem(u: Url): Item {
  return {
    id: `url:${u.processId}:${u.url}`,
    label: u.url,
    description: u.proxyUrl ? `proxy ${u.proxyUrl} · ${u.script}` : u.script,
    tooltip: u.proxyUrl ? `${u.url}\nproxied at ${u.proxyUrl}\nfrom ${u.script}` : `${u.url}\nfrom ${u.script}`,
    icon: 'globe',
    contextValue: u.proxyUrl ? 'brummer.url.proxied' : 'brummer.url',
  };
}

export function scriptItem(s: Script, state: State): Item {
  const p = state.processOf(s.name, s.dir);
  const active = p !== undefined && isActive(p.status);
  return {
    id: `script:${s.dir}:${s.name}`,
    label: s.name,
    description: active ? `${p!.status} · ${s.command}` : s.command,
    tooltip: `${s.packageManager} run ${s.name}\n${s.command}\n${s.dir}`,
    icon: active ? 'play-circle' : 'symbol-event',
    color: active ? 'charts.green' : undefined,
    contextValue: active ? 'brummer.script.active' : 'brummer.script.idle',
  };
}

export interface ScriptGroup {
  dir: string;
  label: string;
  scripts: Script[];
}

/**
 * Scripts by package: one group per manifest directory, the workspace's
 * root package first. A workspace with a single package gets no groups.
 */
export function groupScripts(scripts: Script[], roots: string[]): ScriptGroup[] {
  const byDir = new Map<string, Script[]>();
  for (const s of scripts) {
    const list = byDir.get(s.dir) ?? [];
    list.push(s);
    byDir.set(s.dir, list);
  }
  const rel = (dir: string): string => {
    for (const r of roots) {
      const x = path.relative(r, dir);
      if (x === '') return path.basename(r);
      if (!x.startsWith('..') && !path.isAbsolute(x)) return x;
    }
    return dir;
  };
  const isRoot = (dir: string) => roots.includes(dir);
  return [...byDir.entries()]
    .map(([dir, list]) => ({ dir, label: rel(dir), scripts: list }))
    .sort((a, b) => Number(isRoot(b.dir)) - Number(isRoot(a.dir)) || a.label.localeCompare(b.label));
}

export function groupItem(g: ScriptGroup): Item {
  return {
    id: `package:${g.dir}`,
    label: g.label,
    description: plural(g.scripts.length, 'script'),
    tooltip: g.dir,
    icon: 'package',
    contextValue: 'brummer.package',
    expandable: true,
  };
}

/** The status bar item's text (codicons inline) and tooltip. */
export function statusBar(state: State): { text: string; tooltip: string } {
  const t = state.totals();
  const text = `$(play-circle) ${t.running} $(error) ${t.errors} $(warning) ${t.warnings}`;
  const tooltip = `Brummer: ${t.running} running, ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}`;
  return { text, tooltip };
}
