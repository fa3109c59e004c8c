import type { Queryable } from '../store/db.js';
import type { OfficeSpec } from './generator.js';
import { buildOffice } from './office.js';

/**
 * Writes the simulated offices' pipeline steps with their positions, as the noCRM API sync of
 * `/steps` does for a real account: the funnel's stage order comes from there.
 */
export async function syncDemoSteps(tx: Queryable, offices: readonly OfficeSpec[]): Promise<void> {
  for (const spec of offices) {
    const office = buildOffice(spec);
    await tx.query(
      `INSERT INTO leadhouse.stages (source_id, step_id, name, position, pipeline, synced_at)
       SELECT $1, i, n, pos, $5, now() FROM unnest($2::bigint[], $3::text[], $4::int[]) AS u(i, n, pos)
       ON CONFLICT (source_id, step_id) DO UPDATE SET name = excluded.name, position = excluded.position,
         pipeline = excluded.pipeline, synced_at = now()`,
      [
        spec.sourceId,
        office.steps.map((s) => s.id),
        office.steps.map((s) => s.name),
        office.steps.map((s) => s.position),
        office.pipeline,
      ],
    );
  }
}
