import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildEnvelope, signNocrm } from './envelope.js';
import { createRng } from './random.js';
import {
  generateHistory,
  LiveSimulator,
  type NocrmEnvelope,
  type OfficeSpec,
  postWebhook,
  type SimEvent,
  seedHistory,
  withDeliveryFaults,
} from './simulator.js';

const spec: OfficeSpec = { sourceId: 'office_a', apiKey: 'key-a', subdomain: 'office-a', agents: 5, seed: 7 };
const start = new Date('2025-01-06T08:00:00.000Z');
const history = generateHistory(spec, { events: 1500, start });

const we = (ev: SimEvent) => ev.envelope.webhook_event;
const eventTime = (ev: SimEvent): number => {
  const d = we(ev).data;
  return Date.parse(String(d['updated_at'] ?? d['created_at']));
};

describe('generateHistory', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    assert.deepEqual(generateHistory(spec, { events: 1500, start }), history);
    const other = generateHistory({ ...spec, seed: 8 }, { events: 1500, start });
    assert.notDeepEqual(other.map(we), history.map(we));
  });

  it('produces exactly the asked number of events, ids strictly increasing from idBase', () => {
    assert.equal(history.length, 1500);
    assert.ok(we(history[0]!).id > 7_000_000);
    for (let i = 1; i < history.length; i++) assert.ok(we(history[i]!).id > we(history[i - 1]!).id);
    const based = generateHistory(spec, { events: 10, start, idBase: 42_000 });
    assert.equal(we(based[0]!).id, 42_001);
  });

  it('event time strictly increases (a .to.won twin repeats the status change before it)', () => {
    for (let i = 1; i < history.length; i++) {
      const ev = history[i]!;
      if (we(ev).event === 'lead.status.changed.to.won') {
        assert.equal(we(history[i - 1]!).event, 'lead.status.changed');
        assert.deepEqual(we(ev).data, we(history[i - 1]!).data);
        continue;
      }
      assert.ok(eventTime(ev) > eventTime(history[i - 1]!), `event ${i} is not after event ${i - 1}`);
    }
    assert.equal(eventTime(history[0]!), start.getTime());
  });

  it('spreads the events up to `end` when given', () => {
    const end = new Date('2025-07-06T08:00:00.000Z');
    const spread = generateHistory(spec, { events: 800, start, end });
    const last = eventTime(spread.at(-1)!);
    assert.ok(last <= end.getTime() && last > end.getTime() - 3 * 86_400_000);
    for (const ev of spread) {
      const t = new Date(eventTime(ev));
      assert.ok(t.getUTCDay() !== 0 && t.getUTCHours() >= 8 && t.getUTCHours() < 19, t.toISOString());
    }
  });

  it('signs every envelope as sha1(String(id) + apiKey)', () => {
    for (const ev of history) {
      const expected = createHash('sha1')
        .update(`${we(ev).id}key-a`)
        .digest('hex');
      assert.equal(we(ev).signature, expected);
      assert.match(we(ev).signature, /^[0-9a-f]{40}$/);
    }
    assert.equal(signNocrm('4412873', 'k'), signNocrm(4412873, 'k'));
    assert.deepEqual(Object.keys(buildEnvelope(1, 'lead.creation', {}, 'k').webhook_event), [
      'id',
      'event',
      'signature',
      'has_succeeded',
      'try_count',
      'last_returned_code',
      'data',
    ]);
  });

  it('emits the expected mix of events with full lead snapshots', () => {
    const counts = new Map<string, number>();
    for (const ev of history) counts.set(we(ev).event, (counts.get(we(ev).event) ?? 0) + 1);
    for (const name of [
      'client_folder.created',
      'lead.creation',
      'lead.step.changed',
      'lead.status.changed',
      'lead.assigned',
      'lead.commented',
      'lead.deleted',
      'lead.status.changed.to.won',
    ]) {
      assert.ok((counts.get(name) ?? 0) > 0, `no ${name}`);
    }
    const leads = history.filter((ev) => we(ev).event.startsWith('lead.'));
    for (const ev of leads) {
      const d = we(ev).data;
      for (const key of [
        'id',
        'title',
        'status',
        'pipeline',
        'step',
        'step_id',
        'amount',
        'permalink',
        'user',
      ]) {
        assert.ok(key in d, `${we(ev).event} lacks ${key}`);
      }
      assert.equal(d['permalink'], `https://office-a.nocrm.io/leads/${d['id']}`);
      assert.match(String(d['updated_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    }
    assert.ok(leads.some((ev) => 'client_folder' in we(ev).data));
    assert.ok(leads.some((ev) => typeof we(ev).data['amount'] === 'string'));
    const created = history.filter((ev) => we(ev).event === 'lead.creation').map((ev) => we(ev).data['id']);
    assert.equal(new Set(created).size, created.length, 'lead ids are unique');
  });

  it('wins leads only from late steps, with closed_at and an amount', () => {
    const won = history.filter(
      (ev) => we(ev).event === 'lead.status.changed' && we(ev).data['status'] === 'won',
    );
    assert.ok(won.length > 0);
    for (const ev of won) {
      const d = we(ev).data;
      assert.equal(d['closed_at'], d['updated_at']);
      assert.ok(Number(d['amount']) > 0);
      assert.ok(['Propuesta', 'Reserva', 'Firmado'].includes(String(d['step'])));
    }
  });
});

describe('withDeliveryFaults', () => {
  const delivered = withDeliveryFaults(history, { redeliveryRate: 0.1, outOfOrderRate: 0.05, seed: 3 });

  it('delivers every event at least once, and about the asked share twice', () => {
    const seen = new Map<number, SimEvent[]>();
    for (const ev of delivered) seen.set(we(ev).id, [...(seen.get(we(ev).id) ?? []), ev]);
    for (const ev of history) assert.ok(seen.has(we(ev).id));
    const extra = delivered.length - history.length;
    assert.ok(extra > 100 && extra < 200, `redelivered ${extra} of 1500`);
    for (const copies of seen.values()) {
      if (copies.length < 2) continue;
      const [first, again] = copies as [SimEvent, SimEvent];
      assert.equal(we(again).try_count, we(first).try_count + 1);
      assert.equal(we(again).signature, we(first).signature);
      assert.deepEqual(we(again).data, we(first).data);
    }
  });

  it('moves some events later', () => {
    const firsts = delivered.filter((ev) => we(ev).try_count === 1).map((ev) => we(ev).id);
    const late = firsts.filter((id, i) => i > 0 && id < firsts[i - 1]!).length;
    assert.ok(late > 20, `only ${late} inversions`);
    assert.deepEqual(
      withDeliveryFaults(history, { redeliveryRate: 0.1, outOfOrderRate: 0.05, seed: 3 }),
      delivered,
    );
  });
});

describe('createRng', () => {
  it('shuffles a copy and picks within bounds', () => {
    const rng = createRng(1);
    const items = [1, 2, 3, 4, 5];
    const shuffled = rng.shuffle(items);
    assert.deepEqual(items, [1, 2, 3, 4, 5]);
    assert.deepEqual([...shuffled].sort(), items);
    for (let i = 0; i < 200; i++) {
      const n = rng.int(2, 4);
      assert.ok(n >= 2 && n <= 4 && Number.isInteger(n));
    }
  });
});

describe('sending over HTTP', () => {
  const received: Array<{ url: string; type: string | undefined; body: NocrmEnvelope }> = [];
  let server: Server;
  let baseUrl = '';
  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(text) });
        res.writeHead(req.url?.includes('token=bad') ? 401 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('postWebhook POSTs the envelope as JSON to /webhooks/<source>?token=', async () => {
    received.length = 0;
    const res = await postWebhook(`${baseUrl}/`, history[0]!, { token: 't 1' });
    assert.deepEqual(res, { status: 200, body: { ok: true } });
    assert.equal(received[0]?.url, '/webhooks/office_a?token=t+1');
    assert.equal(received[0]?.type, 'application/json');
    assert.deepEqual(received[0]?.body, history[0]!.envelope);
    const rejected = await postWebhook(baseUrl, history[1]!, { token: 'bad', path: 'webhook' });
    assert.equal(rejected.status, 401);
    assert.equal(received[1]?.url, '/webhook/office_a?token=bad');
  });

  it('seedHistory posts every office history and counts the outcome', async () => {
    received.length = 0;
    const offices = [spec, { ...spec, sourceId: 'office_b', subdomain: 'office-b', seed: 9 }];
    const result = await seedHistory(baseUrl, offices, { eventsPerOffice: 120, months: 2, token: 'x' });
    assert.equal(result.sent, received.length);
    assert.ok(result.sent >= 240);
    assert.deepEqual(result, { sent: result.sent, ok: result.sent, failed: 0 });
    const last = Math.max(
      ...received.map((r) => Date.parse(String(r.body.webhook_event.data['updated_at'] ?? 0))),
    );
    assert.ok(last <= Date.now());
  });

  it('seedHistory and LiveSimulator survive a server that is down', async () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (_o: object, msg?: string) => warnings.push(msg ?? '') };
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await seedHistory(down, [spec], { eventsPerOffice: 50, months: 1, logger });
    assert.equal(result.ok, 0);
    assert.equal(result.failed, result.sent);
    const sim = new LiveSimulator({ baseUrl: down, offices: [spec], eventsPerMinute: 6000, logger });
    sim.start();
    await new Promise((r) => setTimeout(r, 150));
    await sim.stop();
    assert.ok(sim.stats.failed > 0 && sim.stats.ok === 0);
    assert.ok(warnings.length > 0);
  });

  it('LiveSimulator sends current, signed events with some redeliveries', async () => {
    received.length = 0;
    const offices = [
      spec,
      { ...spec, sourceId: 'office_b', apiKey: 'key-b', subdomain: 'office-b', seed: 9 },
    ];
    const sim = new LiveSimulator({
      baseUrl,
      offices,
      eventsPerMinute: 12_000,
      redeliveryRate: 0.2,
      token: (id) => `tok-${id}`,
    });
    const t0 = Date.now();
    sim.start();
    await new Promise((r) => setTimeout(r, 400));
    await sim.stop();
    assert.ok(received.length > 10, `only ${received.length} sent`);
    assert.equal(sim.stats.ok, received.length);
    for (const { url, body } of received) {
      const ev = body.webhook_event;
      const source = url.includes('office_b') ? 'office_b' : 'office_a';
      assert.ok(url.endsWith(`?token=tok-${source}`));
      assert.equal(ev.signature, signNocrm(ev.id, source === 'office_b' ? 'key-b' : 'key-a'));
      const at = Date.parse(String(ev.data['updated_at'] ?? ev.data['created_at']));
      assert.ok(at >= Math.floor(t0 / 1000) * 1000 && at <= Date.now() + 60_000);
    }
    assert.ok(received.some((r) => r.body.webhook_event.try_count > 1));
  });
});
