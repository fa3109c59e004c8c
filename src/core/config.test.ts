import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'leadhouse-config-'));
function file(text: string): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(p, text);
  return p;
}

test('defaults: embedded database, port 3000, UTC, no sources', () => {
  const c = loadConfig({ path: file(''), env: {} });
  assert.ok(c.ok);
  assert.equal(c.value.database.kind, 'pglite');
  assert.equal(c.value.port, 3000);
  assert.equal(c.value.timezone, 'UTC');
  assert.deepEqual(c.value.sources, {});
});

test('${VAR} and ${VAR:-default} are expanded from the environment', () => {
  const c = loadConfig({
    path: file(
      'port: ${LH_PORT:-4000}\napiToken: ${LH_TOKEN}\nsources:\n  office_a:\n    kind: nocrm\n    apiKey: ${NOCRM_KEY_A}\n    webhookToken: ${MISSING:-fallback-token}\n',
    ),
    env: { LH_TOKEN: 'a-long-enough-api-token', NOCRM_KEY_A: 'k-a' },
  });
  assert.ok(c.ok, c.ok ? '' : c.error);
  assert.equal(c.value.port, 4000);
  assert.equal(c.value.apiToken, 'a-long-enough-api-token');
  assert.deepEqual(c.value.sources['office_a'], {
    kind: 'nocrm',
    apiKey: 'k-a',
    webhookToken: 'fallback-token',
    dailyQuota: 2000,
    syncSchedule: '0 3 * * *',
    overlapMinutes: 10,
    reconcileSchedule: '0 4 * * 0',
  });
});

test('DATABASE_URL and PORT override the file', () => {
  const c = loadConfig({
    path: file('database: ./x\nport: 1234\n'),
    env: { DATABASE_URL: 'postgres://u@h/db', PORT: '5555' },
  });
  assert.ok(c.ok);
  assert.deepEqual(c.value.database, { kind: 'postgres', url: 'postgres://u@h/db' });
  assert.equal(c.value.port, 5555);
});

test('errors name the key and the problem', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'sources:\n  office_a:\n    kind: nocrm\n    apiKey: ${NOPE}\n',
      {},
      /sources\.office_a\.apiKey: environment variable NOPE is not set/,
    ],
    [
      'sources:\n  Office-A: { kind: nocrm, apiKey: k }\n',
      {},
      /sources\.Office-A: source ids are lower-case/,
    ],
    ['sources:\n  office_a: { kind: nocrm }\n', {}, /sources\.office_a\.apiKey/],
    ['sources:\n  office_a: { kind: hubspot, apiKey: k }\n', {}, /sources\.office_a\.kind/],
    ['timezone: Mars/Olympus\n', {}, /timezone: not a known IANA time zone/],
    ['port: seventy\n', {}, /port:/],
    ['apiToken: short\n', {}, /apiToken: must be at least 16/],
    [
      'sources:\n  office_a: { kind: nocrm, apiKey: k, syncSchedule: "every day" }\n',
      {},
      /syncSchedule: not a cron/,
    ],
    ['sources:\n  office_a: { kind: nocrm, apiKey: k, apiBaseUrl: "ftp://x" }\n', {}, /apiBaseUrl/],
    ['databse: x\n', {}, /databse/],
    ['sources: [\n', {}, /not valid YAML/],
  ];
  for (const [text, env, re] of cases) {
    const c = loadConfig({ path: file(text), env });
    assert.ok(!c.ok, text);
    assert.match(c.error, re, text);
  }
});

test('a config file that does not exist is an error naming it', () => {
  const c = loadConfig({ path: join(dir, 'nope.yaml'), env: {} });
  assert.ok(!c.ok);
  assert.match(c.error, /nope\.yaml: cannot read/);
});

test('an environment value cannot inject YAML structure', () => {
  const c = loadConfig({ path: file('apiToken: ${T}\n'), env: { T: 'abcdefghijklmnop\nport: 1' } });
  assert.ok(c.ok);
  assert.equal(c.value.port, 3000);
});
