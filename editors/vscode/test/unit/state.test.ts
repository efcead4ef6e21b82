// The views' model against the real server: first state from the brummer/*
// requests, then the notifications; rows, status bar text and problems.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Brummer, Rpc } from '../../src/core/protocol';
import { State } from '../../src/core/state';
import { groupScripts, processItem, scriptItem, statusBar, urlItem } from '../../src/core/tree';
import { alive, fixture, processesIn, Session, start, waitFor, workspace, writeJSON } from './harness';

describe('state over the real server', () => {
  let root: string;
  let s: Session;
  const state = new State();
  const changed = (cb: () => void) => state.onChange(cb);

  before(async () => {
    root = workspace(fixture);
    s = await start(root, { before: (rpc) => state.attach(rpc) });
    await state.refresh(s.api);
  });
  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the scripts of the workspace, one package: no groups', () => {
    assert.deepEqual(state.scripts.map((x) => x.name).sort(), ['chatty', 'flood', 'gated', 'serve', 'typecheck']);
    for (const x of state.scripts) {
      assert.equal(x.dir, root);
      assert.equal(x.uri, pathToFileURL(path.join(root, 'package.json')).href);
    }
    assert.equal(groupScripts(state.scripts, [root]).length, 1);
    assert.equal(state.processes.length, 0);
    assert.equal(statusBar(state).text, '$(play-circle) 0 $(error) 0 $(warning) 0');
  });

  it('runs a script, follows it to running with its URL and proxy, and stops it', async () => {
    const started = await s.api.run('serve', root);
    assert.equal(started.script, 'serve');
    const p = await waitFor('serve to be running', () => {
      const p = state.process(started.id);
      return p?.status === 'running' && p.pid ? p : undefined;
    }, [changed]);
    assert.ok(alive(p.pid!), `pid ${p.pid} of serve is not in /proc`);

    const row = processItem(p, Date.now());
    assert.equal(row.label, 'serve');
    assert.equal(row.icon, 'play-circle');
    assert.equal(row.contextValue, 'brummer.process.active');
    assert.match(row.description!, /^running since \d\d:\d\d$/);
    const script = state.scripts.find((x) => x.name === 'serve')!;
    assert.equal(scriptItem(script, state).contextValue, 'brummer.script.active');
    assert.match(statusBar(state).text, /^\$\(play-circle\) 1 /);

    const url = await waitFor('the URL of serve', () => state.urls.find((u) => u.processId === p.id), [changed]);
    assert.match(url.url, /^http:\/\/localhost:\d+\/$/);
    assert.match(url.proxyUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const urlRow = urlItem(url);
    assert.equal(urlRow.label, url.url);
    assert.equal(urlRow.contextValue, 'brummer.url.proxied');
    assert.ok(urlRow.description!.includes(url.proxyUrl!));
    const page = await fetch(url.proxyUrl!).then((r) => r.text());
    assert.match(page, /<h1>fixture<\/h1>/);

    await s.api.stop(p.id);
    const stopped = await waitFor('serve to be stopped', () => {
      const q = state.process(p.id);
      return q?.status === 'stopped' ? q : undefined;
    }, [changed]);
    assert.equal(processItem(stopped, Date.now()).contextValue, 'brummer.process.idle');
    assert.equal(processItem(stopped, Date.now()).icon, 'circle-slash');
    assert.ok(!alive(p.pid!), `pid ${p.pid} still alive after stop`);
    assert.deepEqual(processesIn(root), [], 'processes left in the workspace after stop');
    assert.match(statusBar(state).text, /^\$\(play-circle\) 0 /);
  });

  it('counts the recorded tsc errors and puts them at the file and line tsc printed', async () => {
    const started = await s.api.run('typecheck');
    const p = await waitFor('typecheck to fail with 3 errors', () => {
      const p = state.process(started.id);
      return p?.status === 'failed' && p.errors === 3 ? p : undefined;
    }, [changed]);
    assert.equal(p.exitCode, 2);
    const row = processItem(p, Date.now());
    assert.equal(row.icon, 'error');
    assert.equal(row.description, 'failed (exit 2) · 3 errors');
    assert.equal(statusBar(state).text, '$(play-circle) 0 $(error) 3 $(warning) 0');
    assert.equal(statusBar(state).tooltip, 'Brummer: 0 running, 3 errors, 0 warnings');

    const problems = await s.api.problems(p.id);
    const app = pathToFileURL(path.join(root, 'src/app.ts')).href;
    const at = problems
      .map((x) => [x.uri, x.diagnostic.range.start.line, x.diagnostic.range.start.character, x.diagnostic.code])
      .sort((a, b) => (a[1] as number) - (b[1] as number));
    // tsc prints 1-based (line,col); LSP is 0-based.
    assert.deepEqual(at, [
      [app, 9, 6, 'TS2322'],
      [app, 11, 6, 'TS2345'],
      [app, 13, 29, 'TS2304'],
    ]);
  });

  it('shows the newest run of a script only, and counts its problems once', async () => {
    const first = state.processOf('typecheck', root)!;
    const again = await s.api.run('typecheck');
    assert.notEqual(again.id, first.id);
    await waitFor('the second typecheck to fail with 3 errors', () => {
      const p = state.process(again.id);
      return p?.status === 'failed' && p.errors === 3;
    }, [changed]);
    const rows = state.latest().filter((p) => p.script === 'typecheck');
    assert.deepEqual(rows.map((p) => p.id), [again.id]);
    assert.ok(state.process(first.id), 'the first run is gone from the server');
    assert.deepEqual(state.totals(), { running: 0, errors: 3, warnings: 0 });
  });
});

describe('state ordering', () => {
  // The interleaving "notification lands while the first-state requests are
  // out" cannot be produced on demand with the real server: this connection
  // answers when the test says so.
  it('keeps a snapshot that arrived while the requests were out over their answers', async () => {
    const answers: Array<() => void> = [];
    let notify: (params: unknown) => void = () => {};
    const rpc: Rpc = {
      sendRequest: <R>(method: string) =>
        new Promise<R>((resolve) => answers.push(() => resolve((method === 'brummer/scripts' ? [] : [{ id: 'old' }]) as R))),
      onNotification: (method, handler) => {
        if (method === 'brummer/processesChanged') notify = handler;
        return { dispose() {} };
      },
    };
    const state = new State();
    state.attach(rpc);
    const pending = state.refresh(new Brummer(rpc));
    notify({ processes: [{ id: 'new' }] });
    for (const a of answers) a();
    await pending;
    assert.deepEqual(state.processes.map((p) => p.id), ['new']);
    assert.deepEqual(state.urls.map((u: { processId?: string; id?: string }) => u.id), ['old'], 'urls had no newer snapshot');
  });
});

describe('scripts of a monorepo', () => {
  it('groups them by package, the root first', async () => {
    const root = workspace();
    writeJSON(path.join(root, 'package.json'), {
      name: 'mono',
      private: true,
      workspaces: ['packages/*'],
      scripts: { lint: 'node -e 0' },
    });
    writeJSON(path.join(root, 'packages/web/package.json'), { name: 'web', scripts: { dev: 'node -e 0', build: 'node -e 0' } });
    writeJSON(path.join(root, 'packages/api/package.json'), { name: 'api', scripts: { start: 'node -e 0' } });
    const s = await start(root);
    try {
      const groups = groupScripts(await s.api.scripts(), [root]);
      assert.deepEqual(
        groups.map((g) => [g.label, g.scripts.map((x) => x.name).sort()]),
        [
          [path.basename(root), ['lint']],
          [path.join('packages', 'api'), ['start']],
          [path.join('packages', 'web'), ['build', 'dev']],
        ],
      );
    } finally {
      await s.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
