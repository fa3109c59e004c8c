import type { Db } from '../../../store/db.js';

export type QuotaRefusal =
  | { kind: 'exhausted'; used: number; limit: number; resumesAt: Date }
  | { kind: 'paused'; resumesAt: Date; reason: string };

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const nextUtcMidnight = (d: Date) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

/**
 * The daily request budget of one source, kept in the database so restarts and several processes
 * share it: a request is made only after `reserve()` counted it. A 429 pauses the source for
 * everyone until the time the API gave.
 */
export class QuotaGate {
  constructor(
    private readonly db: Db,
    readonly sourceId: string,
    readonly limit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts one request against today's budget, or says why not and until when. */
  async reserve(): Promise<QuotaRefusal | undefined> {
    const now = this.now();
    const paused = await this.paused(now);
    if (paused) return paused;
    const { rows } = await this.db.query<{ used: number }>(
      `INSERT INTO leadhouse.api_quota AS q (source_id, day, used) VALUES ($1, $2::date, 1)
       ON CONFLICT (source_id, day) DO UPDATE SET used = q.used + 1 WHERE q.used < $3
       RETURNING used`,
      [this.sourceId, utcDay(now), this.limit],
    );
    if (rows.length > 0) return undefined;
    return { kind: 'exhausted', used: this.limit, limit: this.limit, resumesAt: nextUtcMidnight(now) };
  }

  async pause(until: Date, reason: string): Promise<void> {
    await this.db.query(
      `INSERT INTO leadhouse.api_pause (source_id, until, reason) VALUES ($1, $2, $3)
       ON CONFLICT (source_id) DO UPDATE SET until = excluded.until, reason = excluded.reason, set_at = now()`,
      [this.sourceId, until.toISOString(), reason],
    );
  }

  async paused(now = this.now()): Promise<QuotaRefusal | undefined> {
    const { rows } = await this.db.query<{ until: Date; reason: string }>(
      'SELECT until, reason FROM leadhouse.api_pause WHERE source_id = $1 AND until > $2',
      [this.sourceId, now.toISOString()],
    );
    const p = rows[0];
    return p ? { kind: 'paused', resumesAt: p.until, reason: p.reason } : undefined;
  }

  /** Requests left today (for plans and the data-health page). */
  async remaining(now = this.now()): Promise<number> {
    const { rows } = await this.db.query<{ used: number }>(
      'SELECT used FROM leadhouse.api_quota WHERE source_id = $1 AND day = $2::date',
      [this.sourceId, utcDay(now)],
    );
    return Math.max(0, this.limit - (rows[0]?.used ?? 0));
  }
}
