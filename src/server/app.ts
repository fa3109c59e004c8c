import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { VERSION } from '../core/version.js';
import { IngestBatcher } from '../ingest/batcher.js';
import type { Db } from '../store/db.js';
import { bearerAuth } from './auth.js';
import { installErrorHandlers } from './errors.js';
import { createMetrics, type Metrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { eventRoutes } from './routes/events.js';
import { goalRoutes } from './routes/goals.js';
import { healthRoutes } from './routes/health.js';
import { leadRoutes } from './routes/leads.js';
import { metricRoutes } from './routes/metrics.js';
import { sourceRoutes } from './routes/sources.js';
import { streamRoutes } from './routes/stream.js';
import { defaultWebRoot, webRoutes } from './routes/web.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** The built dashboard; default `dist/web` (tests pass their own build). */
  webRoot?: string | undefined;
}

export interface App {
  fastify: FastifyInstance;
  batcher: IngestBatcher;
  metrics: Metrics;
}

/** The HTTP surface: webhooks, the read API, health and metrics. Nothing here touches SQL directly. */
export async function buildApp({ config, db, log, webRoot }: AppDeps): Promise<App> {
  const metrics = createMetrics();
  const batcher = new IngestBatcher(db, {
    onCommit: (stored, ms) => {
      metrics.batchSeconds.observe(ms / 1000);
      metrics.batchSize.observe(stored.length);
    },
  });
  const fastify = Fastify({
    loggerInstance: log.child({ scope: 'http' }) as FastifyBaseLogger,
    // Per-request access logs cost more than the request at webhook rates, and URLs can carry a
    // webhook ?token=: rejections and errors are logged by the handlers instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installErrorHandlers(fastify);
  await registerOpenApi(fastify, VERSION);

  await fastify.register(healthRoutes, { db, metrics });
  await fastify.register(webhookRoutes, { sources: config.sources, batcher, metrics, log });
  await fastify.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(config.apiToken, config.demo));
      await api.register(leadRoutes, { db, timezone: config.timezone });
      await api.register(sourceRoutes, { db });
      await api.register(streamRoutes, { db });
      await api.register(eventRoutes, { db });
      await api.register(metricRoutes, { db, config });
      await api.register(goalRoutes, { db, config });
    },
    { prefix: '/api/v1' },
  );
  await fastify.register(webRoutes, { root: webRoot ?? defaultWebRoot() });
  return { fastify, batcher, metrics };
}
