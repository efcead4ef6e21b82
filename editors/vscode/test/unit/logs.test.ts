// The log view's follower against the real server: the newest lines first,
// then the live batches, gaps refilled, bursts capped.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogFollower, LogSink } from '../../src/core/logs';
import { Disposable, LogAppended, LogEntry } from '../../src/core/protocol';
import { fixture, Session, start, waitFor, workspace } from './harness';

class Recorder implements LogSink {
  lines: string[] = [];
  notes: string[] = [];
  batches: number[] = [];
  private readonly listeners = new Set<() => void>();
  write(entries: LogEntry[]): void {
    this.batches.push(entries.length);
    for (const e of entries) this.lines.push(e.text);
    this.fire();
  }
  note(text: string): void {
    this.notes.push(text);
    this.fire();
  }
  private fire(): void {
    for (const l of [...this.listeners]) l();
  }
  onChange = (cb: () => void): Disposable => {
    this.listeners.add(cb);
    return { dispose: () => this.listeners.delete(cb) };
  };
}

// Only the script's own lines: the server adds lines of its own (the command it ran).
const own = (lines: string[]) => lines.filter((l) => /^line \d+$/.test(l));
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

describe('log follower over the real server', () => {
  let root: string;
  let s: Session;
  // Each test decides where the server's logAppended batches go.
  let route: (b: LogAppended) => void = () => {};
  const batches = new Set<() => void>();
  const onBatch = (cb: () => void): Disposable => {
    batches.add(cb);
    return { dispose: () => batches.delete(cb) };
  };

  before(async () => {
    root = workspace(fixture);
    s = await start(root, {
      before: (rpc) =>
        rpc.onNotification('brummer/logAppended', (b: LogAppended) => {
          route(b);
          for (const cb of [...batches]) cb();
        }),
    });
  });
  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const gate = () => fs.promises.writeFile(path.join(root, 'gate'), 'go\n');

  it('opens with the newest lines, oldest first, then follows', async () => {
    execFileSync('mkfifo', [path.join(root, 'gate')]);
    const p = await s.api.run('gated');
    // Let the first 300 lines reach the store before the view opens.
    const seen: string[] = [];
    route = (b) => b.processId === p.id && seen.push(...(b.entries ?? []).map((e) => e.text));
    await s.api.subscribeLogs(p.id, true);
    await gate();
    await waitFor('line 300 in the store', () => seen.includes('line 300'), [onBatch]);

    const rec = new Recorder();
    const f = new LogFollower(s.api, p.id, rec, { tailLines: 100, flushMs: 10 });
    route = (b) => f.handle(b);
    await f.open();
    assert.deepEqual(own(rec.lines), numbered(201, 300));

    await gate();
    await waitFor('line 500 in the view', () => rec.lines.at(-1) === 'line 500', [rec.onChange], 20_000);
    await f.settled();
    assert.deepEqual(own(rec.lines), numbered(201, 500));
    assert.deepEqual(rec.notes, []);
    await f.dispose();
    await s.api.stop(p.id);
    fs.rmSync(path.join(root, 'gate'));
  });

  it('refills the lines of batches the server dropped, in order, once each', async () => {
    execFileSync('mkfifo', [path.join(root, 'gate')]);
    const p = await s.api.run('gated');
    const rec = new Recorder();
    const f = new LogFollower(s.api, p.id, rec, { tailLines: 1000, flushMs: 10 });
    // The view is open before any output: every line comes by batch. The
    // first phase's batches are lost on the way, as when the client falls
    // behind: the next batch says how many lines were dropped.
    let lost = 0;
    let lastLost = '';
    route = (b) => {
      if (b.processId !== p.id) return;
      if (lastLost !== 'line 300') {
        lost += (b.entries ?? []).length;
        lastLost = b.entries?.at(-1)?.text ?? lastLost;
        return;
      }
      f.handle({ ...b, dropped: b.dropped + lost });
      lost = 0;
    };
    await f.open();
    assert.deepEqual(own(rec.lines), []);
    await gate();
    await waitFor('the first phase to be lost', () => lastLost === 'line 300', [onBatch]);
    assert.deepEqual(own(rec.lines), [], 'lost batches reached the view');
    await gate();
    await waitFor('line 500 in the view', () => rec.lines.at(-1) === 'line 500', [rec.onChange], 20_000);
    await f.settled();
    assert.deepEqual(own(rec.lines), numbered(1, 500));
    await f.dispose();
    await s.api.stop(p.id);
    fs.rmSync(path.join(root, 'gate'));
  });

  it('survives a 100k-line burst in few bounded writes, in order', async () => {
    // The burst waits on the FIFO until the follower is open: it must arrive
    // while the log is followed, not be read afterwards as a tail.
    execFileSync('mkfifo', [path.join(root, 'flood-gate')]);
    const p = await s.api.run('flood');
    const rec = new Recorder();
    const f = new LogFollower(s.api, p.id, rec, { tailLines: 1000, maxPending: 2000, maxRefill: 2000, flushMs: 50 });
    route = (b) => f.handle(b);
    await f.open();
    await waitFor('flood ready in the view', () => rec.lines.includes('flood ready'), [rec.onChange]);
    await fs.promises.writeFile(path.join(root, 'flood-gate'), 'go\n');
    await waitFor('line 100000 in the view', () => rec.lines.at(-1) === 'line 100000', [rec.onChange], 60_000);
    await f.settled();
    assert.ok(Math.max(...rec.batches) <= 2000, `a write of ${Math.max(...rec.batches)} lines`);
    assert.ok(rec.lines.length < 100_000, 'every line of the burst was written: nothing was capped');
    assert.ok(rec.notes.some((n) => /lines not shown/.test(n)), `no note of skipped lines: ${rec.notes}`);
    const nums = own(rec.lines).map((l) => Number(l.slice(5)));
    for (let i = 1; i < nums.length; i++) assert.ok(nums[i] > nums[i - 1], `line ${nums[i]} after ${nums[i - 1]}`);
    await f.dispose();
    await s.api.stop(p.id);
    fs.rmSync(path.join(root, 'flood-gate'));
  });
});
