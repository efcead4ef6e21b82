// Which binary the extension starts and what it tells the server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { State } from '../../src/core/state';
import { RestartBudget, resolveServer, ServerNotFound, serverOptions } from '../../src/core/settings';
import { binary, fixture, start, waitFor, workspace } from './harness';

function exe(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(binary(), file);
  fs.chmodSync(file, 0o755);
  return file;
}

describe('the server binary', () => {
  it('takes the setting first, then the bundled binary, then PATH', () => {
    const dir = workspace();
    try {
      const ext = path.join(dir, 'ext');
      const onPath = exe(path.join(dir, 'path-bin/brummer'));
      const envPath = ['/nonexistent', path.dirname(onPath)].join(':');
      assert.deepEqual(resolveServer({ extensionPath: ext, envPath }), { path: onPath, from: 'PATH' });
      const bundled = exe(path.join(ext, 'bin/brummer'));
      assert.deepEqual(resolveServer({ extensionPath: ext, envPath }), { path: bundled, from: 'bundled' });
      const chosen = exe(path.join(dir, 'mine/brummer-dev'));
      assert.deepEqual(resolveServer({ setting: chosen, extensionPath: ext, envPath }), { path: chosen, from: 'setting' });
      assert.deepEqual(resolveServer({ setting: '~/b', extensionPath: ext, envPath, home: path.dirname(exe(path.join(dir, 'home/b'))) }), {
        path: path.join(dir, 'home/b'),
        from: 'setting',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the path it tried when the setting is wrong, without falling back', () => {
    const dir = workspace();
    try {
      const ext = path.join(dir, 'ext');
      exe(path.join(ext, 'bin/brummer'));
      const wrong = path.join(dir, 'nope/brummer');
      assert.throws(
        () => resolveServer({ setting: wrong, extensionPath: ext }),
        (err: unknown) =>
          err instanceof ServerNotFound &&
          err.fromSetting &&
          err.message.includes(JSON.stringify(wrong)) &&
          err.message.includes('not an executable file'),
      );
      const notExecutable = path.join(dir, 'plain');
      fs.writeFileSync(notExecutable, '');
      assert.throws(() => resolveServer({ setting: notExecutable, extensionPath: ext }), ServerNotFound);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every place it looked when there is no binary at all', () => {
    const dir = workspace();
    try {
      assert.throws(
        () => resolveServer({ extensionPath: path.join(dir, 'ext'), envPath: dir }),
        (err: unknown) =>
          err instanceof ServerNotFound &&
          !err.fromSetting &&
          err.tried.length === 2 &&
          err.message.includes(path.join(dir, 'ext/bin/brummer')) &&
          err.message.includes('brummer on PATH') &&
          err.message.includes('brummer.server.path'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restarts a crashed server 4 times in 3 minutes, then gives up until reset', () => {
    const b = new RestartBudget(4, 180_000);
    const t = 1_000_000;
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => b.crashed(t + i * 1000)), [true, true, true, true, false]);
    assert.equal(b.crashed(t + 181_000 + 4000), true, 'old crashes still counted after the window');
    b.reset();
    assert.equal(b.crashed(t + 200_000), true);
  });
});

describe('settings sent to the server', () => {
  it('sends only what the user set, under .brummer.toml names', () => {
    assert.deepEqual(serverOptions({}), {});
    assert.deepEqual(serverOptions({ proxyEnabled: false, injectMonitor: true, logStoreMaxEntries: 5000.7 }), {
      proxy: { enabled: false, inject_monitor: true },
      log_store: { max_entries: 5000 },
    });
  });

  it('turns the proxy off in the real server', async () => {
    const root = workspace(fixture);
    const state = new State();
    const s = await start(root, {
      initializationOptions: serverOptions({ proxyEnabled: false }),
      before: (rpc) => state.attach(rpc),
    });
    try {
      const p = await s.api.run('serve');
      const url = await waitFor('the URL of serve', () => state.urls.find((u) => u.processId === p.id), [
        (cb) => state.onChange(cb),
      ]);
      assert.match(url.url, /^http:\/\/localhost:\d+\/$/);
      assert.ok(!url.proxyUrl, `a proxy with the proxy off: ${url.proxyUrl}`);
    } finally {
      await s.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
