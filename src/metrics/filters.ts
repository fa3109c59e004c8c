import type { SqlParams } from './sqlParams.js';
import type { MetricParams } from './types.js';

/**
 * The `source`, `owner` and `pipeline` filters as SQL conditions. The source condition is always
 * present (every configured source by default) so that the indexes leading with source_id serve
 * "all offices" too: one range scan per office.
 */
export function sourceCond(sql: SqlParams, p: MetricParams, col = 'l.source_id'): string {
  if (p.sources) return `${col} = ANY(${sql.p(p.sources)}::text[])`;
  return `${col} = ANY(ARRAY(SELECT id FROM leadhouse.sources))`;
}

export function ownerCond(sql: SqlParams, p: MetricParams, col = 'l.owner_email'): string {
  if (!p.owners) return 'TRUE';
  const emails = p.owners.filter((o): o is string => o !== null);
  const parts: string[] = [];
  if (emails.length > 0) parts.push(`${col} = ANY(${sql.p(emails)}::text[])`);
  if (emails.length < p.owners.length) parts.push(`${col} IS NULL`);
  return `(${parts.join(' OR ')})`;
}

export function pipelineCond(sql: SqlParams, p: MetricParams, col = 'l.pipeline'): string {
  return p.pipeline === undefined ? 'TRUE' : `${col} = ${sql.p(p.pipeline)}`;
}

/** All three lead filters. */
export function leadFilters(sql: SqlParams, p: MetricParams): string {
  return [sourceCond(sql, p), ownerCond(sql, p), pipelineCond(sql, p)].join(' AND ');
}
