// Following one process's log: open with the newest lines, then follow the
// server's brummer/logAppended batches, refill the gaps the server reports
// as dropped, and hand lines to the output in few large writes so that a
// burst of output cannot freeze the window.
import { Brummer, LogAppended, LogEntry } from './protocol';

export interface LogSink {
  /** Lines, oldest first, in one batch. */
  write(entries: LogEntry[]): void;
  /** A line of Brummer's own (skipped lines, refills). */
  note(text: string): void;
}

export interface FollowOptions {
  /** Lines shown when the log opens (brummer/logs with tail). */
  tailLines?: number;
  /** Lines held for the next write; beyond it the oldest are skipped (and said so). */
  maxPending?: number;
  /** Most lines fetched to fill one gap. */
  maxRefill?: number;
  /** How long appends gather before one write. */
  flushMs?: number;
}

const pageSize = 1000;

export class LogFollower {
  private lastSeq = 0;
  private opened = false;
  private disposed = false;
  private early: LogAppended[] = [];
  private pending: LogEntry[] = [];
  private skipped = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  // Batches are handled one after another: a refill must finish before the
  // lines that followed the gap are written.
  private chain: Promise<void> = Promise.resolve();
  private readonly tailLines: number;
  private readonly maxPending: number;
  private readonly maxRefill: number;
  private readonly flushMs: number;
  /** Lines written so far and lines skipped, for tests and the channel's title. */
  written = 0;
  skippedTotal = 0;

  constructor(
    private readonly api: Brummer,
    readonly processId: string,
    private readonly sink: LogSink,
    opts: FollowOptions = {},
  ) {
    this.tailLines = opts.tailLines ?? 1000;
    this.maxPending = opts.maxPending ?? 5000;
    this.maxRefill = opts.maxRefill ?? 5000;
    this.flushMs = opts.flushMs ?? 100;
  }

  /**
   * Subscribes, then reads the newest lines. Batches that arrive in between
   * are held and written after the tail, less what the tail already had.
   */
  async open(): Promise<void> {
    await this.api.subscribeLogs(this.processId, true);
    const r = await this.api.logs({ processId: this.processId, tail: true, limit: this.tailLines });
    if (this.disposed) return;
    const entries = r.entries ?? [];
    this.push(entries);
    this.lastSeq = Math.max(r.lastSeq, this.lastSeq);
    this.opened = true;
    const early = this.early;
    this.early = [];
    for (const b of early) this.handle(b);
    this.flushNow();
  }

  /** Takes one brummer/logAppended batch for this process. */
  handle(batch: LogAppended): void {
    if (this.disposed || batch.processId !== this.processId) return;
    if (!this.opened) {
      this.early.push(batch);
      return;
    }
    this.chain = this.chain.then(() => this.take(batch)).catch((err) => {
      this.sink.note(`[brummer] could not refill the log: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Resolves when every batch handed in so far is written. */
  async settled(): Promise<void> {
    await this.chain;
    this.flushNow();
  }

  private async take(batch: LogAppended): Promise<void> {
    const entries = (batch.entries ?? []).filter((e) => e.seq > this.lastSeq);
    if (batch.dropped > 0) {
      const until = entries.length ? entries[0].seq : Number.MAX_SAFE_INTEGER;
      await this.refill(until, batch.dropped);
    }
    if (this.disposed) return;
    const fresh = entries.filter((e) => e.seq > this.lastSeq);
    if (fresh.length) {
      this.push(fresh);
      this.lastSeq = fresh[fresh.length - 1].seq;
    }
  }

  // refill asks the server for the lines after lastSeq and before until (the
  // first line of the batch that reported the gap), at most maxRefill of
  // them; what is left of the gap is skipped with a note.
  private async refill(until: number, dropped: number): Promise<void> {
    let got = 0;
    while (got < this.maxRefill && !this.disposed) {
      const r = await this.api.logs({
        processId: this.processId,
        afterSeq: this.lastSeq,
        limit: Math.min(pageSize, this.maxRefill - got),
      });
      const page = (r.entries ?? []).filter((e) => e.seq < until);
      if (page.length) {
        this.push(page);
        this.lastSeq = page[page.length - 1].seq;
        got += page.length;
      }
      const all = r.entries ?? [];
      if (page.length < all.length || all.length === 0) return; // reached the batch, or the end
    }
    if (got >= this.maxRefill) {
      this.skip(Math.max(0, dropped - got));
    }
  }

  private skip(n: number): void {
    if (n <= 0) return;
    this.skipped += n;
    this.skippedTotal += n;
    this.schedule();
  }

  private push(entries: LogEntry[]): void {
    if (!entries.length) return;
    this.pending.push(...entries);
    const over = this.pending.length - this.maxPending;
    if (over > 0) {
      this.pending.splice(0, over);
      this.skipped += over;
      this.skippedTotal += over;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, this.flushMs);
  }

  private flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.disposed) return;
    if (this.skipped) {
      this.sink.note(`[brummer] ${this.skipped} lines not shown (output faster than the view; the server keeps them)`);
      this.skipped = 0;
    }
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      this.written += batch.length;
      this.sink.write(batch);
    }
  }

  /** After a server restart: the old process ids are gone, so is the follow. */
  async dispose(unsubscribe = true): Promise<void> {
    if (this.disposed) return;
    this.flushNow();
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (unsubscribe) await this.api.subscribeLogs(this.processId, false).catch(() => undefined);
  }
}
