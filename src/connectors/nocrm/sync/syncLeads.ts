import type { UnifiedEvent } from '../../../core/events.js';
import { insertEvents } from '../../../ingest/writeEvents.js';
import type { Db, Queryable } from '../../../store/db.js';
import type { ApiFailure, NocrmApi } from '../api/client.js';
import { apiLeadEvent } from '../apiEvents.js';
import { type LeadsRun, loadLeadsState, saveSyncState } from './syncState.js';

export const PAGE_SIZE = 100;

export interface LeadsSyncContext {
  db: Db;
  api: NocrmApi;
  sourceId: string;
  overlapMinutes: number;
  userEmails: ReadonlyMap<string, string>;
  now: () => Date;
  pageSize?: number;
  onPage?: (run: LeadsRun) => void;
}

export type LeadsOutcome =
  | { status: 'done'; run: LeadsRun; watermark: string }
  | { status: 'stopped'; run: LeadsRun; failure: ApiFailure };

interface Row {
  id?: unknown;
  updated_at?: unknown;
}

/**
 * Incremental (or, with `full`, complete) sync of `/leads`: `updated_after` the watermark less the
 * overlap window, `order=last_update&direction=asc`, offset paging. Each page's events and the
 * checkpoint are committed together, so a crash or a quota stop resumes at the next page, never
 * from zero, and never writes a page twice. Each page re-reads the last row of the previous one:
 * if it is no longer there, leads were updated (moved to the end) during the run and the rows
 * shifted, so the run steps back a page rather than skip one.
 */
export async function syncLeads(ctx: LeadsSyncContext, opts: { full: boolean }): Promise<LeadsOutcome> {
  const limit = ctx.pageSize ?? PAGE_SIZE;
  const state = await loadLeadsState(ctx.db, ctx.sourceId);
  let run = state.run;
  if (!run || (opts.full && !run.full)) {
    const windowStart =
      opts.full || !state.watermark
        ? null
        : new Date(new Date(state.watermark).getTime() - ctx.overlapMinutes * 60_000).toISOString();
    run = newRun(opts.full, windowStart, ctx.now());
  }
  let anchor: string | undefined; // `${id}|${updated_at}` of the last row of the previous page

  for (;;) {
    const overlap = run.offset > 0 && anchor !== undefined ? 1 : 0;
    const page = await ctx.api.get<unknown>('/leads', {
      limit,
      offset: run.offset - overlap,
      order: 'last_update',
      direction: 'asc',
      updated_after: run.windowStart ?? undefined,
    });
    if (!page.ok) {
      await saveSyncState(
        ctx.db,
        ctx.sourceId,
        'leads',
        { watermark: state.watermark, run },
        { error: failureText(page.error) },
      );
      return { status: 'stopped', run, failure: page.error };
    }
    if (!Array.isArray(page.value.body)) {
      const failure: ApiFailure = {
        kind: 'http',
        status: 200,
        type: 'invalid_shape',
        message: '/leads did not answer an array',
      };
      await saveSyncState(
        ctx.db,
        ctx.sourceId,
        'leads',
        { watermark: state.watermark, run },
        { error: failure.message },
      );
      return { status: 'stopped', run, failure };
    }
    const raw = page.value.body as Row[];
    let rows = raw;
    if (overlap === 1) {
      if (rows.length === 0 || key(rows[0]!) !== anchor) {
        // Rows shifted under us: step back one page and read again (duplicates are no-ops).
        run = { ...run, offset: Math.max(0, run.offset - limit) };
        anchor = undefined;
        continue;
      }
      rows = rows.slice(1);
    }
    const last =
      raw.length < limit || (page.value.total !== undefined && run.offset + rows.length >= page.value.total);
    const events: UnifiedEvent[] = [];
    const bad: Array<{ reason: string; row: unknown }> = [];
    for (const r of rows) {
      const e = apiLeadEvent(ctx.sourceId, r, ctx.userEmails);
      if (e.ok) events.push(e.value);
      else bad.push({ reason: e.error, row: r });
    }
    const maxUpdated = events.reduce<string | null>((m, e) => {
      const t = e.occurredAt.toISOString();
      return m === null || t > m ? t : m;
    }, run.maxUpdatedAt);
    const next: LeadsRun = {
      ...run,
      offset: run.offset + rows.length,
      total: page.value.total ?? run.total,
      pages: run.pages + 1,
      rows: run.rows + rows.length,
      maxUpdatedAt: maxUpdated,
    };
    const written = await ctx.db.transaction(async (tx) => {
      const out = await insertEvents(tx, events, ctx.now());
      await quarantine(tx, ctx.sourceId, bad);
      const n = out.filter((o) => !o.duplicate).length;
      const done = { ...next, written: next.written + n };
      if (last) {
        await saveSyncState(
          tx,
          ctx.sourceId,
          'leads',
          { watermark: watermarkOf(done), run: null },
          { success: true },
        );
      } else {
        await saveSyncState(tx, ctx.sourceId, 'leads', { watermark: state.watermark, run: done });
      }
      return n;
    });
    run = { ...next, written: next.written + written };
    ctx.onPage?.(run);
    if (last) return { status: 'done', run, watermark: watermarkOf(run) };
    const tail = rows[rows.length - 1];
    anchor = tail ? key(tail) : undefined;
  }
}

function newRun(full: boolean, windowStart: string | null, now: Date): LeadsRun {
  return {
    full,
    windowStart,
    startedAt: now.toISOString(),
    offset: 0,
    total: null,
    pages: 0,
    rows: 0,
    written: 0,
    maxUpdatedAt: null,
  };
}

/** Everything updated before the run started and before the newest row read has been seen. */
function watermarkOf(run: LeadsRun): string {
  return run.maxUpdatedAt !== null && run.maxUpdatedAt < run.startedAt ? run.maxUpdatedAt : run.startedAt;
}

const key = (r: Row) => `${String(r.id)}|${String(r.updated_at)}`;

async function quarantine(
  tx: Queryable,
  sourceId: string,
  bad: Array<{ reason: string; row: unknown }>,
): Promise<void> {
  if (bad.length === 0) return;
  await tx.query(
    `INSERT INTO leadhouse.quarantine (source_id, channel, origin, reason, payload)
     SELECT $1, 'api', '/leads', r, p FROM unnest($2::text[], $3::text[]) AS u(r, p)`,
    [sourceId, bad.map((b) => b.reason), bad.map((b) => JSON.stringify(b.row))],
  );
}

function failureText(f: ApiFailure): string {
  return 'message' in f ? `${f.kind}: ${f.message}` : `${f.kind} until ${f.resumesAt.toISOString()}`;
}
