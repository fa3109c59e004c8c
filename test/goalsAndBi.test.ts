import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { grantBiRole } from '../src/metrics/grantBiRole.js';
import { testApp } from './helpers/app.js';
import { cli } from './helpers/cli.js';
import { testDrivers } from './helpers/testDb.js';

const dir = mkdtempSync(join(tmpdir(), 'leadhouse-goals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('leadhouse goals import', () => {
  const config = file(
    'c.yaml',
    `database: ${join(dir, 'data')}\nsources:\n  office_a: { kind: nocrm, apiKey: k }\n  office_b: { kind: nocrm, apiKey: k2 }\n`,
  );

  test('a bad row fails the whole file, naming line and field; nothing is written', () => {
    const bad = file(
      'bad.csv',
      'source,owner,metric,period,period_start,target\noffice_a,,sales_amount,month,2026-11,300000\noffice_z,,leads_won,month,2026-11,3\noffice_a,ana@x.example,leads_won,year,2026-01,5\n',
    );
    const r = cli(['goals', 'import', bad, '--config', config]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 3: source:/);
    assert.match(r.stderr, /line 4: period_start: must be YYYY/);
    const list = cli([
      'goals',
      'import',
      file('empty.csv', 'source,metric,period,period_start,target\n'),
      '--config',
      config,
      '--json',
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).imported, 0, 'the bad file wrote nothing');
  });

  test('imports office and owner goals; re-importing updates the target', () => {
    const good = file(
      'good.csv',
      'Source,Owner,Metric,Period,Period_Start,Target\noffice_a,,sales_amount,month,2026-11,300000\noffice_a,Ana@X.example,leads_won,year,2026,24\n',
    );
    const r = cli(['goals', 'import', good, '--config', config, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { imported: number; goals: Array<Record<string, unknown>> };
    assert.equal(out.imported, 2);
    assert.deepEqual(
      out.goals.map((g) => [
        g['scope'],
        g['owner'],
        g['metric'],
        g['period'],
        g['period_start'],
        g['target'],
      ]),
      [
        ['office', null, 'sales_amount', 'month', '2026-11', 300000],
        ['owner', 'ana@x.example', 'leads_won', 'year', '2026', 24],
      ],
    );
    const again = cli([
      'goals',
      'import',
      file(
        'again.csv',
        'source,owner,metric,period,period_start,target\noffice_a,ana@x.example,leads_won,year,2026,30\n',
      ),
      '--config',
      config,
      '--json',
    ]);
    assert.equal(again.code, 0, again.stderr);
    const g = (JSON.parse(again.stdout) as { goals: Array<Record<string, unknown>> }).goals[0];
    assert.equal(g?.['id'], out.goals[1]?.['id'], 'same goal, updated');
    assert.equal(g?.['target'], 30);
  });

  test('a missing column is named', () => {
    const r = cli([
      'goals',
      'import',
      file('nocol.csv', 'source,metric,period,target\noffice_a,leads_won,month,3\n'),
      '--config',
      config,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 1: missing column\(s\) period_start/);
  });
});

describe('OpenAPI and Swagger UI', () => {
  test('/api/openapi.json documents every API route; /docs serves Swagger UI', async () => {
    const d = testDrivers()[0];
    assert.ok(d);
    const t = await d.open();
    const app = await testApp(t.db);
    try {
      const r = await app.fastify.inject('/api/openapi.json');
      assert.equal(r.statusCode, 200);
      const doc = r.json() as {
        openapi: string;
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      assert.match(doc.openapi, /^3\./);
      for (const path of [
        '/api/v1/metrics',
        '/api/v1/metrics/{name}',
        '/api/v1/goals',
        '/api/v1/goals/{id}',
        '/api/v1/leads',
        '/webhooks/{source}',
      ])
        assert.ok(doc.paths[path], `${path} documented`);
      assert.ok(doc.paths['/api/v1/goals']?.['post'], 'POST /goals');
      assert.deepEqual(doc.paths['/api/v1/metrics/{name}']?.['get']?.security, [{ bearer: [] }]);
      const ui = await app.fastify.inject('/docs/');
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    } finally {
      await app.fastify.close();
      await t.close();
    }
  });
});

const url = process.env['TEST_DATABASE_URL'];
describe('read-only BI role (PostgreSQL)', { skip: url ? false : 'TEST_DATABASE_URL not set' }, () => {
  test('reads the reporting views, cannot read the core tables nor write', async () => {
    const d = testDrivers().find((x) => x.name === 'postgres');
    assert.ok(d);
    const t = await d.open();
    const app = await testApp(t.db);
    const role = `lh_bi_test_${process.pid}`;
    const password = 'bi-pass-123';
    try {
      await t.db.transaction((tx) => grantBiRole(tx, role, password));
      await t.db.query(
        `INSERT INTO leadhouse.goals (scope, source_id, metric, period, period_start, target) VALUES ('office', 'office_a', 'leads_won', 'month', '2026-11-01', 5)`,
      );
      const dbName = (await t.db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d;
      const u = new URL(url as string);
      u.username = role;
      u.password = password;
      u.pathname = `/${dbName}`;
      const bi = new pg.Client({ connectionString: u.toString() });
      await bi.connect();
      try {
        const goals = await bi.query('SELECT target::int AS target FROM reporting.goals');
        assert.deepEqual(goals.rows, [{ target: 5 }]);
        await bi.query('SELECT * FROM reporting.kpi_monthly LIMIT 1');
        await bi.query('SELECT count(*) FROM reporting.calendar');
        await assert.rejects(bi.query('SELECT * FROM leadhouse.events LIMIT 1'), /permission denied/);
        await assert.rejects(bi.query('CREATE TABLE reporting.x (a int)'), /read-only|permission denied/);
      } finally {
        await bi.end();
      }
    } finally {
      await app.fastify.close();
      await t.db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => {});
      await t.close();
    }
  });
});
