/** Typed access to /api/v1: every call carries the API token when the dashboard has one. */

const TOKEN_KEY = 'leadhouse.token';

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string): void => sessionStorage.setItem(TOKEN_KEY, t),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Called when the API answers 401: the app shows the token gate again. */
let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (fn: () => void): void => {
  onUnauthorized = fn;
};

export type Params = Record<string, string | number | undefined | null>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function get<T>(
  path: string,
  params: Params = {},
  opts: { tokenOverride?: string } = {},
): Promise<T> {
  const t = opts.tokenOverride ?? token.get();
  const res = await fetch(`/api/v1${path}${query(params)}`, {
    headers: { accept: 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (res.status === 401 && opts.tokenOverride === undefined) onUnauthorized();
    throw new ApiError(res.status, body.error?.code ?? 'error', body.error?.message ?? res.statusText);
  }
  return (await res.json()) as T;
}

// ---- metrics -----------------------------------------------------------------------------------

export type MetricRow = { value: number | null } & Record<string, string | number | null>;

export interface MetricResult {
  metric: string;
  unit: string;
  definition: string;
  filters: Record<string, string | null>;
  by: string[];
  rows: MetricRow[];
}

export interface MetricInfo {
  name: string;
  title: string;
  unit: string;
  definition: string;
  dimensions: string[];
  filters: string[];
}

export interface MetricParams {
  from?: string | undefined;
  to?: string | undefined;
  source?: string | undefined;
  owner?: string | undefined;
  pipeline?: string | undefined;
  by?: string | undefined;
  asOf?: string | undefined;
}

export const metric = (name: string, p: MetricParams): Promise<MetricResult> =>
  get<MetricResult>(`/metrics/${encodeURIComponent(name)}`, { ...p });

/** The single value of an ungrouped metric (null when the API has none). */
export async function metricValue(name: string, p: MetricParams): Promise<number | null> {
  const r = await metric(name, p);
  return r.rows[0]?.value ?? null;
}

export const metricList = (): Promise<{ metrics: MetricInfo[] }> => get('/metrics');

// ---- leads ---------------------------------------------------------------------------------------

export interface Lead {
  source: string;
  id: string;
  title: string | null;
  pipeline: string | null;
  step: string | null;
  status: string | null;
  amount: number | null;
  currency: string | null;
  owner: string | null;
  permalink: string | null;
  created_at: string | null;
  updated_at: string;
  closed_at: string | null;
  close_time: string | null;
  step_since: string | null;
}

export interface LeadPage {
  data: Lead[];
  next_cursor: string | null;
}

export const leads = (p: Params): Promise<LeadPage> => get('/leads', p);

export interface StageChange {
  seq: number;
  changed_at: string;
  event_id: string;
  pipeline: string | null;
  from_step: string | null;
  to_step: string | null;
  from_status: string | null;
  to_status: string | null;
  amount: number | null;
  moved_by: string | null;
}

export interface LeadEvent {
  id: number;
  external_id: string;
  type: string;
  provider_event: string | null;
  channel: string;
  occurred_at: string;
  received_at: string;
  data: unknown;
  raw: unknown;
}

export interface LeadDetail {
  lead: Lead;
  stage_history: StageChange[];
  events: LeadEvent[];
}

export const leadDetail = (source: string, id: string): Promise<LeadDetail> =>
  get(`/leads/${encodeURIComponent(source)}/${encodeURIComponent(id)}`);

// ---- data health -----------------------------------------------------------------------------------

export interface SourceHealth {
  source: string;
  kind: string;
  last_received_at: string | null;
  last_occurred_at: string | null;
  freshness_seconds: number | null;
  events_last_hour: number;
  events_last_24h: number;
  quarantined: number;
  quarantined_last_24h: number;
  last_sync: { kind: string; status: string; finished_at: string | null } | null;
  failed_deliveries: number | null;
}

export interface HealthReport {
  sources: SourceHealth[];
  per_hour: { source: string; hour: string; events: number }[];
}

export const sourceHealth = (): Promise<HealthReport> => get('/sources/health');
