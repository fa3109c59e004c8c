/** One SQL dialect (PostgreSQL 15+), two drivers: PGlite in a folder, or a PostgreSQL pool. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A statement with a name: PostgreSQL parses and plans it once per connection and reuses the
 * plan (hot paths with large SQL, such as the ingest). The name must be unique per text.
 */
export interface Statement {
  name: string;
  text: string;
}

export interface Queryable {
  /** One parameterized statement ($1, $2 …). */
  query<R = Record<string, unknown>>(
    sql: string | Statement,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk load: `COPY table (columns) FROM … WITH (FORMAT csv)` — CSV text (RFC 4180, no header;
   * an unquoted empty field is NULL) — or, with `format: 'text'`, PostgreSQL's text format
   * (tab-separated, `\N` for NULL, backslash escapes: no quote doubling, cheaper for JSON).
   * Every chunk holds whole rows. Streamed: the chunks are pulled as the database takes them, so
   * memory stays bounded whatever the size. `table` and `columns` are identifiers from our code,
   * never input.
   */
  copyFrom(
    table: string,
    columns: readonly string[],
    chunks: AsyncIterable<string>,
    format?: CopyFormat,
  ): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel (`SELECT pg_notify(channel, payload)`, delivered at commit).
   * Resolves once listening; the returned function unsubscribes. `channel` is an identifier from
   * our code, never input.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type CopyFormat = 'csv' | 'text';

const IDENTIFIER = /^[a-z_][a-z0-9_.]*$/;

/** Checks a LISTEN channel name (it cannot be a parameter). */
export function channelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel))
    throw new Error(`listen: ${JSON.stringify(channel)} is not a plain identifier`);
  return channel;
}

/** The COPY statement's head, `COPY table (a, b)`, once every identifier is checked. */
export function copyTarget(table: string, columns: readonly string[]): string {
  for (const name of [table, ...columns])
    if (!IDENTIFIER.test(name))
      throw new Error(`copyFrom: ${JSON.stringify(name)} is not a plain identifier`);
  if (columns.length === 0) throw new Error('copyFrom: no columns');
  return `COPY ${table} (${columns.join(', ')})`;
}

/** Errors that mean "the database is not reachable right now" (answer 503, retry later). */
export function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code))
      return true;
    // 08xxx connection exceptions, 57P0x admin shutdown / cannot connect now, 53xxx resources
    if (/^(08|57P|53)/.test(code)) return true;
  }
  const msg = (e as Error)?.message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|closed|not queryable/i.test(
    msg,
  );
}
