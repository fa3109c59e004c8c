import type { Queryable } from '../store/db.js';
import type { OfficeSpec } from './generator.js';
import { buildOffice, type Office } from './office.js';

/**
 * Writes one simulated office's pipeline steps with their positions, as the noCRM API sync of
 * `/steps` does for a real account: the funnel's stage order comes from there.
 */
export async function writeOfficeSteps(
  tx: Queryable,
  sourceId: string,
  office: Office,
  pipelineId: string | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO leadhouse.stages (source_id, step_id, name, position, pipeline_id, pipeline, synced_at)
     SELECT $1, i, n, pos, $5, $6, now() FROM unnest($2::bigint[], $3::text[], $4::int[]) AS u(i, n, pos)
     ON CONFLICT (source_id, step_id) DO UPDATE SET name = excluded.name, position = excluded.position,
       pipeline_id = excluded.pipeline_id, pipeline = excluded.pipeline, synced_at = now()`,
    [
      sourceId,
      office.steps.map((s) => s.id),
      office.steps.map((s) => s.name),
      office.steps.map((s) => s.position),
      pipelineId,
      office.pipeline,
    ],
  );
}

/** The demo offices' steps (`leadhouse demo` at start). */
export async function syncDemoSteps(tx: Queryable, offices: readonly OfficeSpec[]): Promise<void> {
  for (const spec of offices) await writeOfficeSteps(tx, spec.sourceId, buildOffice(spec));
}
