import { err, ok, type Result } from '../../core/result.js';
import { projectFolders } from '../../projections/projectFolders.js';
import { projectOwners } from '../../projections/projectOwners.js';
import { recomputeLeads } from '../../projections/recomputeLeads.js';
import type { Db } from '../../store/db.js';
import { EVENT_COLUMNS, eventLine, toUnified } from './copyEvents.js';
import { BULK_LEAD_BASE, BULK_OFFICES } from './offices.js';
import { type BulkEvent, type PlanWindow, planLead } from './planLead.js';
import { writeGoals, writeStages } from './reference.js';

export interface BulkOptions {
  leads: number;
  /** The history ends here (default: now) and covers `years` years before it (default 3). */
  now?: Date;
  years?: number;
  seed?: number;
  /** Add to a database that already has leads (new lead ids after the generated ones). */
  append?: boolean;
  /** Leads per transaction (default 50,000). */
  chunkLeads?: number;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkProgress {
  leads: number;
  total: number;
  events: number;
  ms: number;
}

export interface BulkResult {
  leads: number;
  events: number;
  /** Index of the first generated lead (0 unless appending). */
  firstIndex: number;
  /** Goals written, or why none were. */
  goals: number | string;
  ms: number;
}

/** Same lock as the history import: concurrent writers wait for the chunk's recompute. */
const LOCK_LEADS = 'LOCK TABLE leadhouse.leads IN SHARE ROW EXCLUSIVE MODE';

/**
 * Loads `leads` generated leads into the database THROUGH THE EVENT LOG: each chunk's events are
 * COPYed into `leadhouse.events` (the rows the noCRM webhook path writes), then `leads` and
 * `stage_changes` of the chunk's leads are recomputed from the log (the projections' `table` key
 * scope) and owners and folders upserted — one transaction per chunk, so a crash loses at most
 * the chunk in progress. Refuses a database that already has leads unless `append`.
 */
export async function generateBulk(db: Db, opts: BulkOptions): Promise<Result<BulkResult, string>> {
  const t0 = Date.now();
  const total = Math.floor(opts.leads);
  if (!(total > 0)) return err('the number of leads to generate must be a positive integer');
  const { rows } = await db.query<{ n: number; next: string | null }>(
    `SELECT (SELECT count(*)::int FROM leadhouse.leads) AS n,
       (SELECT max(CASE WHEN lead_id ~ '^[0-9]{1,15}$' THEN lead_id::bigint END) + 1 FROM leadhouse.leads
         WHERE source_id = ANY($1)) AS next`,
    [BULK_OFFICES.map((o) => o.sourceId)],
  );
  const existing = rows[0]?.n ?? 0;
  if (existing > 0 && !opts.append)
    return err(
      `the database already has ${existing} leads: generate into an empty database, or pass --append to add to them`,
    );
  const firstIndex = Math.max(0, Number(rows[0]?.next ?? 0) - BULK_LEAD_BASE);
  const now = opts.now ?? new Date();
  const start = new Date(now);
  start.setUTCFullYear(start.getUTCFullYear() - (opts.years ?? 3));
  const window: PlanWindow = {
    startMs: start.getTime(),
    endMs: now.getTime(),
    seed: opts.seed ?? 1,
    leads: total,
    first: firstIndex,
  };
  const chunk = Math.max(1, Math.floor(opts.chunkLeads ?? 50_000));

  await writeStages(db);
  let events = 0;
  const plan = (lo: number): BulkEvent[] => {
    const planned: BulkEvent[] = [];
    for (let i = lo; i < Math.min(total, lo + chunk); i++)
      for (const e of planLead(firstIndex + i, window)) planned.push(e);
    return planned;
  };
  let next = plan(0);
  for (let lo = 0; lo < total; lo += chunk) {
    const hi = Math.min(total, lo + chunk);
    const planned = next;
    await db.transaction(async (tx) => {
      await tx.copyFrom('leadhouse.events', EVENT_COLUMNS, lines(planned), 'text');
      await tx.exec('CREATE TEMP TABLE affected_leads (source_id text, lead_id text) ON COMMIT DROP');
      const leads = planned.filter((e) => e.type === 'lead.created');
      await tx.query('INSERT INTO affected_leads SELECT * FROM unnest($1::text[], $2::text[])', [
        leads.map((e) => e.sourceId),
        leads.map((e) => e.entityId),
      ]);
      await tx.exec('ANALYZE affected_leads');
      const unified = planned.map(toUnified);
      await projectOwners(tx, unified);
      await projectFolders(tx, unified);
      await tx.exec(LOCK_LEADS);
      // The next chunk is planned while the database recomputes this one (PostgreSQL: in parallel).
      const recompute = recomputeLeads(tx, 'table');
      next = hi < total ? plan(hi) : [];
      await recompute;
    });
    events += planned.length;
    opts.onProgress?.({ leads: hi, total, events, ms: Date.now() - t0 });
  }
  // What autovacuum would do after a bulk load (visibility map for index-only scans, statistics);
  // one statement each: VACUUM cannot run in a multi-statement (implicitly transactional) string.
  await db.exec('VACUUM (ANALYZE) leadhouse.leads');
  await db.exec('VACUUM (ANALYZE) leadhouse.stage_changes');
  await db.exec('ANALYZE leadhouse.events');
  const goals = await writeGoals(db, now);
  return ok({
    leads: total,
    events,
    firstIndex,
    goals: 'goals' in goals ? goals.goals : goals.skipped,
    ms: Date.now() - t0,
  });
}

/** COPY chunks of about 1 MB, built as the database takes them. */
async function* lines(events: readonly BulkEvent[]): AsyncIterable<string> {
  let buf = '';
  for (const e of events) {
    buf += eventLine(e);
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}
