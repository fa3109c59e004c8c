import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../core/errors.js';
import { mergeFunnels } from './mergeFunnels.js';

const row = (source: string, stage: string, position: number, value: number, owner?: string) => ({
  source,
  stage,
  position,
  value,
  ...(owner ? { owner } : {}),
});

test('funnels of offices with the same stages add up stage by stage, conversions recomputed', () => {
  const merged = mergeFunnels(
    [row('a', 'Lead', 0, 10), row('a', 'Visit', 1, 4), row('b', 'Visit', 1, 2), row('b', 'Lead', 0, 6)],
    [],
  );
  assert.deepEqual(merged, [
    { stage: 'Lead', position: 0, value: 16, step_conversion: null, from_first: 1 },
    { stage: 'Visit', position: 1, value: 6, step_conversion: 0.375, from_first: 0.375 },
  ]);
});

test('groups stay apart', () => {
  const merged = mergeFunnels(
    [row('a', 'Lead', 0, 3, 'x@a'), row('b', 'Lead', 0, 2, 'y@b'), row('a', 'Lead', 0, 1, 'y@b')],
    ['owner'],
  );
  assert.deepEqual(
    merged.map((r) => [r['owner'], r['value']]),
    [
      ['x@a', 3],
      ['y@b', 3],
    ],
  );
});

test('offices whose stages differ cannot be added: 400 naming the parameter', () => {
  assert.throws(
    () =>
      mergeFunnels(
        [row('a', 'Lead', 0, 1), row('a', 'Won', 1, 1), row('b', 'Nuevo', 0, 1), row('b', 'Won', 1, 1)],
        [],
      ),
    (e: unknown) => e instanceof HttpError && e.status === 400 && /source/.test(e.message),
  );
});
