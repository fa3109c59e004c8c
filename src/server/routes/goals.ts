import type { FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import { HttpError } from '../../core/errors.js';
import { notifyChanges } from '../../ingest/notifyChanges.js';
import {
  deleteGoal,
  GOAL_METRICS,
  GOAL_PERIODS,
  type GoalInput,
  getGoal,
  insertGoal,
  listGoals,
  updateGoal,
  validateGoal,
} from '../../metrics/goals.js';
import type { Db, Queryable } from '../../store/db.js';

const goalBody = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'metric', 'period', 'period_start', 'target'],
  properties: {
    scope: {
      type: 'string',
      enum: ['office', 'owner'],
      description: 'Default: owner when owner is given, else office',
    },
    source: { type: 'string', maxLength: 100 },
    owner: { type: ['string', 'null'], maxLength: 320, description: 'Agent e-mail (owner goals)' },
    metric: { type: 'string', enum: [...GOAL_METRICS] },
    period: { type: 'string', enum: [...GOAL_PERIODS] },
    period_start: {
      type: 'string',
      description: 'YYYY-MM for a month goal, YYYY for a year goal',
      maxLength: 7,
    },
    target: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

const goal = {
  type: 'object',
  properties: { id: { type: 'integer' }, ...goalBody.properties, owner: { type: ['string', 'null'] } },
} as const;
const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } as const;
const tags = ['goals'];

/** Goals CRUD: targets per office or agent, per month or year. */
export async function goalRoutes(app: FastifyInstance, deps: { db: Db; config: Config }): Promise<void> {
  const sources = Object.keys(deps.config.sources);
  /** A goal write and its change notice (open dashboards refetch goal progress), in one transaction. */
  const write = <T>(source: string | undefined, fn: (tx: Queryable) => Promise<T>) =>
    deps.db.transaction(async (tx) => {
      const out = await fn(tx);
      await notifyChanges(tx, { sources: source ? [source] : [], types: ['goal'] });
      return out;
    });
  const validated = (body: unknown): GoalInput => {
    const v = validateGoal(body as Record<string, unknown>, sources);
    if (!v.ok) throw new HttpError(400, 'invalid_payload', v.error);
    return v.value;
  };

  app.get<{ Querystring: { source?: string; owner?: string } }>(
    '/goals',
    {
      schema: {
        tags,
        summary: 'List goals',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            source: { type: 'string', maxLength: 100 },
            owner: { type: 'string', maxLength: 320 },
          },
        },
        response: { 200: { type: 'object', properties: { goals: { type: 'array', items: goal } } } },
      },
    },
    async (req) => ({ goals: await listGoals(deps.db, req.query) }),
  );

  app.post(
    '/goals',
    { schema: { tags, summary: 'Create a goal', body: goalBody, response: { 201: goal } } },
    async (req, reply) => {
      const g = validated(req.body);
      const created = await write(g.source, (tx) => insertGoal(tx, g));
      if (!created.ok)
        throw new HttpError(
          409,
          'conflict',
          'a goal for this scope, owner, metric and period exists already',
        );
      return reply.code(201).send(created.value);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/goals/:id',
    { schema: { tags, summary: 'One goal', params: idParams, response: { 200: goal } } },
    async (req) => {
      const g = await getGoal(deps.db, req.params.id);
      if (!g) throw new HttpError(404, 'not_found', `no goal ${req.params.id}`);
      return g;
    },
  );

  app.put<{ Params: { id: number } }>(
    '/goals/:id',
    {
      schema: { tags, summary: 'Replace a goal', params: idParams, body: goalBody, response: { 200: goal } },
    },
    async (req) => {
      const g = validated(req.body);
      const updated = await write(g.source, (tx) => updateGoal(tx, req.params.id, g));
      if (!updated.ok)
        throw new HttpError(
          409,
          'conflict',
          'a goal for this scope, owner, metric and period exists already',
        );
      if (!updated.value) throw new HttpError(404, 'not_found', `no goal ${req.params.id}`);
      return updated.value;
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/goals/:id',
    { schema: { tags, summary: 'Delete a goal', params: idParams, response: { 204: { type: 'null' } } } },
    async (req, reply) => {
      if (!(await deleteGoal(deps.db, req.params.id)))
        throw new HttpError(404, 'not_found', `no goal ${req.params.id}`);
      return reply.code(204).send();
    },
  );
}
