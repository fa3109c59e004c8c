import type { Queryable } from '../store/db.js';

export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Stands for current_database() among format() arguments. */
const CURRENT_DATABASE = '\u0000current_database';

/**
 * Creates (or updates) a read-only login role for BI tools: it can read the `reporting` views and
 * nothing else; every session it opens is read-only. Views run with their owner's rights, so the
 * role needs no access to the `leadhouse` tables. Statements are built by PostgreSQL's format()
 * (%I quotes the identifier, %L the password): nothing from the caller is spliced into SQL.
 */
export async function grantBiRole(
  tx: Queryable,
  role: string,
  password: string | undefined,
  opts: { compatViews?: boolean } = {},
): Promise<'created' | 'updated'> {
  if (!ROLE_NAME.test(role)) throw new Error(`role name must match ${ROLE_NAME}`);
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1',
    [role],
  );
  const exists = (rows[0]?.n ?? 0) > 0;
  const stmts: Array<[template: string, ...args: string[]]> = [
    exists
      ? password === undefined
        ? ['ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role]
        : ['ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', role, password]
      : password === undefined
        ? ['CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role]
        : ['CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', role, password],
    ['ALTER ROLE %I SET default_transaction_read_only = on', role],
    ['GRANT CONNECT ON DATABASE %I TO %I', CURRENT_DATABASE, role],
    ['GRANT USAGE ON SCHEMA reporting TO %I', role],
    ['GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO %I', role],
    ['ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO %I', role],
  ];
  if (opts.compatViews) {
    stmts.push(['GRANT USAGE ON SCHEMA public TO %I', role]);
    const views = await tx.query<{ name: string }>(
      `SELECT viewname AS name FROM pg_views WHERE schemaname = 'public'
       AND viewname ~ '_(lead_created|step_changed|lead_deleted|client_folder_created)$'`,
    );
    for (const v of views.rows) stmts.push(['GRANT SELECT ON public.%I TO %I', v.name, role]);
  }
  for (const [template, ...args] of stmts) {
    // Each argument is a bind parameter, except the marker for the current database's name.
    const params: string[] = [];
    const fmtArgs = args.map((a) => {
      if (a === CURRENT_DATABASE) return 'current_database()';
      params.push(a);
      return `$${params.length}::text`;
    });
    const { rows: built } = await tx.query<{ sql: string }>(
      `SELECT format('${template}', ${fmtArgs.join(', ')}) AS sql`,
      params,
    );
    await tx.exec(built[0]?.sql as string);
  }
  return exists ? 'updated' : 'created';
}
