import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import {
  type CopyFormat,
  copyTarget,
  type Db,
  type Queryable,
  type QueryResult,
  type Statement,
} from './db.js';
import { PgListener } from './pgListener.js';

const INT8 = 20;
const NUMERIC = 1700;

/** Parse int8 as a JS number (our ids stay far below 2^53) and keep numeric as an exact string. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === NUMERIC) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  url: string;
  max?: number;
  applicationName?: string;
}

/** COPY … FROM STDIN on one connection; `pipeline` waits for the server when it is slower (backpressure). */
async function copyOn(client: pg.PoolClient, sql: string, chunks: AsyncIterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyStream(sql)));
}

export function openPostgres(opts: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'leadhouse',
    // Named (prepared) statements skip parsing, but a generic plan for the projection SQL, whose
    // row counts hang on its array parameters, is far slower than a custom one: always plan anew.
    options: '-c plan_cache_mode=force_custom_plan',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const listener = new PgListener({
    connectionString: opts.url,
    application_name: `${opts.applicationName ?? 'leadhouse'}-listen`,
    connectionTimeoutMillis: 5_000,
  });

  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string | Statement, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const values = params as unknown[] | undefined;
      const r =
        typeof sql === 'string'
          ? await c.query(sql, values)
          : await c.query({ ...sql, values: values ?? [] });
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await c.query(sql);
    },
    async copyFrom(
      table: string,
      columns: readonly string[],
      chunks: AsyncIterable<string>,
      format: CopyFormat = 'csv',
    ): Promise<void> {
      const sql = `${copyTarget(table, columns)} FROM STDIN WITH (FORMAT ${format})`;
      if (!(c instanceof pg.Pool)) return copyOn(c, sql, chunks);
      const client = await c.connect();
      let failed = false;
      try {
        await copyOn(client, sql, chunks);
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        client.release(failed);
      }
    },
  });
  const base = wrap(pool);

  return {
    driver: 'postgres',
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw e;
      } finally {
        client.release(broken);
      }
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async close(): Promise<void> {
      await listener.close();
      await pool.end();
    },
  };
}
