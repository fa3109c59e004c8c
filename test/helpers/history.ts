import type { OfficeSpec, SimEvent } from '../../src/demo/simulator.js';
import { generateHistory } from '../../src/demo/simulator.js';
import type { Db } from '../../src/store/db.js';

export const OFFICES: OfficeSpec[] = [
  { sourceId: 'office_a', apiKey: 'test-api-key-office-a', subdomain: 'office-a', agents: 5, seed: 101 },
  { sourceId: 'office_b', apiKey: 'test-api-key-office-b', subdomain: 'office-b', agents: 4, seed: 202 },
];

/** A deterministic multi-office history, merged in event-time order. */
export function history(eventsPerOffice: number, start = new Date('2025-01-06T08:00:00Z')): SimEvent[] {
  return OFFICES.flatMap((o) => generateHistory(o, { events: eventsPerOffice, start }));
}

/** Every projection, row by row, in a stable order: two databases compare equal iff these do. */
export async function snapshotProjections(db: Db): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    leads: await q('SELECT * FROM leadhouse.leads ORDER BY source_id, lead_id'),
    stage_changes: await q('SELECT * FROM leadhouse.stage_changes ORDER BY source_id, lead_id, seq'),
    owners: await q('SELECT * FROM leadhouse.owners ORDER BY source_id, email'),
    folders: await q('SELECT * FROM leadhouse.folders ORDER BY source_id, folder_id'),
  };
}
