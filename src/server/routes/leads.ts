import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../core/errors.js';
import { parseTimestamp } from '../../core/time.js';
import { getLead } from '../../queries/getLead.js';
import { listLeads } from '../../queries/listLeads.js';
import type { Db } from '../../store/db.js';

interface ListQuery {
  source?: string;
  status?: string;
  step?: string;
  owner?: string;
  updated_since?: string;
  include_deleted?: boolean;
  limit: number;
  cursor?: string;
}

const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: { type: 'string', pattern: '^[a-z0-9_]+$' },
      status: { type: 'string', maxLength: 100 },
      step: { type: 'string', maxLength: 200 },
      owner: { type: 'string', maxLength: 320 },
      updated_since: { type: 'string', maxLength: 40 },
      include_deleted: { type: 'boolean' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      cursor: { type: 'string', maxLength: 500 },
    },
  },
} as const;

export async function leadRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
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
    const out = await listLeads(deps.db, {
      source: q.source,
      status: q.status,
      step: q.step,
      owner: q.owner,
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
