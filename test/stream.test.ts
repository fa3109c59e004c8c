import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importHistory } from '../src/ingest/importHistory.js';
import type { App } from '../src/server/app.js';
import { API_TOKEN, envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

/** An open SSE connection: the events it received so far, and a way to wait for the next one. */
interface Stream {
  res: IncomingMessage;
  events: { event: string; data: string }[];
  next(event: string, ms?: number): Promise<{ event: string; data: string }>;
  close(): void;
}

function openStream(base: string, path: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const events: { event: string; data: string }[] = [];
      const waiters: (() => void)[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ?? '' });
          for (const w of waiters.splice(0)) w();
          i = buf.indexOf('\n\n');
        }
      });
      let seen = 0;
      resolve({
        res,
        events,
        next(event, ms = 2000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no "${event}" event within ${ms} ms`)), ms);
            const check = () => {
              const at = events.findIndex((e, k) => k >= seen && e.event === event);
              if (at < 0) return void waiters.push(check);
              seen = at + 1;
              clearTimeout(timer);
              ok(events[at]!);
            };
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

for (const driver of testDrivers()) {
  describe(`change stream /api/v1/stream (${driver.name})`, () => {
    let t: TestDb;
    let app: App;
    let base: string;

    before(async () => {
      t = await driver.open();
      app = await testApp(t.db);
      base = await app.fastify.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await app.fastify.close();
      await t.close();
    });

    test('refuses a missing or wrong token, takes ?token= (on this route only)', async () => {
      for (const path of ['/api/v1/stream', '/api/v1/stream?token=wrong-token-0000000']) {
        const s = await openStream(base, path);
        assert.equal(s.res.statusCode, 401, path);
        s.close();
      }
      const other = await app.fastify.inject({ url: `/api/v1/leads?token=${API_TOKEN}` });
      assert.equal(other.statusCode, 401, 'the query token is not accepted elsewhere');
    });

    test('announces a committed webhook within a second, coalesced, and nothing for a redelivery', async () => {
      const s = await openStream(base, `/api/v1/stream?token=${API_TOKEN}`);
      assert.equal(s.res.statusCode, 200);
      assert.match(String(s.res.headers['content-type']), /^text\/event-stream/);
      await s.next('ready');
      const t0 = Date.now();
      const env = envelope('lead.creation', leadData(501));
      assert.equal((await postWebhook(app, env)).statusCode, 200);
      const change = await s.next('change', 1000);
      assert.ok(Date.now() - t0 < 1000);
      assert.deepEqual(JSON.parse(change.data), { sources: ['office_a'], types: ['lead.created'] });

      // A burst of webhooks leaves as a few notices, not one per webhook.
      const before = s.events.length;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => postWebhook(app, envelope('lead.creation', leadData(600 + i)))),
      );
      await s.next('change', 1000);
      await new Promise((r) => setTimeout(r, 400));
      const notices = s.events.length - before;
      assert.ok(notices >= 1 && notices <= 4, `${notices} notices for 20 webhooks`);

      // A redelivery stores nothing, so announces nothing.
      const quiet = s.events.length;
      assert.equal((await postWebhook(app, env)).json().status, 'duplicate');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(s.events.length, quiet);
      s.close();
    });

    test('a file import is announced too', async () => {
      const s = await openStream(base, '/api/v1/stream', { authorization: `Bearer ${API_TOKEN}` });
      await s.next('ready');
      const file = join(mkdtempSync(join(tmpdir(), 'lh-stream-')), 'history.csv');
      writeFileSync(
        file,
        'lead_id,timestamp,action,title,to_step,status,amount,user\n' +
          '9001,2025-03-01 10:00:00,lead.creation,Piso 9001,Referido,todo,100000,ana@example.com\n',
      );
      const r = await importHistory(t.db, {
        sourceId: 'office_a',
        path: file,
        format: 'csv',
        timezone: 'UTC',
      });
      assert.ok(r.ok, r.ok ? '' : r.error);
      const change = await s.next('change', 1000);
      assert.deepEqual(JSON.parse(change.data), { sources: ['office_a'], types: ['import'] });
      s.close();
    });

    test('closing the server ends open streams', async () => {
      const s = await openStream(base, `/api/v1/stream?token=${API_TOKEN}`);
      await s.next('ready');
      const ended = new Promise<void>((r) => s.res.on('close', () => r()));
      await app.fastify.close();
      await ended;
    });
  });
}
