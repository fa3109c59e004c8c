import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { err, ok, type Result } from '../core/result.js';
import {
  type CopyFormat,
  channelName,
  copyTarget,
  type Db,
  type Queryable,
  type QueryResult,
  type Statement,
} from './db.js';
import { acquireLock } from './lockFile.js';

const parsers = {
  20: (v: string) => Number(v), // int8: ids stay far below 2^53
  1700: (v: string) => v, // numeric: exact decimal string, as the pg driver returns it
};

/**
 * PGlite reads COPY only from `'/dev/blob'`, a Blob handed over with the query: rows are grouped
 * into blobs of about this many characters, one COPY each, so memory stays bounded.
 */
const COPY_BLOB_CHARS = 8 * 1024 * 1024;

export interface PgliteOptions {
  /** A folder, or `memory://` for a throwaway database. */
  dir: string;
  /** A data folder dump (PGlite `dumpDataDir`) to start from: used by tests for a fast start. */
  loadDataDir?: Blob;
}

export async function openPglite(opts: PgliteOptions): Promise<Result<Db, string>> {
  const inMemory = opts.dir.startsWith('memory://');
  let release = () => {};
  if (!inMemory) {
    mkdirSync(opts.dir, { recursive: true });
    const lock = acquireLock(`${opts.dir.replace(/\/+$/, '')}.lock`);
    if (!lock.ok) return err(lock.error);
    release = lock.value;
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      ...(inMemory ? {} : { dataDir: opts.dir }),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      parsers,
    });
  } catch (e) {
    release();
    return err(`cannot open the embedded database in ${opts.dir}: ${(e as Error).message}`);
  }
  // PostgreSQL spills big sorts and hashes to base/pgsql_tmp; PGlite's file system does not create
  // the folder on demand ("could not create temporary file", seen recomputing 50k leads at once).
  if (!inMemory) mkdirSync(join(opts.dir, 'base', 'pgsql_tmp'), { recursive: true });

  const wrap = (c: PGlite | Transaction): Queryable => ({
    async query<R>(sql: string | Statement, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await c.query<R>(typeof sql === 'string' ? sql : sql.text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await c.exec(sql);
    },
    async copyFrom(
      table: string,
      columns: readonly string[],
      chunks: AsyncIterable<string>,
      format: CopyFormat = 'csv',
    ): Promise<void> {
      const sql = `${copyTarget(table, columns)} FROM '/dev/blob' WITH (FORMAT ${format})`;
      let parts: string[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        const blob = new Blob(parts);
        parts = [];
        size = 0;
        await c.query(sql, [], { blob });
      };
      for await (const chunk of chunks) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= COPY_BLOB_CHARS) await flush();
      }
      await flush();
    },
  });
  const base = wrap(pg);

  return ok({
    driver: 'pglite',
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      const unlisten = await pg.listen(channelName(channel), onPayload);
      return async () => {
        if (!pg.closed) await unlisten();
      };
    },
    async close(): Promise<void> {
      try {
        if (!pg.closed) await pg.close();
      } finally {
        release();
      }
    },
    /** Not part of Db: lets tests make a template dump. */
    dumpDataDir: () => pg.dumpDataDir('none'),
  } as Db & { dumpDataDir(): Promise<Blob> });
}
