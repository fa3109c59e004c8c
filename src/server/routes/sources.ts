import type { FastifyInstance } from 'fastify';
import { sourceHealth } from '../../queries/sourceHealth.js';
import type { Db } from '../../store/db.js';

/** GET /sources/health — per source: last event, freshness, event rate, quarantine, last sync. */
export async function sourceRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  app.get(
    '/sources/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Per source: last event, freshness, events per hour, quarantine, failed deliveries',
      },
    },
    async () => sourceHealth(deps.db),
  );
}
