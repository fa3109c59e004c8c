import { coerceError } from '../core/errors.js';
import { type IdStart, OfficeGenerator, type OfficeSpec, redeliver, type SimEvent } from './generator.js';
import { type DemoLogger, postWebhook } from './live.js';
import { spreadOverOpenHours } from './openHours.js';
import { createRng } from './random.js';

export type { NocrmEnvelope } from './envelope.js';
export { buildEnvelope, signNocrm } from './envelope.js';
export type { IdStart, OfficeSpec, SimEvent } from './generator.js';
export { OfficeGenerator, redeliver } from './generator.js';
export type { DemoLogger, LiveSimulatorOptions, PostOptions } from './live.js';
export { LiveSimulator, postWebhook } from './live.js';

/** Lead and client-folder id ranges of a generated history: stable per seed, distinct per office. */
export function historyIdStart(seed: number, idBase = seed * 1_000_000): IdStart {
  const bucket = Math.abs(Math.floor(seed)) % 1000;
  return {
    webhookId: Math.round(idBase) + 1,
    leadId: 20_000 + bucket * 100_000,
    folderId: 5_000 + bucket * 100_000,
  };
}

export interface HistoryOptions {
  events: number;
  start: Date;
  /** Webhook ids are idBase + 1, idBase + 2, …; default `spec.seed * 1_000_000`. */
  idBase?: number;
  /**
   * When given, the events are spread over the office hours between `start` and `end` (the last
   * one at the last open moment); otherwise they are one to fifteen minutes apart from `start`.
   */
  end?: Date;
}

/**
 * A plausible, deterministic (per seed) sequence of noCRM webhooks for one office, in the order
 * noCRM would emit them: webhook ids and event times strictly increase (a `.to.won` twin repeats
 * the data, hence the time, of the `lead.status.changed` just before it).
 */
export function generateHistory(spec: OfficeSpec, opts: HistoryOptions): SimEvent[] {
  const clock = createRng(spec.seed * 31 + 7);
  const gen = new OfficeGenerator(
    spec,
    historyIdStart(spec.seed, opts.idBase),
    createRng(spec.seed + 0x5eed),
  );
  const n = Math.max(0, Math.floor(opts.events));
  const offsets: number[] = [0];
  for (let i = 1; i < n; i++)
    offsets.push((offsets[i - 1] ?? 0) + clock.int(60, 15 * 60) * 1000 + clock.int(0, 999));
  const t0 = opts.start.getTime();
  const span = offsets.at(-1) || 1;
  const times = opts.end
    ? spreadOverOpenHours(
        opts.start,
        opts.end,
        offsets.map((o) => o / span),
      )
    : offsets.map((o) => t0 + o);
  const out: SimEvent[] = [];
  // Indexed by output position, so the last event lands at the end even when a step emits two.
  while (out.length < n) out.push(...gen.step(new Date(times[out.length] ?? t0)));
  return out.slice(0, n);
}

export interface FaultOptions {
  /** Share of events delivered a second time (same id and data, try_count + 1), e.g. 0.05. */
  redeliveryRate: number;
  /** Share of events delivered late: moved 3 to 40 positions later. */
  outOfOrderRate: number;
  seed: number;
}

/**
 * A delivery order for `events` as a flaky sender produces it: every event appears at least once,
 * some arrive a few positions to a few dozen positions late, and some are delivered again later.
 */
export function withDeliveryFaults(events: readonly SimEvent[], opts: FaultOptions): SimEvent[] {
  const rng = createRng(opts.seed);
  const slots: Array<{ key: number; ev: SimEvent }> = [];
  events.forEach((ev, i) => {
    const key = rng.chance(opts.outOfOrderRate) ? i + rng.int(3, 40) + 0.5 : i;
    slots.push({ key, ev });
    if (rng.chance(opts.redeliveryRate)) slots.push({ key: key + rng.int(1, 30) + 0.25, ev: redeliver(ev) });
  });
  return slots.sort((a, b) => a.key - b.key).map((s) => s.ev);
}

export interface SeedOptions {
  eventsPerOffice: number;
  /** The history covers the past `months` months, ending now. */
  months: number;
  /** Requests in flight at once; default 8. */
  concurrency?: number;
  token?: string | ((sourceId: string) => string | undefined);
  logger?: DemoLogger;
  /** Defaults to the wall clock. */
  now?: Date;
}

export interface SeedResult {
  sent: number;
  ok: number;
  failed: number;
}

/**
 * Posts a generated history for every office so the demo starts with data, with a light dose of
 * redeliveries and late events. Never rejects: failures are counted and logged (sparingly), and
 * it gives up early when the server is unreachable.
 */
export async function seedHistory(
  baseUrl: string,
  offices: readonly OfficeSpec[],
  opts: SeedOptions,
): Promise<SeedResult> {
  const end = opts.now ?? new Date();
  const start = new Date(end);
  start.setUTCMonth(start.getUTCMonth() - opts.months);
  const slots: Array<{ key: number; ev: SimEvent }> = [];
  for (const spec of offices) {
    const history = generateHistory(spec, { events: opts.eventsPerOffice, start, end });
    const delivered = withDeliveryFaults(history, {
      redeliveryRate: 0.02,
      outOfOrderRate: 0.03,
      seed: spec.seed,
    });
    delivered.forEach((ev, i) => {
      slots.push({ key: i / delivered.length, ev });
    });
  }
  const queue = slots.sort((a, b) => a.key - b.key).map((s) => s.ev);
  const result: SeedResult = { sent: 0, ok: 0, failed: 0 };
  let next = 0;
  let unreachable = 0;
  const tokenFor = (sourceId: string): string | undefined =>
    typeof opts.token === 'function' ? opts.token(sourceId) : opts.token;
  const worker = async (): Promise<void> => {
    while (next < queue.length && unreachable < 20) {
      const ev = queue[next++]!;
      result.sent++;
      try {
        const res = await postWithRetry(baseUrl, ev, tokenFor(ev.sourceId));
        unreachable = 0;
        if (res.status >= 200 && res.status < 300) result.ok++;
        else if (++result.failed <= 3)
          opts.logger?.warn({ status: res.status, body: res.body }, 'seed webhook rejected');
      } catch (thrown) {
        unreachable++;
        if (++result.failed <= 3)
          opts.logger?.warn({ err: coerceError(thrown).message }, 'seed webhook not sent');
      }
    }
  };
  const workers = Math.max(1, Math.floor(opts.concurrency ?? 8));
  await Promise.all(Array.from({ length: workers }, worker));
  opts.logger?.info({ ...result, planned: queue.length }, 'demo history seeded');
  return result;
}

/**
 * Like noCRM, retry a delivery that did not get through (no answer, or a 5xx such as the 503 a
 * busy or restarting server gives): up to three attempts, backing off a little each time.
 */
async function postWithRetry(baseUrl: string, ev: SimEvent, token: string | undefined) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await postWebhook(baseUrl, ev, { token });
      if (res.status < 500 || attempt >= 3) return res;
    } catch (thrown) {
      if (attempt >= 3) throw thrown;
    }
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}
