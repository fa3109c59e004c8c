import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli } from './helpers/cli.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'leadhouse-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(text: string): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(p, text);
  return p;
}

describe('leadhouse CLI', () => {
  const data = join(dir, 'data');
  const config = configFile(`database: ${data}\nsources:\n  office_a: { kind: nocrm, apiKey: k }\n`);

  test('migrate --json migrates the embedded database', () => {
    const r = cli(['migrate', '--json', '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { driver: string; applied: unknown[]; known: number };
    assert.equal(out.driver, 'pglite');
    assert.equal(out.applied.length, out.known);
  });

  test('replay --json on an empty log', () => {
    const r = cli(['replay', '--json', '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual({ ...JSON.parse(r.stdout), ms: 0 }, { events: 0, leads: 0, ms: 0 });
  });

  test('a bad configuration exits 2 with a message naming the key', () => {
    const bad = configFile('sources:\n  office_a: { kind: nocrm }\n');
    const r = cli(['migrate', '--config', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /leadhouse: config .*sources\.office_a\.apiKey/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });

  test('a second process on the same embedded folder is refused clearly', async () => {
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'serve', '--config', config, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DATABASE_URL: '' },
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (b: Buffer) => {
          if (b.toString().includes('leadhouse is serving')) resolve();
        });
        server.once('exit', (c) => reject(new Error(`server exited ${c}`)));
      });
      const r = cli(['migrate', '--config', config]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /in use by another leadhouse process \(pid \d+\)/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  });

  test('--help lists the commands', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['serve', 'demo', 'migrate', 'replay']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });
});
