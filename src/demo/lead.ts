import { type ClientFolder, FIRST_WINNABLE_STEP, type Office } from './office.js';
import type { Rng } from './random.js';

/** A simulated lead's state and how it changes; the generator decides when. */

export type LeadStatus = 'todo' | 'standby' | 'won' | 'lost' | 'cancelled';

export interface Lead {
  id: number;
  title: string;
  status: LeadStatus;
  stepIdx: number;
  ownerIdx: number;
  askingPrice: number;
  amount: number;
  folder: ClientFolder | undefined;
  createdAt: string;
  closedAt: string | null;
}

export const isClosed = (status: LeadStatus): boolean =>
  status === 'won' || status === 'lost' || status === 'cancelled';

/** The status a lead changes to: parked leads come back or drop; only late leads (mostly) win. */
export function nextStatus(rng: Rng, lead: Lead, lastStep: number): LeadStatus {
  if (lead.status === 'standby')
    return (['todo', 'lost', 'cancelled'] as const)[rng.weighted([6, 3, 1])] ?? 'todo';
  if (lead.stepIdx >= FIRST_WINNABLE_STEP) {
    const win = lead.stepIdx >= lastStep ? 0.9 : lead.stepIdx === lastStep - 1 ? 0.55 : 0.3;
    if (rng.chance(win)) return 'won';
    return (['lost', 'standby', 'cancelled'] as const)[rng.weighted([6, 3, 1])] ?? 'lost';
  }
  return (['lost', 'standby', 'cancelled'] as const)[rng.weighted([5, 4, 1])] ?? 'lost';
}

/**
 * The lead as noCRM's webhook `data` (nocrm.md §1.4, §4), with the variations seen in the wild:
 * amount sometimes a numeric string, owner sometimes only `{id, email}`, folder under `client`
 * or (≈20%) `client_folder`.
 */
export function leadSnapshot(office: Office, lead: Lead, now: string, rng: Rng): Record<string, unknown> {
  const step = office.steps[lead.stepIdx]!;
  const agent = office.agents[lead.ownerIdx]!;
  const data: Record<string, unknown> = {
    id: lead.id,
    title: lead.title,
    status: lead.status,
    pipeline: office.pipeline,
    step: step.name,
    step_id: step.id,
    amount: lead.amount > 0 && rng.chance(0.12) ? lead.amount.toFixed(2) : lead.amount,
    currency: office.currency,
    probability: lead.status === 'won' ? 100 : isClosed(lead.status) ? 0 : step.probability,
    created_at: lead.createdAt,
    updated_at: now,
    closed_at: lead.closedAt,
    permalink: `https://${office.subdomain}.nocrm.io/leads/${lead.id}`,
    user: rng.chance(0.15)
      ? { id: agent.id, email: agent.email }
      : { id: agent.id, firstname: agent.firstname, lastname: agent.lastname, email: agent.email },
  };
  if (lead.folder) data[rng.chance(0.2) ? 'client_folder' : 'client'] = { ...lead.folder };
  return data;
}
