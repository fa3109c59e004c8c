import { err, ok, type Result } from '../core/result.js';
import type { Queryable } from '../store/db.js';

export const GOAL_METRICS = ['leads_won', 'sales_amount'] as const;
export const GOAL_PERIODS = ['month', 'year'] as const;

/** A goal as the API shows it: period_start is YYYY-MM (month) or YYYY (year). */
export interface Goal {
  id: number;
  scope: 'office' | 'owner';
  source: string;
  owner: string | null;
  metric: (typeof GOAL_METRICS)[number];
  period: (typeof GOAL_PERIODS)[number];
  period_start: string;
  target: number;
}

export type GoalInput = Omit<Goal, 'id'>;

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;

/**
 * Validates a goal (API body or CSV row); the error names the field. `knownSources` are the
 * configured source ids.
 */
export function validateGoal(
  raw: Record<string, unknown>,
  knownSources: readonly string[],
): Result<GoalInput, string> {
  const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : raw[k]);
  const source = s('source');
  if (typeof source !== 'string' || !knownSources.includes(source))
    return err(`source: must be one of the configured sources (${knownSources.join(', ') || 'none'})`);
  const ownerRaw = s('owner');
  const owner = ownerRaw === undefined || ownerRaw === null || ownerRaw === '' ? null : ownerRaw;
  if (owner !== null && (typeof owner !== 'string' || !EMAIL.test(owner)))
    return err('owner: must be an e-mail address (or empty for an office goal)');
  const scope = s('scope') ?? (owner === null ? 'office' : 'owner');
  if (scope !== 'office' && scope !== 'owner') return err('scope: must be office or owner');
  if (scope === 'owner' && owner === null) return err('owner: required when scope is owner');
  if (scope === 'office' && owner !== null) return err('owner: must be empty when scope is office');
  const metric = s('metric');
  if (!GOAL_METRICS.includes(metric as never))
    return err(`metric: must be one of ${GOAL_METRICS.join(', ')}`);
  const period = s('period');
  if (!GOAL_PERIODS.includes(period as never))
    return err(`period: must be one of ${GOAL_PERIODS.join(', ')}`);
  const start = s('period_start');
  const shape = period === 'month' ? /^\d{4}-(0[1-9]|1[0-2])$/ : /^\d{4}$/;
  if (typeof start !== 'string' || !shape.test(start))
    return err(`period_start: must be ${period === 'month' ? 'YYYY-MM' : 'YYYY'} for a ${period} goal`);
  const t = s('target');
  const target = typeof t === 'string' && /^\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0)
    return err('target: must be a number greater than 0');
  return ok({
    scope,
    source,
    owner: owner === null ? null : (owner as string).toLowerCase(),
    metric: metric as Goal['metric'],
    period: period as Goal['period'],
    period_start: start,
    target,
  });
}

const COLUMNS = `id::int AS id, scope, source_id AS source, owner_email AS owner, metric, period,
  to_char(period_start, CASE period WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY' END) AS period_start, target::float8 AS target`;
const startDate = (g: GoalInput) =>
  g.period === 'month' ? `${g.period_start}-01` : `${g.period_start}-01-01`;
const KEY = `(scope, source_id, COALESCE(owner_email, ''), metric, period, period_start)`;

export async function listGoals(
  db: Queryable,
  f: { source?: string | undefined; owner?: string | undefined },
): Promise<Goal[]> {
  const { rows } = await db.query<Goal>(
    `SELECT ${COLUMNS} FROM leadhouse.goals
     WHERE ($1::text IS NULL OR source_id = $1) AND ($2::text IS NULL OR owner_email = $2)
     ORDER BY source_id, scope, owner_email NULLS FIRST, period_start, period, metric`,
    [f.source ?? null, f.owner?.toLowerCase() ?? null],
  );
  return rows;
}

export async function getGoal(db: Queryable, id: number): Promise<Goal | undefined> {
  const { rows } = await db.query<Goal>(`SELECT ${COLUMNS} FROM leadhouse.goals WHERE id = $1`, [id]);
  return rows[0];
}

/** Inserts a goal; `conflict` when one exists for the same scope, owner, metric and period. */
export async function insertGoal(db: Queryable, g: GoalInput): Promise<Result<Goal, 'conflict'>> {
  const { rows } = await db.query<Goal>(
    `INSERT INTO leadhouse.goals (scope, source_id, owner_email, metric, period, period_start, target)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7) ON CONFLICT ${KEY} DO NOTHING RETURNING ${COLUMNS}`,
    [g.scope, g.source, g.owner, g.metric, g.period, startDate(g), g.target],
  );
  return rows[0] ? ok(rows[0]) : err('conflict');
}

/** Inserts or replaces the target of the goal with the same key (CSV import). */
export async function upsertGoal(db: Queryable, g: GoalInput): Promise<Goal> {
  const { rows } = await db.query<Goal>(
    `INSERT INTO leadhouse.goals (scope, source_id, owner_email, metric, period, period_start, target)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7)
     ON CONFLICT ${KEY} DO UPDATE SET target = excluded.target, updated_at = now() RETURNING ${COLUMNS}`,
    [g.scope, g.source, g.owner, g.metric, g.period, startDate(g), g.target],
  );
  return rows[0] as Goal;
}

export async function updateGoal(
  db: Queryable,
  id: number,
  g: GoalInput,
): Promise<Result<Goal | undefined, 'conflict'>> {
  const params = [g.scope, g.source, g.owner, g.metric, g.period, startDate(g)];
  const clash = await db.query(
    `SELECT 1 FROM leadhouse.goals WHERE id <> $7 AND ${KEY} = ($1, $2, COALESCE($3, ''), $4, $5, $6::date)`,
    [...params, id],
  );
  if (clash.rows.length > 0) return err('conflict');
  const { rows } = await db.query<Goal>(
    `UPDATE leadhouse.goals SET scope = $1, source_id = $2, owner_email = $3, metric = $4, period = $5,
       period_start = $6::date, target = $7, updated_at = now()
     WHERE id = $8 RETURNING ${COLUMNS}`,
    [...params, g.target, id],
  );
  return ok(rows[0]);
}

export async function deleteGoal(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query('DELETE FROM leadhouse.goals WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}
