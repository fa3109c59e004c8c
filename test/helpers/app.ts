import { createHash } from 'node:crypto';
import { type Config, nocrmSource, type SourceConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { syncReportingViews } from '../../src/metrics/reportingViews.js';
import { syncSources } from '../../src/projections/compatViews.js';
import { type App, buildApp } from '../../src/server/app.js';
import type { Db } from '../../src/store/db.js';

export const KEY_A = 'test-api-key-office-a';
export const KEY_T = 'test-api-key-office-t';
export const WEBHOOK_TOKEN = 'webhook-url-token-123';
export const API_TOKEN = 'api-token-0123456789abcdef';

export const SOURCES: Record<string, SourceConfig> = {
  office_a: nocrmSource({ apiKey: KEY_A }),
  office_t: nocrmSource({ apiKey: KEY_T, webhookToken: WEBHOOK_TOKEN }),
};

export function testConfig(over: Partial<Config> = {}): Config {
  return {
    database: { kind: 'pglite', dir: 'memory://' },
    port: 0,
    host: '127.0.0.1',
    timezone: 'UTC',
    apiToken: API_TOKEN,
    logLevel: 'silent',
    sources: SOURCES,
    demo: false,
    ...over,
  };
}

export async function testApp(db: Db, over: Partial<Config> = {}): Promise<App> {
  const config = testConfig(over);
  await db.transaction(async (tx) => {
    await syncSources(tx, config.sources);
    await syncReportingViews(tx, config);
  });
  return buildApp({ config, db, log: createLogger(process.env['TEST_LOG'] ? 'debug' : 'silent') });
}

/** noCRM's signature, computed here independently of the product code. */
export const sign = (id: number | string, key: string) =>
  createHash('sha1').update(`${id}${key}`).digest('hex');

let nextId = 1_000_000;
export function envelope(
  event: string,
  data: unknown,
  opts: { id?: number; key?: string; signature?: string | null } = {},
): { webhook_event: Record<string, unknown> } {
  const id = opts.id ?? nextId++;
  const ev: Record<string, unknown> = {
    id,
    event,
    has_succeeded: false,
    try_count: 1,
    last_returned_code: null,
    data,
  };
  if (opts.signature !== null) ev['signature'] = opts.signature ?? sign(id, opts.key ?? KEY_A);
  return { webhook_event: ev };
}

export function leadData(id: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Piso ${id}`,
    status: 'todo',
    pipeline: 'Ventas',
    step: 'Referido',
    step_id: 101,
    amount: 150000,
    currency: 'EUR',
    created_at: '2025-03-04T09:12:33.000Z',
    updated_at: '2025-03-04T09:12:33.000Z',
    permalink: `https://office-a.nocrm.io/leads/${id}`,
    user: { id: 639, firstname: 'Stef', lastname: 'Martin', email: 'stef@example.com' },
    client: { id: 5521, name: 'Cartera Stef' },
    ...over,
  };
}

export async function countEvents(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.events');
  return rows[0]!.n;
}

/** POSTs a JSON body to a webhook path of an app in process (`/webhooks/office_a` by default). */
export function postWebhook(app: App, body: unknown, url = '/webhooks/office_a') {
  return app.fastify.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}
