import type { NocrmSourceConfig } from '../../../core/config.js';
import type { Db } from '../../../store/db.js';
import { type ApiFailure, describeFailure, NocrmApi, nocrmBaseUrl } from '../api/client.js';
import { QuotaGate } from '../api/quota.js';
import { PAGE_SIZE, syncLeads } from './syncLeads.js';
import { loadUserEmails, type ReferenceCounts, referenceSyncedAt, syncReference } from './syncReference.js';
import type { LeadsRun } from './syncState.js';

export interface SyncPlan {
  total: number;
  pages: number;
  requests: number;
  remainingToday: number;
  dailyQuota: number;
  days: number;
}

export type SyncEvent =
  | { kind: 'plan'; plan: SyncPlan }
  | { kind: 'reference'; counts: ReferenceCounts }
  | { kind: 'page'; run: LeadsRun }
  | { kind: 'waiting'; until: Date; reason: string };

export interface SyncOptions {
  full?: boolean;
  /** Wait out quota stops and 429 pauses instead of returning (the CLI does; the scheduler does not). */
  wait?: boolean;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (e: SyncEvent) => void;
  pageSize?: number;
}

export type SyncResult =
  | {
      status: 'done';
      run: LeadsRun;
      watermark: string;
      reference: ReferenceCounts | null;
      plan: SyncPlan | null;
    }
  | { status: 'stopped'; reason: string; failure: ApiFailure; resumesAt: Date | null; run: LeadsRun | null };

const REFERENCE_MAX_AGE_MS = 20 * 3600_000;
const WAITABLE = new Set(['exhausted', 'paused', 'rate_limited']);

export function apiFor(
  db: Db,
  sourceId: string,
  src: NocrmSourceConfig,
  now: () => Date,
): NocrmApi | undefined {
  const baseUrl = nocrmBaseUrl(src);
  if (!baseUrl) return undefined;
  return new NocrmApi({
    baseUrl,
    apiKey: src.apiKey,
    quota: new QuotaGate(db, sourceId, src.dailyQuota, now),
    now,
  });
}

/**
 * One sync of a noCRM source: reference data (when older than a day, or for a full backfill),
 * then leads. With `full`, the plan (rows, pages, requests, days at the quota) is announced first.
 * With `wait`, a quota stop or a 429 pause is waited out and the run continues on its own,
 * across days if it must.
 */
export async function runSync(
  db: Db,
  sourceId: string,
  src: NocrmSourceConfig,
  opts: SyncOptions = {},
): Promise<SyncResult> {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const api = apiFor(db, sourceId, src, now);
  if (!api) {
    const failure: ApiFailure = {
      kind: 'http',
      status: 0,
      type: 'not_configured',
      message: `source ${sourceId} has neither subdomain nor apiBaseUrl`,
    };
    return { status: 'stopped', reason: describeFailure(failure), failure, resumesAt: null, run: null };
  }
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  let plan: SyncPlan | null = null;
  let reference: ReferenceCounts | null = null;

  for (;;) {
    let failure: ApiFailure | undefined;
    if (opts.full && plan === null) {
      const probe = await api.get<unknown>('/leads', { limit: 1, order: 'last_update', direction: 'asc' });
      if (probe.ok) {
        const total = probe.value.total ?? (Array.isArray(probe.value.body) ? probe.value.body.length : 0);
        const pages = Math.max(1, Math.ceil(total / pageSize));
        const requests = pages + 4;
        const remainingToday = await new QuotaGate(db, sourceId, src.dailyQuota, now).remaining();
        const days =
          requests <= remainingToday ? 1 : 1 + Math.ceil((requests - remainingToday) / src.dailyQuota);
        plan = { total, pages, requests, remainingToday, dailyQuota: src.dailyQuota, days };
        opts.onEvent?.({ kind: 'plan', plan });
      } else failure = probe.error;
    }
    if (!failure && reference === null) {
      const last = await referenceSyncedAt(db, sourceId);
      if (opts.full || !last || now().getTime() - last.getTime() > REFERENCE_MAX_AGE_MS) {
        const r = await syncReference(db, api, sourceId, now);
        if (r.ok) {
          reference = r.value;
          opts.onEvent?.({ kind: 'reference', counts: r.value });
        } else failure = r.error;
      }
    }
    if (!failure) {
      const leads = await syncLeads(
        {
          db,
          api,
          sourceId,
          overlapMinutes: src.overlapMinutes,
          userEmails: await loadUserEmails(db, sourceId),
          now,
          pageSize,
          onPage: (run) => opts.onEvent?.({ kind: 'page', run }),
        },
        { full: opts.full ?? false },
      );
      if (leads.status === 'done')
        return { status: 'done', run: leads.run, watermark: leads.watermark, reference, plan };
      failure = leads.failure;
    }
    const resumesAt = 'resumesAt' in failure ? failure.resumesAt : null;
    if (!opts.wait || !WAITABLE.has(failure.kind) || !resumesAt) {
      return { status: 'stopped', reason: describeFailure(failure), failure, resumesAt, run: null };
    }
    opts.onEvent?.({ kind: 'waiting', until: resumesAt, reason: describeFailure(failure) });
    await sleep(Math.max(0, resumesAt.getTime() - now().getTime()) + 1000);
  }
}
