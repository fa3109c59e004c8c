import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeNocrmApi } from './fakeNocrmApi.js';

const KEY = 'fake-nocrm-key';
type Lead = { id: number; updated_at: string; status: string; step: string; step_id: number };

async function started(opts: Partial<ConstructorParameters<typeof FakeNocrmApi>[0]> = {}) {
  const fake = new FakeNocrmApi({ apiKey: KEY, ...opts });
  const base = await fake.start();
  const get = (path: string, key = KEY) => fetch(`${base}${path}`, { headers: { 'X-API-KEY': key } });
  return { fake, base, get };
}

describe('FakeNocrmApi', () => {
  let s: Awaited<ReturnType<typeof started>>;
  before(async () => {
    s = await started();
    s.fake.seed(250, { seed: 7 });
  });
  after(() => s.fake.stop());

  test('rejects a wrong or missing API key with 401 and records it', async () => {
    const res = await s.get('/leads', 'wrong');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await res.json(), { error: 401, message: 'Invalid API key', type: 'unauthorized' });
    const missing = await fetch(`${s.base}/leads`);
    assert.equal(missing.status, 401);
    assert.deepEqual(
      s.fake.requests.slice(-2).map((r) => [r.method, r.path, r.status]),
      [
        ['GET', '/api/v2/leads', 401],
        ['GET', '/api/v2/leads', 401],
      ],
    );
  });

  test('pages with X-TOTAL-COUNT across offsets, default order id desc, limit capped at 100', async () => {
    const seen: number[] = [];
    for (let offset = 0; ; ) {
      const res = await s.get(`/leads?limit=100&offset=${offset}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-total-count'), '250');
      const page = (await res.json()) as Lead[];
      seen.push(...page.map((l) => l.id));
      offset += page.length;
      if (page.length < 100) break;
    }
    assert.equal(seen.length, 250);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    const capped = (await (await s.get('/leads?limit=500')).json()) as Lead[];
    assert.equal(capped.length, 100);
    const lead = (await (await s.get(`/leads/${seen[0]}`)).json()) as Record<string, unknown>;
    for (const k of [
      'starred',
      'next_action_at',
      'html_description',
      'tags',
      'team_id',
      'client_folder_name',
    ]) {
      assert.ok(k in lead, k);
    }
    assert.match(String(lead['updated_at']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    const missing = await s.get('/leads/1');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      error: 404,
      message: 'Record not found',
      type: 'record_not_found',
    });
    assert.equal((await s.get('/nope')).status, 404);
  });

  test('updated_after with order=last_update&direction=asc filters and sorts, ties by id', async () => {
    const all = [...s.fake.leads.values()].sort((a, b) => a.id - b.id);
    const since = all[200]!.updated_at;
    s.fake.touchLead(all[10]!.id, { status: 'won' }, new Date(all[249]!.updated_at));
    const res = await s.get(`/leads?order=last_update&direction=asc&updated_after=${since}&limit=100`);
    const page = (await res.json()) as Lead[];
    assert.equal(res.headers.get('x-total-count'), '51');
    assert.ok(page.every((l) => l.updated_at >= since));
    const tail = page.slice(-2);
    assert.deepEqual(
      tail.map((l) => l.id),
      [all[10]!.id, all[249]!.id],
    );
    assert.equal(tail[0]!.updated_at, tail[1]!.updated_at);
    const sorted = [...page].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id);
    assert.deepEqual(page, sorted);
    assert.equal(s.fake.leads.get(all[10]!.id)?.closed_at, all[249]!.updated_at);

    const day = (await (await s.get('/leads?updated_after=2099-01-01')).json()) as Lead[];
    assert.deepEqual(day, []);
    assert.equal((await s.get('/leads?updated_after=yesterday')).status, 400);
  });

  test('filters by status and by step names or ids, not mixed', async () => {
    const won = (await (await s.get('/leads?status=won,lost')).json()) as Lead[];
    assert.ok(won.length > 0 && won.every((l) => l.status === 'won' || l.status === 'lost'));
    const byName = (await (await s.get('/leads?step=Visita,Reserva&limit=100')).json()) as Lead[];
    const byId = (await (await s.get('/leads?step=1103,1106&limit=100')).json()) as Lead[];
    assert.ok(byName.length > 0 && byName.every((l) => l.step === 'Visita' || l.step === 'Reserva'));
    assert.deepEqual(byId, byName);
    assert.equal((await s.get('/leads?step=Visita,1106')).status, 400);
  });

  test('serves users, steps by position, pipelines and clients in the documented shapes', async () => {
    const users = (await (await s.get('/users')).json()) as Array<Record<string, unknown>>;
    assert.equal(users.length, 4);
    assert.ok(users.every((u) => typeof u['email'] === 'string' && 'is_disabled' in u && 'time_zone' in u));
    const steps = (await (await s.get('/steps')).json()) as Array<{ name: string; position: number }>;
    assert.deepEqual(steps.map((x) => x.name).slice(0, 3), ['Referido', 'Contactado', 'Visita']);
    assert.ok(steps.length >= 6 && steps.every((x, i) => i === 0 || x.position > steps[i - 1]!.position));
    const pipelines = (await (await s.get('/pipelines')).json()) as Array<{
      name: string;
      is_default: boolean;
    }>;
    assert.deepEqual(
      pipelines.map((p) => [p.name, p.is_default]),
      [['Ventas', true]],
    );
    const clients = (await (await s.get('/clients')).json()) as Array<{ name: string; is_active: boolean }>;
    assert.ok(clients.length > 0 && clients.every((c) => typeof c.is_active === 'boolean'));
  });

  test('beforeResponse can mutate data so the next page sees it', async () => {
    const all = [...s.fake.leads.values()].sort((a, b) => a.id - b.id);
    const newest = all.at(-1)!;
    const moved = all[0]!;
    s.fake.beforeResponse = (req) => {
      if (req.path === '/api/v2/leads' && req.query['offset'] === '3') {
        s.fake.touchLead(
          moved.id,
          { step: 'Reserva', step_id: 1106 },
          new Date(Date.parse(newest.updated_at) + 1000),
        );
      }
    };
    try {
      // Matches before the hook: leads 246–249 plus lead 10 (touched to lead 249's time above).
      const q = `/leads?order=last_update&direction=asc&updated_after=${all[246]!.updated_at}&limit=3`;
      const r1 = await s.get(`${q}&offset=0`);
      const p1 = (await r1.json()) as Lead[];
      assert.equal(r1.headers.get('x-total-count'), '5');
      assert.deepEqual(
        p1.map((l) => l.id),
        [all[246]!.id, all[247]!.id, all[248]!.id],
      );
      const r2 = await s.get(`${q}&offset=3`);
      const p2 = (await r2.json()) as Lead[];
      assert.equal(r2.headers.get('x-total-count'), '6');
      assert.deepEqual(
        p2.map((l) => l.id),
        [all[10]!.id, all[249]!.id, moved.id],
      );
      assert.equal(p2[2]!.step, 'Reserva');
    } finally {
      delete s.fake.beforeResponse;
    }
  });

  test('rateLimitNext and failNext answer the next n requests, then recover', async () => {
    s.fake.rateLimitNext(2, { retryAfter: '30', limitReset: '2025-03-05T00:00:00Z' });
    s.fake.failNext(1, 503);
    for (let i = 0; i < 2; i++) {
      const res = await s.get('/steps');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('api-retry-after'), '30');
      assert.equal(res.headers.get('api-limit-reset'), '2025-03-05T00:00:00Z');
      assert.equal(((await res.json()) as { type: string }).type, 'rate_limit');
    }
    const failed = await s.get('/steps');
    assert.equal(failed.status, 503);
    assert.deepEqual(Object.keys((await failed.json()) as object), ['error', 'message', 'type']);
    assert.equal((await s.get('/steps')).status, 200);
  });
});

describe('FakeNocrmApi daily quota', () => {
  test('answers 429 past the quota with retry-after to the next UTC midnight, resets the next day', async () => {
    let now = new Date('2025-03-04T23:59:00.000Z');
    const { fake, get } = await started({ dailyQuota: 3, now: () => now });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await get('/pipelines')).status, 200);
      const res = await get('/pipelines');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('api-retry-after'), '60');
      assert.equal(res.headers.get('api-limit-reset'), '2025-03-05T00:00:00.000Z');
      assert.equal(((await res.json()) as { error: number }).error, 429);
      assert.equal((await get('/pipelines', 'bad')).status, 401, 'auth is checked first');
      now = new Date('2025-03-05T00:00:01.000Z');
      assert.equal((await get('/pipelines')).status, 200);
      assert.equal(fake.quotaUsed(), 1);
      assert.equal(fake.requests.at(-1)?.at.toISOString(), '2025-03-05T00:00:01.000Z');
    } finally {
      await fake.stop();
    }
  });
});

describe('FakeNocrmApi lifecycle', () => {
  test('seed is deterministic and stop() closes the port', async () => {
    const a = new FakeNocrmApi({ apiKey: KEY });
    const b = new FakeNocrmApi({ apiKey: KEY });
    a.seed(40, { seed: 3 });
    b.seed(40, { seed: 3 });
    assert.deepEqual([...a.leads.values()], [...b.leads.values()]);
    const leads = [...a.leads.values()];
    assert.ok(leads.every((l, i) => i === 0 || l.updated_at > leads[i - 1]!.updated_at));
    assert.ok(leads.filter((l) => l.status === 'won').every((l) => l.closed_at !== null));
    assert.ok(new Set(leads.map((l) => l.status)).size >= 4);

    const { fake, base, get } = await started();
    assert.equal((await get('/ping')).status, 200);
    await fake.stop();
    await assert.rejects(fetch(`${base}/ping`, { headers: { 'X-API-KEY': KEY } }));
    await fake.stop();
  });
});
