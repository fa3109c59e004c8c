import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDb } from '../src/store/openDb.js';
import { KEY_A, sign } from './helpers/app.js';
import { testDrivers } from './helpers/testDb.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function serve(configPath: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server not ready in 60 s');
}

function body(id: number) {
  return JSON.stringify({
    webhook_event: {
      id,
      event: 'lead.step.changed',
      signature: sign(id, KEY_A),
      has_succeeded: false,
      try_count: 1,
      last_returned_code: null,
      data: {
        id: id % 200,
        title: `Lead ${id % 200}`,
        step: `S${id % 7}`,
        step_id: id % 7,
        status: 'todo',
        updated_at: new Date(1_700_000_000_000 + id * 1000).toISOString(),
      },
    },
  });
}

for (const driver of testDrivers()) {
  describe(`crash safety (${driver.name})`, () => {
    test('kill -9 during a load: every acknowledged event is in the log after restart', async () => {
      const fresh = await driver.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'leadhouse-crash-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const configPath = join(dir, 'leadhouse.yaml');
      const database = fresh.config.kind === 'postgres' ? fresh.config.url : fresh.config.dir;
      writeFileSync(
        configPath,
        `database: ${database}\nport: ${port}\nhost: 127.0.0.1\nlogLevel: error\nsources:\n  office_a: { kind: nocrm, apiKey: ${KEY_A} }\n`,
      );
      try {
        const child = serve(configPath);
        await waitReady(base, child);

        const acked: number[] = [];
        let next = 1;
        let stop = false;
        const worker = async () => {
          while (!stop) {
            const id = next++;
            try {
              const res = await fetch(`${base}/webhooks/office_a`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: body(id),
              });
              if (res.status === 200) acked.push(id);
            } catch {
              // the server died mid-request: not acknowledged
            }
          }
        };
        const workers = Array.from({ length: 8 }, worker);
        while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        await new Promise((r) => setTimeout(r, 200));
        stop = true;
        await Promise.all(workers);
        assert.ok(acked.length >= 300);

        // Restart on the same database (PGlite: the dead process's lock is taken over).
        const again = serve(configPath);
        await waitReady(base, again);
        const after = await fetch(`${base}/webhooks/office_a`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body(next + 1000),
        });
        assert.equal(after.status, 200);
        again.kill('SIGTERM');
        await new Promise((r) => again.once('exit', r));

        const db = await openDb(fresh.config);
        assert.ok(db.ok, db.ok ? '' : db.error);
        const { rows } = await db.value.query<{ external_id: string }>(
          'SELECT external_id FROM leadhouse.events',
        );
        await db.value.close();
        const stored = new Set(rows.map((r) => Number(r.external_id)));
        const lost = acked.filter((id) => !stored.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged events were lost`);
      } finally {
        await fresh.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
