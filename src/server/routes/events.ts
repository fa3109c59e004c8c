import type { FastifyInstance } from 'fastify';
import { listEvents } from '../../queries/listEvents.js';
import type { Db } from '../../store/db.js';

interface Query {
  source?: string;
  type?: string;
  lead?: string;
  limit: number;
  cursor?: string;
}

const schema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: { type: 'string', pattern: '^[a-z0-9_]+$' },
      type: { type: 'string', maxLength: 200 },
      lead: { type: 'string', maxLength: 64 },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      cursor: { type: 'string', pattern: '^[0-9]{1,18}$' },
    },
  },
} as const;

export async function eventRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  app.get<{ Querystring: Query }>('/events', { schema }, async (req) => {
    const q = req.query;
    return listEvents(deps.db, {
      source: q.source,
      type: q.type,
      lead: q.lead,
      limit: q.limit,
      after: q.cursor === undefined ? undefined : Number(q.cursor),
    });
  });
}
