// Data shapes held by the fake noCRM API (reference: docs nocrm.md §2.4–2.5).

export type LeadStatus = 'todo' | 'standby' | 'won' | 'lost' | 'cancelled';

/** A lead as stored by the fake; served in the REST shape of §2.4 (missing optional fields get defaults). */
export interface FakeLead {
  id: number;
  title: string;
  pipeline: string;
  step: string;
  step_id: number;
  status: LeadStatus;
  amount: number;
  currency: string;
  probability: number;
  user_id: number | null;
  client_folder_id: number | null;
  client_folder_name: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  [k: string]: unknown;
}

export interface FakeUser {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  mobile_phone: string | null;
  job_title: string | null;
  is_admin: boolean;
  has_activated: boolean;
  is_disabled: boolean;
  locale: string;
  time_zone: string;
  permalink: string;
  avatar_url: string | null;
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}

export interface FakeStep {
  id: number;
  name: string;
  position: number;
  pipeline_id: number;
  pipeline: { id: number; name: string };
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}

export interface FakePipeline {
  id: number;
  name: string;
  is_default: boolean;
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}

export interface FakeClient {
  id: number;
  name: string;
  description: string;
  is_active: boolean;
  user_id: number | null;
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}

export interface FakeNocrmOptions {
  apiKey: string;
  /** Requests allowed per UTC day (server clock); default unlimited. */
  dailyQuota?: number;
  /** Cap applied to `limit` on GET /leads; default 100. */
  maxLimit?: number;
  /** Server clock, for the quota, `requests[].at` and `touchLead`; default `() => new Date()`. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  /** Pathname as received, e.g. `/api/v2/leads`. */
  path: string;
  query: Record<string, string>;
  at: Date;
  status: number;
}

export interface HookRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

/** Everything the routes read; the fake's public fields. */
export interface FakeData {
  leads: Map<number, FakeLead>;
  users: FakeUser[];
  steps: FakeStep[];
  pipelines: FakePipeline[];
  clients: FakeClient[];
}
