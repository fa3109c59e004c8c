import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/core/config.js';
import type { Db } from '../../src/store/db.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export interface TestDb {
  db: Db;
  /** How a child process (a `leadhouse serve` under test) reaches the same database. */
  config: DatabaseConfig;
  close(): Promise<void>;
}

export interface TestDriver {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty database. */
  open(opts?: { onDisk?: boolean }): Promise<TestDb>;
  /** A fresh, empty, unmigrated database for a child process; nothing is opened here. */
  fresh(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testDrivers(): TestDriver[] {
  const out: TestDriver[] = [pgliteDriver];
  const url = process.env['TEST_DATABASE_URL'];
  if (url) out.push(postgresDriver(url));
  return out;
}

/** A migrated PGlite data dir, dumped once and shared by every test process (initdb takes seconds). */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha1')
    .update(
      listMigrations()
        .map((m) => m.sql)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 12);
  const path = join(tmpdir(), `leadhouse-pglite-template-${hash}.tar`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const db = await openPglite({ dir: 'memory://' });
  if (!db.ok) throw new Error(db.error);
  await migrate(db.value);
  const dump = await (db.value as Db & { dumpDataDir(): Promise<Blob> }).dumpDataDir();
  await db.value.close();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
  return dump;
}

const pgliteDriver: TestDriver = {
  name: 'pglite',
  async open(opts = {}) {
    const dir = opts.onDisk ? mkdtempSync(join(tmpdir(), 'leadhouse-test-')) : undefined;
    const db = await openPglite({
      dir: dir ? join(dir, 'data') : 'memory://',
      loadDataDir: await pgliteTemplate(),
    });
    if (!db.ok) throw new Error(db.error);
    await migrate(db.value);
    return {
      db: db.value,
      config: { kind: 'pglite', dir: dir ? join(dir, 'data') : 'memory://' },
      async close() {
        await db.value.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'leadhouse-test-'));
    return {
      config: { kind: 'pglite', dir: join(dir, 'data') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

function postgresDriver(adminUrl: string): TestDriver {
  const create = async () => {
    const name = `leadhouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const drop = async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
    return { url: u.toString(), drop };
  };
  return {
    name: 'postgres',
    async open() {
      const { url, drop } = await create();
      const db = openPostgres({ url });
      await migrate(db);
      return {
        db,
        config: { kind: 'postgres', url },
        async close() {
          await db.close();
          await drop();
        },
      };
    },
    async fresh() {
      const { url, drop } = await create();
      return { config: { kind: 'postgres', url }, drop };
    },
  };
}
