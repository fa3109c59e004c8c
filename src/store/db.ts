/** One SQL dialect (PostgreSQL 15+), two drivers: PGlite in a folder, or a PostgreSQL pool. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  /** One parameterized statement ($1, $2 …). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
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
