import { buildOffice, type Office } from '../office.js';

/**
 * The three offices of the bulk data set: the demo's sources, subdomains and seeds (so step ids
 * and the first agents are the demo simulator's), with 40 agents between them.
 */
export interface BulkOffice {
  sourceId: string;
  office: Office;
}

const SPECS = [
  { sourceId: 'office_a', subdomain: 'office-a', agents: 14, seed: 11 },
  { sourceId: 'office_b', subdomain: 'office-b', agents: 13, seed: 22 },
  { sourceId: 'office_c', subdomain: 'office-c', agents: 13, seed: 33 },
] as const;

export const BULK_OFFICES: readonly BulkOffice[] = SPECS.map((s) => ({
  sourceId: s.sourceId,
  office: buildOffice(s),
}));

/** Every agent once, office by office: a lead's owner is drawn uniformly from this list. */
export const BULK_AGENTS: ReadonlyArray<{ officeIdx: number; agentIdx: number }> = BULK_OFFICES.flatMap(
  (o, officeIdx) => o.office.agents.map((_, agentIdx) => ({ officeIdx, agentIdx })),
);

/** Generated lead ids are BULK_LEAD_BASE + the lead's index: far from the simulator's ids. */
export const BULK_LEAD_BASE = 10_000_000;
/** Generated client folder ids, likewise. */
export const BULK_FOLDER_BASE = 50_000_000;
/** Event (webhook) ids: BULK_EVENT_BASE + index × 16 + the event's number within its lead. */
export const BULK_EVENT_BASE = 900_000_000_000;
