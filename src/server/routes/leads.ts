import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../core/errors.js';
import { parseTimestamp } from '../../core/time.js';
import { getLead } from '../../queries/getLead.js';
import { listLeads, STATUS_GROUPS, type StatusGroup } from '../../queries/listLeads.js';
import type { Db } from '../../store/db.js';

interface ListQuery {
  source?: string;
  status?: string;
  status_group?: StatusGroup;
  step?: string;
  reached_step?: string;
  owner?: string;
  pipeline?: string;
  channel?: string;
  entered_from?: string;
  entered_to?: string;
  closed_from?: string;
  closed_to?: string;
  stale_days?: number;
  updated_since?: string;
  include_deleted?: boolean;
  limit: number;
  cursor?: string;
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/** YYYY-MM-DD that is a real calendar day (the pattern alone lets 2026-02-30 through). */
function checkDate(name: string, v: string | undefined): void {
  if (v === undefined) return;
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
    throw new HttpError(400, 'invalid_parameter', `query parameter "${name}" is not a date (YYYY-MM-DD)`);
}

const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: { type: 'string', pattern: '^[a-z0-9_]+$' },
      status: { type: 'string', maxLength: 100 },
      status_group: { type: 'string', enum: STATUS_GROUPS },
      step: { type: 'string', maxLength: 200 },
      reached_step: { type: 'string', maxLength: 4000 },
      owner: { type: 'string', maxLength: 320 },
      pipeline: { type: 'string', maxLength: 200 },
      channel: { type: 'string', enum: ['webhook', 'api', 'file', 'poll', 'manual'] },
      entered_from: DATE,
      entered_to: DATE,
      closed_from: DATE,
      closed_to: DATE,
      stale_days: { type: 'integer', minimum: 0, maximum: 36500 },
      updated_since: { type: 'string', maxLength: 40 },
      include_deleted: { type: 'boolean' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      cursor: { type: 'string', maxLength: 500 },
    },
  },
} as const;

export async function leadRoutes(app: FastifyInstance, deps: { db: Db; timezone: string }): Promise<void> {
  app.get<{ Querystring: ListQuery }>('/leads', { schema: listSchema }, async (req) => {
    const q = req.query;
    let updatedSince: Date | undefined;
    if (q.updated_since !== undefined) {
      updatedSince = parseTimestamp(q.updated_since);
      if (!updatedSince)
        throw new HttpError(
          400,
          'invalid_parameter',
          'query parameter "updated_since" must be an ISO-8601 timestamp',
        );
    }
    for (const k of ['entered_from', 'entered_to', 'closed_from', 'closed_to'] as const) checkDate(k, q[k]);
    const out = await listLeads(deps.db, {
      source: q.source,
      status: q.status,
      statusGroup: q.status_group,
      step: q.step,
      reachedSteps: q.reached_step?.split(',').filter((s) => s !== ''),
      owner: q.owner,
      pipeline: q.pipeline,
      channel: q.channel,
      entered: { from: q.entered_from, to: q.entered_to },
      closed: { from: q.closed_from, to: q.closed_to },
      staleDays: q.stale_days,
      timezone: deps.timezone,
      updatedSince,
      includeDeleted: q.include_deleted,
      limit: q.limit,
      cursor: q.cursor,
    });
    if ('error' in out) throw new HttpError(400, 'invalid_parameter', out.error);
    return out;
  });

  app.get<{ Params: { source: string; id: string } }>(
    '/leads/:source/:id',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            source: { type: 'string', pattern: '^[a-z0-9_]+$' },
            id: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (req) => {
      const lead = await getLead(deps.db, req.params.source, req.params.id);
      if (!lead)
        throw new HttpError(404, 'not_found', `no lead ${req.params.id} in source ${req.params.source}`);
      return lead;
    },
  );
}
