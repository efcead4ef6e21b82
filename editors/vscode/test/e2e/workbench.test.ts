// The extension in a real VS Code: code-server with the .vsix installed,
// opened in headless Debian Chromium on the fixture workspace. Every check
// reads the workbench's DOM (and /proc for the processes); every wait is on
// a condition with a deadline. Screenshots go to build/e2e/.
import { execFileSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, chromium, ElementHandle, Locator, Page } from 'playwright-core';
import { alive, fixture, processesIn, workspace } from '../unit/harness';
import { checkHost, CodeServer, installExtension, startCodeServer } from './host';

const shots = path.resolve(__dirname, '../../build/e2e'); // from out/e2e
const T = 30_000;

/** Waits until check() holds, re-reading it every 100 ms, for conditions with no event (/proc). */
async function until<V>(what: string, check: () => V | undefined | false, ms = T): Promise<V> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Live processes below pid (children, grandchildren...), from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] !== 'Z') parent.set(Number(name), Number(rest[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, ppid] of parent) if (ppid === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}

function findFile(root: string, name: string): string | undefined {
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e.name === name) {
      return p;
    }
  }
  return undefined;
}

describe('Brummer in a real VS Code (code-server + headless Chromium)', () => {
  let dir: string;
  let ws: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let servePids: number[] = [];

  const shot = async (name: string) => {
    const file = path.join(shots, name);
    await page.screenshot({ path: file });
    console.log(`screenshot: ${file}`);
    return file;
  };
  // A failing step leaves its own screenshot and page, taken at the failure.
  const check = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        const base = `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`;
        await shot(`${base}.png`).catch(() => undefined);
        fs.writeFileSync(path.join(shots, `${base}.html`), await page.content().catch(() => ''));
        throw err;
      }
    });
  const pane = (title: string): Locator =>
    page.locator('.pane').filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
  const row = (p: Locator, label: string): Locator =>
    p.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  const status = () => page.locator('.statusbar-item [aria-label^="Brummer:"], .statusbar-item[aria-label^="Brummer:"]').first();

  // The code lens with title right above the line of a script's key in the
  // open package.json, found in one look at the DOM (lenses are re-rendered
  // whenever the server refreshes them).
  async function lensAbove(script: string, title: string): Promise<ElementHandle<Element>> {
    const found = await page.waitForFunction(
      ([script, title]) => {
        // The shown editor that has the script's line (an editor closed
        // before, such as the Simple Browser's, may stay in the DOM).
        let editor: Element | undefined;
        let line: Element | undefined;
        for (const e of document.querySelectorAll('.editor-instance .monaco-editor')) {
          if (!(e as HTMLElement).offsetParent) continue;
          line = [...e.querySelectorAll('.view-line')].find((l) =>
            (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(`"${script}":`),
          );
          if (line) {
            editor = e;
            break;
          }
        }
        if (!editor || !line) return null;
        const box = line.getBoundingClientRect();
        let best: Element | null = null;
        let gap = Infinity;
        for (const a of editor.querySelectorAll('.codelens-decoration a')) {
          if (!(a.textContent ?? '').includes(title)) continue;
          const g = box.top - a.getBoundingClientRect().bottom;
          if (g >= -2 && g < gap) [best, gap] = [a, g];
        }
        // Directly above: not a lens of an earlier line.
        return best && gap < box.height ? best : null;
      },
      [script, title] as const,
      { timeout: T },
    ).catch(async (err) => {
      // What the page showed instead, for the failure's message.
      const seen = await page.evaluate((script) =>
        [...document.querySelectorAll('.editor-instance .monaco-editor')].map((e) => {
          const r = (x: Element) => { const b = x.getBoundingClientRect(); return `${Math.round(b.top)}-${Math.round(b.bottom)}`; };
          const line = [...e.querySelectorAll('.view-line')].find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(`"${script}":`));
          const lenses = [...e.querySelectorAll('.codelens-decoration a')].map((a) => `${(a.textContent ?? '').trim()}@${r(a)}`);
          return `editor shown=${!!(e as HTMLElement).offsetParent} at ${r(e)}; line ${line ? r(line) : 'none'}; lenses ${lenses.join(', ')}`;
        }).join('\n'), script);
      throw new Error(`${err.message}\n${seen}`);
    });
    return found.asElement() as ElementHandle<Element>;
  }

  // Clicking a script in the Scripts view opens its package.json.
  async function openManifest(): Promise<void> {
    await row(pane('Scripts'), 'serve').click();
    await page.locator('.tab.active', { hasText: 'package.json' }).waitFor({ timeout: T });
  }

  // Clicks a lens; a lens re-rendered between finding and clicking is looked up again.
  async function clickLens(script: string, title: string): Promise<void> {
    const end = Date.now() + T;
    for (;;) {
      try {
        await (await lensAbove(script, title)).click({ timeout: 5000 });
        return;
      } catch (err) {
        if (Date.now() > end) throw err;
      }
    }
  }

  before(async () => {
    const vsix = process.env.VSIX;
    assert.ok(vsix && fs.existsSync(vsix), `VSIX=${vsix} is not a file: run \`make vscode-e2e\``);
    checkHost();
    fs.mkdirSync(shots, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brummer-e2e-'));
    ws = workspace(fixture);
    const out = await installExtension(vsix, dir);
    assert.match(out, /successfully installed/i, out);
    server = await startCodeServer(dir, ws);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // The clipboard is read back in the Copy URL check.
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    if (page && process.exitCode) {
      await shot('failure.png').catch(() => undefined);
      fs.writeFileSync(path.join(shots, 'failure.html'), await page.content().catch(() => ''));
      // VS Code's own logs (extension host, Brummer's output channel) for the diagnosis.
      fs.cpSync(path.join(dir, 'user-data/logs'), path.join(shots, 'logs'), { recursive: true });
      fs.writeFileSync(path.join(shots, 'code-server.log'), server?.log() ?? '');
    }
    await browser?.close();
    await server?.stop();
    // Nothing may outlive the editor: no script, no server.
    const left = processesIn(ws).map((p) => `${p} ${cmdline(p)}`);
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'processes left after code-server stopped');
  });

  check('shows the Brummer view container with Processes, URLs and Scripts', async () => {
    const icon = page.locator('.activitybar [aria-label^="Brummer"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    for (const v of ['Processes', 'URLs', 'Scripts']) await pane(v).waitFor({ timeout: T });
    for (const s of ['serve', 'typecheck', 'chatty', 'gated', 'flood']) {
      await row(pane('Scripts'), s).waitFor({ timeout: 60_000 });
    }
    await status().waitFor({ timeout: T });
    assert.equal(await status().getAttribute('aria-label'), 'Brummer: 0 running, 0 errors, 0 warnings');
    // The status bar item brings the view back from another one.
    await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
    await pane('Processes').waitFor({ state: 'hidden', timeout: T });
    await status().click();
    await pane('Processes').waitFor({ timeout: T });
  });

  check('runs serve from its Run lens in package.json; its URL row copies and opens both URLs', async () => {
    await openManifest();
    await clickLens('serve', '▶ Run');

    const serve = row(pane('Processes'), 'serve');
    await serve.locator('.label-description', { hasText: /^running/ }).waitFor({ timeout: T });
    // The row and the lens say since when it runs (a running time would
    // freeze in both: they are drawn again only when something changes).
    await serve.locator('.label-description', { hasText: /^running since \d\d:\d\d$/ }).waitFor({ timeout: T });
    await lensAbove('serve', '● running since');
    const pids = await until('serve.js in /proc', () => {
      const p = processesIn(ws).filter((p) => cmdline(p).includes('serve.js'));
      return p.length ? p : undefined;
    });
    servePids = pids;
    console.log(`serve runs as ${pids.map((p) => `${p} (${cmdline(p)})`).join(', ')}`);
    await lensAbove('serve', '■ Stop');
    await page.locator('.statusbar-item [aria-label^="Brummer: 1 running"], .statusbar-item[aria-label^="Brummer: 1 running"]').first().waitFor({ timeout: T });
    const url = pane('URLs').locator('.monaco-list-row .label-name', { hasText: /^http:\/\/localhost:\d+\/$/ });
    await url.waitFor({ timeout: T });
    await pane('URLs').locator('.label-description', { hasText: /^proxy http:\/\/127\.0\.0\.1:\d+\// }).waitFor({ timeout: T });
    await shot('brummer-view.png');
    const devURL = (await url.innerText()).trim();
    // The row's description: "proxy http://127.0.0.1:PORT/ · serve".
    const proxyURL = /^proxy\s+(\S+)/.exec((await pane('URLs').locator('.label-description').first().innerText()).trim())?.[1];
    assert.ok(proxyURL, 'the URL row names no proxy');
    // An item of the URL row's context menu, chosen as a person does with
    // the keyboard once the menu is open (the menu is focused).
    const menu = async (item: string) => {
      await url.click({ button: 'right' });
      const entry = page.locator('.context-view a.action-menu-item', { hasText: new RegExp(`^${item}$`) });
      await entry.waitFor({ timeout: T });
      await entry.hover();
      await page.keyboard.press('Enter');
      await entry.waitFor({ state: 'detached', timeout: T });
    };
    // The row's context menu copies the URL and the proxy's URL.
    const copy = async (item: string): Promise<string> => {
      await page.evaluate(() => navigator.clipboard.writeText(''));
      await menu(item);
      const end = Date.now() + T;
      for (;;) {
        const text = await page.evaluate(() => navigator.clipboard.readText());
        if (text) return text;
        if (Date.now() > end) throw new Error(`${item} left the clipboard empty`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    assert.equal(await copy('Copy URL'), devURL);
    assert.equal(await copy('Copy Proxy URL'), proxyURL);
    // Open in Simple Browser: VS Code's own browser tab shows the page.
    await menu('Open in Simple Browser');
    await page.locator('.tab', { hasText: 'Simple Browser' }).waitFor({ timeout: T });
    const inner = await until('the Simple Browser frame on the dev server', () =>
      page.frames().find((f) => f.url().startsWith(devURL)),
    );
    await inner.locator('h1', { hasText: 'fixture' }).waitFor({ timeout: T });
    await shot('simple-browser.png');
    const sb = page.locator('.tab', { hasText: 'Simple Browser' });
    await sb.hover();
    await sb.locator('.tab-actions .action-label').click();
    await sb.waitFor({ state: 'detached', timeout: T });
    // Clicking the URL opens it in the browser: a new tab with the dev server's page.
    const opened = page.context().waitForEvent('page', { timeout: T });
    await url.click();
    const tab = await opened;
    await tab.locator('h1', { hasText: 'fixture' }).waitFor({ timeout: T });
    console.log(`the URL row opened ${tab.url()}`);
    await tab.close();
  });

  check('puts the recorded tsc errors of typecheck in Problems at their file and line', async () => {
    await openManifest();
    await clickLens('typecheck', '▶ Run');
    await row(pane('Processes'), 'typecheck')
      .locator('.label-description', { hasText: 'failed (exit 2) · 3 errors' })
      .waitFor({ timeout: T });
    await page.locator('.statusbar-item [aria-label="Brummer: 1 running, 3 errors, 0 warnings"], .statusbar-item[aria-label="Brummer: 1 running, 3 errors, 0 warnings"]').first().waitFor({ timeout: T });

    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');
    await markers.waitFor({ timeout: T });
    await markers.locator('.monaco-list-row', { hasText: 'app.ts' }).first().waitFor({ timeout: T });
    const want: Array<[string, string, string]> = [
      ["Type 'string' is not assignable to type 'number'.", 'TS2322', '[Ln 10, Col 7]'],
      ["Argument of type '{ name: string; }' is not assignable to parameter of type 'User'.", 'TS2345', '[Ln 12, Col 7]'],
      ["Cannot find name 'missingValue'.", 'TS2304', '[Ln 14, Col 30]'],
    ];
    for (const [message, code, at] of want) {
      // Brummer's problems name tsc; VS Code's own TypeScript says "ts".
      const r = markers.locator('.monaco-list-row').filter({ hasText: message }).filter({ hasText: 'tsc' }).first();
      await r.waitFor({ timeout: T });
      const text = (await r.innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes(at), `problem "${message}" is not at ${at}: ${text}`);
      assert.match(text, new RegExp(`\\btsc\\W*${code}\\b`), `problem "${message}" does not name tsc and ${code}: ${text}`);
    }
    await shot('problems.png');
    // The problem leads to the file.
    await markers.locator('.monaco-list-row').filter({ hasText: "Cannot find name 'missingValue'." }).filter({ hasText: 'tsc' }).first().click();
    await page.locator('.tab.active', { hasText: 'app.ts' }).waitFor({ timeout: T });
  });

  check('stops serve from its row, and nothing of it is left', async () => {
    const serve = row(pane('Processes'), 'serve');
    await serve.hover();
    await serve.locator('.actions .action-label[aria-label*="Stop"]').click();
    await serve.locator('.label-description', { hasText: /^stopped/ }).waitFor({ timeout: T });
    await openManifest();
    await lensAbove('serve', '▶ Run');
    // Gone: serve's processes, and every process the server started.
    const server = processesIn(ws).find((p) => /\/bin\/brummer lsp\b/.test(cmdline(p)));
    assert.ok(server, 'the bundled brummer lsp is not running in the workspace');
    const left = () => [...servePids.filter(alive), ...descendants(server)];
    await until('serve and its children to be gone', () => left().length === 0).catch((err) => {
      throw new Error(`${err.message}: ${left().map((p) => `${p} ${cmdline(p)}`).join('; ')}`);
    });
    await page.locator('.statusbar-item [aria-label="Brummer: 0 running, 3 errors, 0 warnings"], .statusbar-item[aria-label="Brummer: 0 running, 3 errors, 0 warnings"]').first().waitFor({ timeout: T });
    await shot('stopped.png');
  });

  check('runs a script from the Scripts view and follows its log in an output channel', async () => {
    const script = row(pane('Scripts'), 'chatty');
    await script.hover();
    await script.locator('.actions .action-label[aria-label*="Run Script"]').click();
    const proc = row(pane('Processes'), 'chatty');
    await proc.locator('.label-description', { hasText: /^running/ }).waitFor({ timeout: T });
    await proc.click();
    const output = page.locator('.panel .output-view, .panel [id="workbench.panel.output"]').first();
    await output.waitFor({ timeout: T });
    // The channel opens with the newest lines: the last one is on screen.
    await output.locator('.view-line', { hasText: /\[info\]\s+line\s+500$/ }).waitFor({ timeout: T });
    await shot('log.png');
    // Stop All from the view's title bar.
    await pane('Processes').locator('.pane-header').hover();
    await pane('Processes').locator('.pane-header .action-label[aria-label*="Stop All"]').click();
    await proc.locator('.label-description', { hasText: /^stopped/ }).waitFor({ timeout: T });
    await page.locator('.statusbar-item [aria-label^="Brummer: 0 running"], .statusbar-item[aria-label^="Brummer: 0 running"]').first().waitFor({ timeout: T });
  });

  check('caps a 100k-line burst in its log channel, and says what it left out', async () => {
    // The burst waits on the FIFO until the channel follows the process.
    const gate = path.join(ws, 'flood-gate');
    execFileSync('mkfifo', [gate]);
    // Brummer: Run Script… from the palette: the quick pick of every script.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill('>Brummer: Run Script');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Brummer: Run Script' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'node flood.js' }).first().click();
    const proc = row(pane('Processes'), 'flood');
    await proc.locator('.label-description', { hasText: /^running/ }).waitFor({ timeout: T });
    await proc.click();
    const output = page.locator('.panel .output-view').first();
    await output.locator('.view-line', { hasText: /\[info\]\s+flood\s+ready$/ }).waitFor({ timeout: T });
    await fs.promises.writeFile(gate, 'go\n');
    await output.locator('.view-line', { hasText: /\[info\]\s+line\s+100000$/ }).waitFor({ timeout: 60_000 });
    // The channel's own file (VS Code writes each log channel to one).
    const file = await until('the channel file of flood', () => findFile(path.join(dir, 'user-data/logs'), 'Brummer flood.log'));
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((l) => /\[info\] line \d+$/.test(l)).length;
    assert.ok(lines < 100_000, `all ${lines} lines reached the channel`);
    assert.match(text, /\[warning\] \[brummer\] \d+ lines not shown/);
    console.log(`flood: ${lines} of 100000 lines in the channel`);
    await shot('flood.png');
    await pane('Processes').locator('.pane-header').hover();
    await pane('Processes').locator('.pane-header .action-label[aria-label*="Stop All"]').click();
    await proc.locator('.label-description', { hasText: /^stopped/ }).waitFor({ timeout: T });
  });

  check('runs a script as a brummer task, in the server, its output in the terminal', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill('>Tasks: Run Task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Tasks: Run Task' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^\s*brummer/ }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'typecheck' }).first().click();
    // The task is a process of the server: the view shows its new run.
    const proc = row(pane('Processes'), 'typecheck');
    const terminal = page.locator('.terminal-wrapper .xterm-rows, .terminal-wrapper .xterm-accessibility-tree').first();
    await terminal.waitFor({ timeout: T });
    await page.waitForFunction(
      () => /typecheck failed \(exit 2\)/.test(document.querySelector('.terminal-wrapper .xterm-rows')?.textContent ?? ''),
      undefined,
      { timeout: T },
    );
    const text = (await terminal.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /error TS2322: Type 'string' is not assignable to type 'number'\./);
    await proc.locator('.label-description', { hasText: 'failed (exit 2) · 3 errors' }).waitFor({ timeout: T });
    await shot('task.png');
  });

  // Runs a palette command by its title.
  async function palette(title: string): Promise<void> {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
  }
  const brummerLsp = () => processesIn(ws).filter((p) => /\/bin\/brummer lsp\b/.test(cmdline(p)));

  check('restarts a crashed server and shows its fresh state', async () => {
    const [old] = brummerLsp();
    assert.ok(old, 'no brummer lsp running');
    process.kill(old, 'SIGKILL');
    const [fresh] = await until('a new brummer lsp', () => {
      const p = brummerLsp().filter((p) => p !== old);
      return p.length ? p : undefined;
    });
    console.log(`server ${old} killed, restarted as ${fresh}`);
    await pane('Processes').locator('.welcome-view-content, .pane-body', { hasText: 'Nothing has run yet.' }).first().waitFor({ timeout: T });
    await page.locator('.statusbar-item [aria-label="Brummer: 0 running, 0 errors, 0 warnings"], .statusbar-item[aria-label="Brummer: 0 running, 0 errors, 0 warnings"]').first().waitFor({ timeout: T });

    // The new server runs scripts: one from the palette's quick pick.
    await palette('Brummer: Run Script…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^\s*serve\b/ }).first().click();
    await row(pane('Processes'), 'serve').locator('.label-description', { hasText: /^running/ }).waitFor({ timeout: T });
    const serve = await until('serve.js in /proc', () => {
      const p = processesIn(ws).filter((p) => cmdline(p).includes('serve.js'));
      return p.length ? p : undefined;
    });

    // Restart Server: the old server's shutdown stops what it ran.
    await palette('Brummer: Restart Server');
    await until('serve gone with the old server', () => !serve.some(alive) && !alive(fresh));
    await until('a third brummer lsp', () => brummerLsp().filter((p) => p !== fresh).length > 0);
    await pane('Processes').locator('.welcome-view-content, .pane-body', { hasText: 'Nothing has run yet.' }).first().waitFor({ timeout: T });
  });

  check('says which binary it could not start, with a way to the setting', async () => {
    // A remote window (code-server is one) reads machine-scoped settings from
    // the workspace or the machine, not the browser's user settings.
    const settings = path.join(ws, '.vscode/settings.json');
    const missing = path.join(dir, 'no-such-dir/brummer');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'brummer.server.path': missing }));
    const toast = page.locator('.notification-toast', { hasText: `brummer.server.path is "${missing}", which is not an executable file` });
    await toast.waitFor({ timeout: T });
    await toast.getByRole('button', { name: 'Open Setting' }).waitFor({ timeout: T });
    await until('no brummer lsp', () => brummerLsp().length === 0);
    await pane('Processes').locator('.welcome-view-content, .pane-body', { hasText: "Brummer's server is not running." }).first().waitFor({ timeout: T });
    await shot('missing-binary.png');
    // Clearing the setting brings the bundled server back.
    fs.rmSync(path.dirname(settings), { recursive: true });
    await until('the bundled brummer lsp again', () => brummerLsp().length > 0);
    await pane('Processes').locator('.welcome-view-content, .pane-body', { hasText: 'Nothing has run yet.' }).first().waitFor({ timeout: T });
  });

  check('offers brummer mcp to the agents, and VS Code starts it on the workspace', async () => {
    await palette('MCP: List Servers');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Brummer' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Server' }).first().click();
    const mcp = await until('brummer mcp --dir <workspace> in /proc', () => {
      for (const name of fs.readdirSync('/proc')) {
        if (/^\d+$/.test(name) && cmdline(Number(name)).endsWith(`/bin/brummer mcp --dir ${ws}`)) return Number(name);
      }
      return undefined;
    });
    console.log(`VS Code started ${cmdline(mcp)} (${mcp})`);
  });
});
