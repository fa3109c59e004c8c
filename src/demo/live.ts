import { coerceError } from '../core/errors.js';
import { OfficeGenerator, type OfficeSpec, redeliver, type SimEvent } from './generator.js';
import { createRng, type Rng } from './random.js';

export interface DemoLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
}

export interface PostOptions {
  token?: string | undefined;
  path?: 'webhooks' | 'webhook';
  timeoutMs?: number;
}

/** POSTs one webhook as noCRM would. Rejects only when the request itself fails (no server, timeout). */
export async function postWebhook(
  baseUrl: string,
  ev: SimEvent,
  opts: PostOptions = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(
    `${baseUrl.replace(/\/+$/, '')}/${opts.path ?? 'webhooks'}/${encodeURIComponent(ev.sourceId)}`,
  );
  if (opts.token !== undefined) url.searchParams.set('token', opts.token);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ev.envelope),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

export interface LiveSimulatorOptions {
  baseUrl: string;
  offices: OfficeSpec[];
  /** Average rate over all offices; default 60. */
  eventsPerMinute?: number;
  token?: (sourceId: string) => string | undefined;
  logger?: DemoLogger;
  /** Share of sends followed by a redelivery of a recently sent event; default 0.04. */
  redeliveryRate?: number;
  /** Share of events held back and sent after the office's next one; default 0.04. */
  outOfOrderRate?: number;
}

/**
 * Sends noCRM webhooks for `leadhouse demo` at an irregular, real-time pace (event time = now).
 * Ids are derived from the wall clock so a restarted demo never reuses a webhook or lead id.
 */
export class LiveSimulator {
  readonly stats = { sent: 0, ok: 0, failed: 0 };
  private readonly gens: OfficeGenerator[];
  private readonly rng: Rng;
  private readonly held = new Map<string, SimEvent>();
  private readonly recent: SimEvent[] = [];
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastWarnAt = 0;
  private failedSinceWarn = 0;

  constructor(private readonly opts: LiveSimulatorOptions) {
    const now = Date.now();
    this.rng = createRng(now);
    const ids = {
      webhookId: Math.floor(now / 100),
      leadId: Math.floor(now / 1000),
      folderId: Math.floor(now / 1000),
    };
    this.gens = opts.offices.map((spec, i) => new OfficeGenerator(spec, ids, createRng(spec.seed + now + i)));
  }

  start(): void {
    if (this.running || this.gens.length === 0) return;
    this.running = true;
    this.opts.logger?.info(
      { offices: this.gens.length, eventsPerMinute: this.rate() },
      'demo simulator started',
    );
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const ev of this.held.values()) this.enqueue(ev);
    this.held.clear();
    await this.chain;
    this.opts.logger?.info({ ...this.stats }, 'demo simulator stopped');
  }

  private rate(): number {
    return Math.max(0.1, this.opts.eventsPerMinute ?? 60);
  }

  /** Exponential gaps (a Poisson process): bursts and lulls around the average rate. */
  private schedule(): void {
    const mean = 60_000 / this.rate();
    const delay = Math.min(mean * 8, Math.max(20, -Math.log(1 - this.rng.next()) * mean));
    this.timer = setTimeout(() => {
      if (!this.running) return;
      this.tick();
      this.schedule();
    }, delay);
  }

  private tick(): void {
    const gen = this.rng.pick(this.gens);
    for (const ev of gen.step(new Date())) {
      const held = this.held.get(ev.sourceId);
      if (held) {
        this.held.delete(ev.sourceId);
        this.enqueue(ev);
        this.enqueue(held);
      } else if (this.rng.chance(this.opts.outOfOrderRate ?? 0.04)) {
        this.held.set(ev.sourceId, ev);
      } else {
        this.enqueue(ev);
      }
    }
    if (this.recent.length > 0 && this.rng.chance(this.opts.redeliveryRate ?? 0.04)) {
      this.enqueue(redeliver(this.rng.pick(this.recent)));
    }
  }

  /** Sends one at a time, in order; drops events when the server is too slow to keep up. */
  private enqueue(ev: SimEvent): void {
    if (this.queued >= 500) {
      this.failed(new Error('send queue full, event dropped'));
      return;
    }
    this.queued++;
    this.chain = this.chain.then(() => this.send(ev)).finally(() => this.queued--);
  }

  private async send(ev: SimEvent): Promise<void> {
    this.stats.sent++;
    try {
      const token = this.opts.token?.(ev.sourceId);
      const res = await postWebhook(this.opts.baseUrl, ev, { token });
      if (res.status >= 200 && res.status < 300) this.stats.ok++;
      else this.failed(new Error(`HTTP ${res.status}`), res.body);
    } catch (thrown) {
      this.failed(coerceError(thrown));
    }
    if (ev.envelope.webhook_event.try_count === 1) {
      this.recent.push(ev);
      if (this.recent.length > 50) this.recent.shift();
    }
    if (this.stats.sent % 100 === 0) this.opts.logger?.info({ ...this.stats }, 'demo simulator progress');
  }

  /** Counts a failure; warns at most every 30 s so a stopped server does not flood the log. */
  private failed(err: Error, body?: unknown): void {
    this.stats.failed++;
    this.failedSinceWarn++;
    const now = Date.now();
    if (now - this.lastWarnAt < 30_000) return;
    this.opts.logger?.warn(
      { err: err.message, body, failures: this.failedSinceWarn },
      'demo webhook not accepted',
    );
    this.lastWarnAt = now;
    this.failedSinceWarn = 0;
  }
}
