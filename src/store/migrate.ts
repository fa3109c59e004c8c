import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant: every leadhouse process migrating one database takes this advisory lock. */
const MIGRATION_LOCK = 7_340_111;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(dir + f, 'utf8'),
    }));
}

/**
 * Applies the pending numbered migrations, forward only, all in one transaction under an advisory
 * lock, so several processes starting at once migrate exactly once. Returns what it applied.
 */
export async function migrate(db: Db, migrations = listMigrations()): Promise<Migration[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS leadhouse;
      CREATE TABLE IF NOT EXISTS leadhouse.schema_migrations (
        version    int PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM leadhouse.schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO leadhouse.schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    }
    return pending;
  });
}
