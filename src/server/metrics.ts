import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry: tests build many apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'leadhouse_' });
  return {
    registry,
    webhooks: new Counter({
      name: 'leadhouse_webhooks_total',
      help: 'Webhook deliveries by source and outcome (stored, duplicate, or the error code)',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    unrecognised: new Counter({
      name: 'leadhouse_unrecognised_events_total',
      help: 'Events of a type Leadhouse does not interpret, stored raw',
      labelNames: ['source', 'event'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'leadhouse_ingest_batch_seconds',
      help: 'Time to write and commit one ingest batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'leadhouse_ingest_batch_events',
      help: 'Events per ingest batch',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
