import type { UnifiedEvent } from '../core/events.js';
import { type Db, isUnavailable } from '../store/db.js';
import { type WriteOutcome, writeEvents } from './writeEvents.js';

interface Pending {
  event: UnifiedEvent;
  receivedAt: Date;
  resolve: (o: WriteOutcome) => void;
  reject: (e: unknown) => void;
}

export interface BatcherOptions {
  maxBatch?: number;
  /** Called after each committed batch with the events it stored (not the duplicates). */
  onCommit?: (stored: UnifiedEvent[], ms: number) => void;
}

/**
 * Group commit for single events (webhooks): while one transaction is in flight, arriving events
 * queue up and go together in the next one. An idle system writes each event at once (no added
 * latency); a busy one amortizes the commit over many events. Each caller's promise settles only
 * after the transaction holding its event has committed (acknowledged means durable).
 * A failing batch is retried event by event, so one bad event cannot fail its neighbours.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private running = false;
  private idle: Array<() => void> = [];
  private readonly maxBatch: number;

  constructor(
    private readonly db: Db,
    private readonly opts: BatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 500;
  }

  submit(event: UnifiedEvent, receivedAt = new Date()): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, receivedAt, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Resolves when everything submitted so far has been written (or failed). */
  flushed(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.running = false;
      for (const r of this.idle.splice(0)) r();
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const t0 = performance.now();
    try {
      const outcomes = await writeEvents(
        this.db,
        batch.map((p) => p.event),
        batch.map((p) => p.receivedAt),
      );
      this.opts.onCommit?.(
        batch.filter((_, i) => !outcomes[i]!.duplicate).map((p) => p.event),
        performance.now() - t0,
      );
      for (const [i, p] of batch.entries()) p.resolve(outcomes[i]!);
    } catch (e) {
      if (batch.length === 1 || isUnavailable(e)) {
        for (const p of batch) p.reject(e);
        return;
      }
      for (const p of batch) await this.write([p]);
    }
  }
}
