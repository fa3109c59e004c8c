import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ColumnMap } from '../src/connectors/files/columnMap.js';
import type { FileFormat } from '../src/connectors/files/fileRow.js';
import type { HistoryField } from '../src/connectors/nocrm/historyRow.js';
import { type ImportResult, importHistory } from '../src/ingest/importHistory.js';
import { replay } from '../src/projections/replay.js';
import type { Db } from '../src/store/db.js';
import { openPglite } from '../src/store/pglite.js';
import { envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { snapshotProjections } from './helpers/history.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const dir = mkdtempSync(join(tmpdir(), 'leadhouse-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = 'lead_id,action,from_step,to_step,status,amount,user,timestamp';
/** Line numbers are in the comments: the header is line 1. */
const HISTORY_CSV = [
  HEADER,
  '501,lead_created,,Incoming,todo,1000,ana@office.example,2025-03-03T09:00:00Z', // 2
  '501,step_changed,Incoming,Visit,todo,1000,ana@office.example,2025-03-05T10:00:00Z', // 3
  ',step_changed,Incoming,Visit,todo,,ana@office.example,2025-03-05T10:00:00Z', // 4: no lead id
  '501,status_changed,,,won,1200.50,Bob@Office.example,2025-03-09T16:30:00Z', // 5
  '502,lead_created,,Incoming,todo,800,bob@office.example,2025-03-10 not a time', // 6: bad timestamp
  '502,lead_created,,Incoming,todo,"8,000",bob@office.example,2025-03-10T08:00:00Z', // 7: bad amount
  '503,lead_created,,Incoming', // 8: short row
  '503,lead_created,,Incoming,todo,300,bob@office.example,2025-03-11T08:00:00Z', // 9
  '', // 10: blank
  '503,"comment, with ""quotes""",,,,,ana@office.example,2025-03-12T08:00:00Z', // 11
  '503,assigned,,,,,ana@office.example,2025-03-12T09:00:00Z', // 12
].join('\n');

async function events(db: Db): Promise<unknown[]> {
  return (
    await db.query(
      'SELECT source_id, external_id, type, entity_id, occurred_at, data, meta FROM leadhouse.events ORDER BY source_id, external_id',
    )
  ).rows;
}

async function quarantine(db: Db, sourceId: string): Promise<Array<{ line: number; reason: string }>> {
  return (
    await db.query<{ line: number; reason: string }>(
      'SELECT line, reason FROM leadhouse.quarantine WHERE source_id = $1 ORDER BY line',
      [sourceId],
    )
  ).rows;
}

for (const driver of testDrivers()) {
  describe(`history import (${driver.name})`, () => {
    let t: TestDb;
    const run = async (
      sourceId: string,
      path: string,
      opts: { timezone?: string; format?: FileFormat; map?: ColumnMap<HistoryField> } = {},
    ): Promise<ImportResult> => {
      const r = await importHistory(t.db, {
        sourceId,
        path,
        format: opts.format ?? (path.endsWith('.csv') ? 'csv' : 'jsonl'),
        timezone: opts.timezone ?? 'UTC',
        ...(opts.map ? { map: opts.map } : {}),
      });
      assert.ok(r.ok, r.ok ? '' : r.error);
      return r.value;
    };

    before(async () => {
      t = await driver.open();
    });
    after(async () => {
      await t.close();
    });

    test('bad rows go to the quarantine with their line and reason; the good rows are in and projected', async () => {
      const r = await run('office_a', file('history.csv', HISTORY_CSV));
      assert.deepEqual(
        { ...r, ms: 0 },
        {
          rows: 10,
          inserted: 6,
          duplicates: 0,
          quarantined: 4,
          leads: 2,
          ms: 0,
        },
      );
      const q = await quarantine(t.db, 'office_a');
      assert.deepEqual(
        q.map((x) => x.line),
        [4, 6, 7, 8],
      );
      assert.equal(q[0]?.reason, 'lead_id is missing');
      assert.match(q[1]?.reason ?? '', /^timestamp "2025-03-10 not a time" is not a date-time/);
      assert.match(q[2]?.reason ?? '', /^amount "8,000" is not a number/);
      assert.equal(q[3]?.reason, 'expected 8 fields (as in the header), found 4');
      const origin = await t.db.query<{ origin: string; channel: string }>(
        'SELECT DISTINCT origin, channel FROM leadhouse.quarantine WHERE source_id = $1',
        ['office_a'],
      );
      assert.deepEqual(origin.rows, [{ origin: join(dir, 'history.csv'), channel: 'file' }]);

      const leads = await t.db.query<Record<string, unknown>>(
        `SELECT lead_id, step, status, amount, owner_email, created_at, updated_at, event_count
         FROM leadhouse.leads WHERE source_id = 'office_a' ORDER BY lead_id`,
      );
      assert.deepEqual(leads.rows, [
        {
          lead_id: '501',
          step: 'Visit',
          status: 'won',
          amount: '1200.50',
          owner_email: null,
          created_at: new Date('2025-03-03T09:00:00Z'),
          updated_at: new Date('2025-03-09T16:30:00Z'),
          event_count: 3,
        },
        {
          lead_id: '503',
          step: 'Incoming',
          status: 'todo',
          amount: '300',
          owner_email: 'ana@office.example',
          created_at: new Date('2025-03-11T08:00:00Z'),
          updated_at: new Date('2025-03-12T09:00:00Z'),
          event_count: 3,
        },
      ]);
      const stages = await t.db.query<Record<string, unknown>>(
        `SELECT lead_id, seq, from_step, to_step, from_status, to_status, moved_by
         FROM leadhouse.stage_changes WHERE source_id = 'office_a' ORDER BY lead_id, seq`,
      );
      assert.deepEqual(stages.rows, [
        {
          lead_id: '501',
          seq: 1,
          from_step: null,
          to_step: 'Incoming',
          from_status: null,
          to_status: 'todo',
          moved_by: 'ana@office.example',
        },
        {
          lead_id: '501',
          seq: 2,
          from_step: 'Incoming',
          to_step: 'Visit',
          from_status: 'todo',
          to_status: 'todo',
          moved_by: 'ana@office.example',
        },
        {
          lead_id: '501',
          seq: 3,
          from_step: 'Visit',
          to_step: 'Visit',
          from_status: 'todo',
          to_status: 'won',
          moved_by: 'bob@office.example',
        },
        {
          lead_id: '503',
          seq: 1,
          from_step: null,
          to_step: 'Incoming',
          from_status: null,
          to_status: 'todo',
          moved_by: 'bob@office.example',
        },
      ]);
      const owners = await t.db.query<Record<string, unknown>>(
        "SELECT email, first_seen_at, last_seen_at FROM leadhouse.owners WHERE source_id = 'office_a' ORDER BY email",
      );
      assert.deepEqual(owners.rows, [
        {
          email: 'ana@office.example',
          first_seen_at: new Date('2025-03-03T09:00:00Z'),
          last_seen_at: new Date('2025-03-12T09:00:00Z'),
        },
        {
          email: 'bob@office.example',
          first_seen_at: new Date('2025-03-09T16:30:00Z'),
          last_seen_at: new Date('2025-03-11T08:00:00Z'),
        },
      ]);
      const comment = await t.db.query<{ meta: Record<string, unknown>; raw: Record<string, unknown> }>(
        "SELECT meta, raw FROM leadhouse.events WHERE type = 'lead.commented'",
      );
      assert.deepEqual(comment.rows[0]?.meta, {
        provider: 'nocrm',
        file: 'history.csv',
        line: 11,
        action: 'comment, with "quotes"',
      });
      assert.equal(comment.rows[0]?.raw['action'], 'comment, with "quotes"');
      const log = await t.db.query<{ status: string; summary: Record<string, unknown> }>(
        "SELECT status, summary FROM leadhouse.sync_log WHERE source_id = 'office_a' AND kind = 'import'",
      );
      assert.equal(log.rows[0]?.status, 'ok');
      assert.equal(log.rows[0]?.summary['quarantined'], 4);
    });

    test('re-importing the same file changes nothing', async () => {
      const beforeEvents = await events(t.db);
      const beforeProjections = await snapshotProjections(t.db);
      const beforeQuarantine = await quarantine(t.db, 'office_a');
      const r = await run('office_a', join(dir, 'history.csv'));
      assert.deepEqual(
        { ...r, ms: 0 },
        { rows: 10, inserted: 0, duplicates: 6, quarantined: 4, leads: 0, ms: 0 },
      );
      assert.deepEqual(await events(t.db), beforeEvents);
      assert.deepEqual(await snapshotProjections(t.db), beforeProjections);
      assert.deepEqual(await quarantine(t.db, 'office_a'), beforeQuarantine);
      // The same rows in another order, written differently, from another file: still nothing new.
      const lines = HISTORY_CSV.split('\n');
      const again = [
        lines[0],
        lines[8],
        lines[4]?.replace('2025-03-09T16:30:00Z', '2025-03-09 16:30:00 +0000'),
      ];
      const r2 = await run('office_a', file('again.csv', again.join('\n')));
      assert.equal(r2.inserted, 0);
      assert.equal(r2.duplicates, 2);
    });

    test('JSON Lines: a malformed line is quarantined, the rest imported', async () => {
      const text = [
        '{"lead_id": 601, "action": "lead_created", "to_step": "Incoming", "status": "todo", "amount": 500, "user": "ana@office.example", "timestamp": "2025-03-03T09:00:00.000Z"}',
        '{"lead_id": 601, "action": "step_changed", "to_step": "Visit"',
        '',
        '{"lead_id": 601, "action": "step_changed", "from_step": "Incoming", "to_step": "Visit", "user": "ana@office.example", "timestamp": "2025-03-04T09:00:00.000Z"}',
        '{"action": "won", "timestamp": "2025-03-05T09:00:00.000Z"}',
      ].join('\n');
      const r = await run('office_j', file('history.jsonl', text));
      assert.deepEqual(
        { ...r, ms: 0 },
        { rows: 4, inserted: 2, duplicates: 0, quarantined: 2, leads: 1, ms: 0 },
      );
      const q = await quarantine(t.db, 'office_j');
      assert.equal(q[0]?.line, 2);
      assert.match(q[0]?.reason ?? '', /^not valid JSON/);
      assert.deepEqual(q[1], { line: 5, reason: 'lead_id is missing' });
      const lead = await t.db.query<Record<string, unknown>>(
        "SELECT step, amount FROM leadhouse.leads WHERE source_id = 'office_j' AND lead_id = '601'",
      );
      assert.deepEqual(lead.rows, [{ step: 'Visit', amount: '500' }]);
    });

    test('--map reads other column names', async () => {
      const text = [
        'Ref;Qué;Etapa;Importe;Agente;Fecha',
        '701;lead_created;Incoming;250;ana@office.example;2025-03-03 09:00',
        '701;step_changed;Visit;250;ana@office.example;2025-03-04 09:00',
      ].join('\n');
      const path = file('mapped.csv', text);
      const map = {
        lead_id: 'Ref',
        action: 'Qué',
        to_step: 'Etapa',
        amount: 'Importe',
        user: 'agente',
        timestamp: 'Fecha',
      };
      const r = await run('office_m', path, { map });
      assert.equal(r.inserted, 2);
      const lead = await t.db.query<Record<string, unknown>>(
        "SELECT step, amount, created_at FROM leadhouse.leads WHERE source_id = 'office_m' AND lead_id = '701'",
      );
      assert.deepEqual(lead.rows, [
        { step: 'Visit', amount: '250', created_at: new Date('2025-03-03T09:00:00Z') },
      ]);
      const noMap = await importHistory(t.db, { sourceId: 'office_m', path, format: 'csv', timezone: 'UTC' });
      assert.ok(!noMap.ok);
      assert.match(noMap.error, /no column for lead_id .*Use --map/);
      const wrongMap = await importHistory(t.db, {
        sourceId: 'office_m',
        path,
        format: 'csv',
        timezone: 'UTC',
        map: { ...map, title: 'Título' },
      });
      assert.ok(!wrongMap.ok);
      assert.match(wrongMap.error, /no column "Título" \(--map title=Título\)/);
      const failed = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM leadhouse.sync_log WHERE source_id = 'office_m' AND status = 'failed'",
      );
      assert.equal(failed.rows[0]?.n, 2, 'failed imports are logged; they wrote nothing else');
    });

    test('zone-less timestamps are read in the source time zone, on both sides of UTC and across DST', async () => {
      const csv = (id: number) =>
        file(
          `tz-${id}.csv`,
          [
            HEADER,
            `${id},lead_created,,Incoming,todo,,,2025-03-29 23:30`,
            `${id},step_changed,Incoming,Visit,todo,,,2025-03-31 23:30`,
            `${id},step_changed,Visit,Offer,todo,,,2025-03-31T23:30:00+02:00`,
          ].join('\n'),
        );
      await run('tz_mexico', csv(801), { timezone: 'America/Mexico_City' });
      await run('tz_tokyo', csv(802), { timezone: 'Asia/Tokyo' });
      await run('tz_madrid', csv(803), { timezone: 'Europe/Madrid' });
      const { rows } = await t.db.query<{ source_id: string; at: string }>(
        `SELECT source_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS at
         FROM leadhouse.events WHERE source_id LIKE 'tz_%' ORDER BY source_id, occurred_at`,
      );
      const by = (s: string) => rows.filter((r) => r.source_id === s).map((r) => r.at);
      // Mexico City: UTC-6 all year (no DST since 2022); the zoned row stays where it says.
      assert.deepEqual(by('tz_mexico'), ['2025-03-30T05:30Z', '2025-03-31T21:30Z', '2025-04-01T05:30Z']);
      // Tokyo: UTC+9, the local evening is the same UTC afternoon.
      assert.deepEqual(by('tz_tokyo'), ['2025-03-29T14:30Z', '2025-03-31T14:30Z', '2025-03-31T21:30Z']);
      // Madrid: CET (+1) before 2025-03-30 02:00, CEST (+2) after.
      assert.deepEqual(by('tz_madrid'), ['2025-03-29T22:30Z', '2025-03-31T21:30Z', '2025-03-31T21:30Z']);
      const created = await t.db.query<{ created_at: Date }>(
        "SELECT created_at FROM leadhouse.leads WHERE source_id = 'tz_tokyo'",
      );
      assert.deepEqual(created.rows, [{ created_at: new Date('2025-03-29T14:30:00Z') }]);
    });

    test('values with quotes, tabs, backslashes, newlines and non-ASCII text are stored as written', async () => {
      const title = 'Ático "vistas"\tC:\\path\nsegunda línea ✓';
      const csvTitle = `"${title.replaceAll('"', '""')}"`;
      const text = [
        'lead_id,action,title,user,timestamp',
        `1001,lead_created,${csvTitle},ana@office.example,2025-03-03T09:00:00Z`,
        '1001,comment,,"Ana \\ Ruiz",2025-03-03T10:00:00Z',
        '1002,lead_created,"tab\there",ana@office.example,2025-03-03T09:00:00Z',
        '1003,lead_created,x,bad\u0000user,2025-03-03T09:00:00Z',
      ].join('\n');
      const r = await run('office_x', file('escapes.csv', text));
      assert.deepEqual({ inserted: r.inserted, quarantined: r.quarantined }, { inserted: 3, quarantined: 1 });
      assert.deepEqual(await quarantine(t.db, 'office_x'), [
        {
          line: 6,
          reason: 'contains a NUL character or an unpaired surrogate, which the database cannot store',
        },
      ]);
      const rows = await t.db.query<{
        data: Record<string, unknown>;
        raw: Record<string, unknown>;
        meta: Record<string, unknown>;
      }>(
        "SELECT data, raw, meta FROM leadhouse.events WHERE source_id = 'office_x' ORDER BY (meta->>'line')::int",
      );
      assert.equal(rows.rows[0]?.data['title'], title);
      assert.equal(rows.rows[0]?.raw['title'], title);
      assert.equal(rows.rows[1]?.meta['user'], 'Ana \\ Ruiz');
      assert.equal(rows.rows[2]?.data['title'], 'tab\there');
      const lead = await t.db.query<{ title: string }>(
        "SELECT title FROM leadhouse.leads WHERE source_id = 'office_x' AND lead_id = '1001'",
      );
      assert.equal(lead.rows[0]?.title, title);
    });

    test('webhooks arriving during an import end in the projections a replay gives', async () => {
      const lines = [HEADER];
      for (let lead = 20_000; lead < 22_000; lead++) {
        lines.push(`${lead},lead_created,,Incoming,todo,1000,ana@office.example,2025-05-01T09:00:00Z`);
        lines.push(`${lead},step_changed,Incoming,Visit,todo,1000,ana@office.example,2025-05-02T09:00:00Z`);
        lines.push(`${lead},step_changed,Visit,Offer,todo,1500,bob@office.example,2025-05-03T09:00:00Z`);
      }
      const app = await testApp(t.db);
      try {
        let done = false;
        const importing = run('office_a', file('concurrent.csv', lines.join('\n'))).finally(() => {
          done = true;
        });
        const answers: number[] = [];
        for (let i = 0; !done || i < 5; i++) {
          const id = 20_000 + ((i * 37) % 2000);
          const res = await postWebhook(
            app,
            envelope(
              'lead.step.changed',
              leadData(id, {
                step: 'Signed',
                updated_at: `2025-05-04T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
              }),
            ),
          );
          answers.push(res.statusCode);
        }
        const r = await importing;
        assert.equal(r.inserted, 6000);
        assert.ok(
          answers.every((c) => c === 200),
          `all webhooks stored: ${answers.join(',')}`,
        );
      } finally {
        await app.fastify.close();
      }
      const live = await snapshotProjections(t.db);
      await replay(t.db);
      assert.deepEqual(await snapshotProjections(t.db), live);
      const signed = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM leadhouse.leads WHERE source_id = 'office_a' AND lead_id >= '20000' AND lead_id < '22000' AND step = 'Signed'",
      );
      assert.ok((signed.rows[0]?.n ?? 0) >= 5, 'the later webhook step wins over the imported history');
    });

    test('webhook events and imported history of the same lead merge into one lead', async () => {
      const app = await testApp(t.db);
      try {
        const res = await postWebhook(
          app,
          envelope(
            'lead.creation',
            leadData(9001, {
              created_at: '2025-03-04T09:12:33.000Z',
              updated_at: '2025-03-04T09:12:33.000Z',
            }),
          ),
        );
        assert.equal(res.statusCode, 200, res.body);
      } finally {
        await app.fastify.close();
      }
      const history = [
        HEADER,
        '9001,step_changed,Referido,Visita,todo,150000,stef@example.com,2025-03-06T10:00:00Z',
        '9001,won,,,,175000,stef@example.com,2025-03-20T12:00:00Z',
      ].join('\n');
      const r = await run('office_a', file('lead-9001.csv', history));
      assert.equal(r.inserted, 2);
      assert.equal(r.leads, 1);
      const lead = await t.db.query<Record<string, unknown>>(
        `SELECT title, step, status, amount, owner_email, created_at, event_count
         FROM leadhouse.leads WHERE source_id = 'office_a' AND lead_id = '9001'`,
      );
      assert.deepEqual(lead.rows, [
        {
          title: 'Piso 9001',
          step: 'Visita',
          status: 'won',
          amount: '175000',
          owner_email: 'stef@example.com',
          created_at: new Date('2025-03-04T09:12:33.000Z'),
          event_count: 3,
        },
      ]);
      const stages = await t.db.query<{ to_step: string; to_status: string }>(
        "SELECT to_step, to_status FROM leadhouse.stage_changes WHERE source_id = 'office_a' AND lead_id = '9001' ORDER BY seq",
      );
      assert.deepEqual(stages.rows, [
        { to_step: 'Referido', to_status: 'todo' },
        { to_step: 'Visita', to_status: 'todo' },
        { to_step: 'Visita', to_status: 'won' },
      ]);
    });
  });
}

describe('leadhouse import (CLI)', () => {
  const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const data = join(dir, 'cli-data');
  const config = file(
    'leadhouse.yaml',
    `database: ${data}\ntimezone: Europe/Madrid\nsources:\n  office_t: { kind: nocrm, apiKey: k, timezone: Asia/Tokyo }\n`,
  );

  test('imports with --json, reads zone-less times in the source zone, exits 0 with quarantined rows', async () => {
    const path = file(
      'cli.csv',
      [HEADER, '901,lead_created,,Incoming,todo,10,ana@office.example,2025-03-31 23:30', '902,oops'].join(
        '\n',
      ),
    );
    const r = cli(['import', 'office_t', path, '--json', '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ImportResult;
    assert.deepEqual(
      { ...out, ms: 0 },
      { rows: 2, inserted: 1, duplicates: 0, quarantined: 1, leads: 1, ms: 0 },
    );
    const again = cli(['import', 'office_t', path, '--config', config]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /2 rows, 0 new events, 1 already stored, 1 quarantined/);

    const db = await openPglite({ dir: data });
    assert.ok(db.ok, db.ok ? '' : db.error);
    try {
      const { rows } = await db.value.query<{ occurred_at: Date }>(
        "SELECT occurred_at FROM leadhouse.events WHERE source_id = 'office_t'",
      );
      assert.deepEqual(rows, [{ occurred_at: new Date('2025-03-31T14:30:00Z') }], 'Tokyo, not Madrid');
    } finally {
      await db.value.close();
    }
  });

  test('an unknown source or a missing file exits 2 with a clear message', () => {
    const unknown = cli(['import', 'nope', join(dir, 'cli.csv'), '--config', config]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown source "nope": not in the configuration \(known: office_t\)/);
    const missing = cli(['import', 'office_t', join(dir, 'missing.csv'), '--config', config]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /file not found: .*missing\.csv/);
    const badMap = cli(['import', 'office_t', join(dir, 'cli.csv'), '--map', 'lead=X', '--config', config]);
    assert.equal(badMap.code, 2);
    assert.match(badMap.stderr, /--map: unknown field "lead"/);
  });
});
