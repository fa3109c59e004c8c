/** A lead as the API shows it. Money stays exact in the database and becomes a JSON number here. */
export interface LeadRow {
  source_id: string;
  lead_id: string;
  title: string | null;
  pipeline: string | null;
  step: string | null;
  step_id: number | null;
  status: string | null;
  amount: string | null;
  currency: string | null;
  probability: string | null;
  owner_email: string | null;
  owner_id: string | null;
  folder_id: string | null;
  folder_name: string | null;
  permalink: string | null;
  created_at: Date | null;
  updated_at: Date;
  closed_at: Date | null;
  deleted_at: Date | null;
  event_count: number;
}

export const LEAD_COLUMNS = `source_id, lead_id, title, pipeline, step, step_id, status, amount, currency, probability,
  owner_email, owner_id, folder_id, folder_name, permalink, created_at, updated_at, closed_at, deleted_at, event_count`;

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export function leadJson(r: LeadRow) {
  return {
    source: r.source_id,
    id: r.lead_id,
    title: r.title,
    pipeline: r.pipeline,
    step: r.step,
    step_id: r.step_id,
    status: r.status,
    amount: num(r.amount),
    currency: r.currency,
    probability: num(r.probability),
    owner: r.owner_email,
    owner_id: r.owner_id,
    folder_id: r.folder_id,
    folder_name: r.folder_name,
    permalink: r.permalink,
    created_at: r.created_at,
    updated_at: r.updated_at,
    closed_at: r.closed_at,
    deleted_at: r.deleted_at,
    event_count: r.event_count,
  };
}
