import { Cron } from 'croner';
import { describeFailure, nocrmBaseUrl } from '../connectors/nocrm/api/client.js';
import { QuotaGate } from '../connectors/nocrm/api/quota.js';
import { reconcileDeleted } from '../connectors/nocrm/sync/reconcileDeleted.js';
import { apiFor, runSync } from '../connectors/nocrm/sync/runSync.js';
import type { Config, NocrmSourceConfig } from '../core/config.js';
import { coerceError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/db.js';

const LEASE_MS = 30 * 60_000;

/**
 * A job runs once across every `serve` process on the database: it takes a lease row first
 * (expiring, so a crashed holder does not block it forever).
 */
async function withLease(db: Db, key: string, fn: () => Promise<void>): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO leadhouse.sync_state (source_id, stream, state) VALUES ($1, $2, jsonb_build_object('until', now() + $3 * interval '1 millisecond'))
     ON CONFLICT (source_id, stream) DO UPDATE SET state = excluded.state, updated_at = now()
     WHERE (leadhouse.sync_state.state->>'until')::timestamptz < now()
     RETURNING 1`,
    ['(scheduler)', `lease:${key}`, LEASE_MS],
  );
  if (rows.length === 0) return false;
  try {
    await fn();
  } finally {
    await db.query(
      "UPDATE leadhouse.sync_state SET state = jsonb_build_object('until', now()) WHERE source_id = '(scheduler)' AND stream = $1",
      [`lease:${key}`],
    );
  }
  return true;
}

/**
 * The API syncs `leadhouse serve` runs on its own: per noCRM source that has an API address
 * (`subdomain` or `apiBaseUrl`), `syncSchedule` (default daily) and `reconcileSchedule` (default
 * weekly). A run stopped by the quota or a 429 is tried again when the API allows.
 */
export class SyncScheduler {
  private readonly jobs: Cron[] = [];
  private readonly retries = new Set<NodeJS.Timeout>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const [id, src] of Object.entries(this.config.sources)) {
      if (src.kind !== 'nocrm' || !nocrmBaseUrl(src)) continue;
      this.jobs.push(
        new Cron(src.syncSchedule, { timezone: 'UTC', protect: true }, () => this.sync(id, src)),
        new Cron(src.reconcileSchedule, { timezone: 'UTC', protect: true }, () => this.reconcile(id, src)),
      );
      this.log.info(
        { source: id, sync: src.syncSchedule, reconcile: src.reconcileSchedule },
        'API sync scheduled',
      );
    }
  }

  async stop(): Promise<void> {
    for (const j of this.jobs) j.stop();
    for (const t of this.retries) clearTimeout(t);
    await this.running.catch(() => {});
  }

  sync(id: string, src: NocrmSourceConfig): Promise<void> {
    const job = withLease(this.db, `sync:${id}`, async () => {
      const r = await runSync(this.db, id, src, { wait: false });
      if (r.status === 'done') {
        this.log.info({ source: id, rows: r.run.rows, written: r.run.written }, 'API sync done');
        return;
      }
      this.log.warn({ source: id, reason: r.reason }, 'API sync stopped');
      if (r.resumesAt) this.retryAt(r.resumesAt, () => this.sync(id, src));
    }).then(
      () => undefined,
      (e: unknown) => this.log.error({ source: id, err: coerceError(e) }, 'API sync failed'),
    );
    this.running = job;
    return job;
  }

  private reconcile(id: string, src: NocrmSourceConfig): Promise<void> {
    const job = withLease(this.db, `reconcile:${id}`, async () => {
      const api = apiFor(this.db, id, src, () => new Date());
      if (!api) return;
      const r = await reconcileDeleted(this.db, api, new QuotaGate(this.db, id, src.dailyQuota), id);
      if (r.ok)
        this.log.info(
          { source: id, listed: r.value.listed, deleted: r.value.deleted.length },
          'reconciled deleted leads',
        );
      else
        this.log.warn(
          { source: id, reason: 'message' in r.error ? r.error.message : describeFailure(r.error) },
          'reconcile skipped',
        );
    }).then(
      () => undefined,
      (e: unknown) => this.log.error({ source: id, err: coerceError(e) }, 'reconcile failed'),
    );
    this.running = job;
    return job;
  }

  private retryAt(at: Date, fn: () => Promise<void>): void {
    const ms = Math.min(Math.max(1000, at.getTime() - Date.now() + 1000), 2 ** 31 - 1);
    const t = setTimeout(() => {
      this.retries.delete(t);
      void fn();
    }, ms);
    t.unref();
    this.retries.add(t);
  }
}
