import { err, ok, type Result } from '../../../core/result.js';
import type { QuotaGate, QuotaRefusal } from './quota.js';
import { resumeTime } from './retryAfter.js';

export type ApiFailure =
  | QuotaRefusal
  | { kind: 'rate_limited'; resumesAt: Date }
  | { kind: 'http'; status: number; type: string; message: string }
  | { kind: 'network'; message: string };

export interface ApiPage<T> {
  body: T;
  /** `X-TOTAL-COUNT`: the number of matching rows before paging, when the API sends it. */
  total: number | undefined;
}

export interface NocrmApiOptions {
  baseUrl: string;
  apiKey: string;
  quota: QuotaGate;
  now?: () => Date;
  timeoutMs?: number;
}

/** Without a usable header, a 429 pauses the source this long. */
const DEFAULT_PAUSE_MS = 15 * 60_000;

/** The base URL of a source's API: `apiBaseUrl`, else `https://{subdomain}.nocrm.io/api/v2`. */
export function nocrmBaseUrl(src: {
  apiBaseUrl?: string | undefined;
  subdomain?: string | undefined;
}): string | undefined {
  if (src.apiBaseUrl) return src.apiBaseUrl.replace(/\/+$/, '');
  return src.subdomain ? `https://${src.subdomain}.nocrm.io/api/v2` : undefined;
}

/**
 * noCRM REST API v2 client: `X-API-KEY`, JSON, every request counted against the source's daily
 * budget first. A 429 pauses the source (persisted) until `API-RETRY-AFTER`/`API-LIMIT-RESET`.
 * Errors `{error, message, type}` come back as values, by `type`.
 */
export class NocrmApi {
  private readonly now: () => Date;

  constructor(private readonly opts: NocrmApiOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  async get<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<Result<ApiPage<T>, ApiFailure>> {
    const refused = await this.opts.quota.reserve();
    if (refused) return err(refused);
    const url = new URL(`${this.opts.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { 'X-API-KEY': this.opts.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (e) {
      return err({ kind: 'network', message: `${url.host}: ${(e as Error).message}` });
    }
    const text = await res.text();
    if (res.status === 429) {
      const resumesAt =
        resumeTime(res.headers, this.now()) ?? new Date(this.now().getTime() + DEFAULT_PAUSE_MS);
      await this.opts.quota.pause(resumesAt, `429 from ${path}`);
      return err({ kind: 'rate_limited', resumesAt });
    }
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      return err({
        kind: 'http',
        status: res.status,
        type: 'invalid_json',
        message: `${path}: the answer is not JSON`,
      });
    }
    if (!res.ok) {
      const e = (body ?? {}) as { message?: unknown; type?: unknown };
      return err({
        kind: 'http',
        status: res.status,
        type: typeof e.type === 'string' ? e.type : `http_${res.status}`,
        message: typeof e.message === 'string' ? e.message : `${path} answered ${res.status}`,
      });
    }
    const total = res.headers.get('x-total-count');
    return ok({ body: body as T, total: total !== null && /^\d+$/.test(total) ? Number(total) : undefined });
  }
}

export function describeFailure(f: ApiFailure): string {
  switch (f.kind) {
    case 'exhausted':
      return `daily quota of ${f.limit} requests used up; resumes at ${f.resumesAt.toISOString()}`;
    case 'paused':
      return `paused by the API (${f.reason}) until ${f.resumesAt.toISOString()}`;
    case 'rate_limited':
      return `the API answered 429; paused until ${f.resumesAt.toISOString()}`;
    case 'http':
      return `API error ${f.status} ${f.type}: ${f.message}`;
    case 'network':
      return `cannot reach the API: ${f.message}`;
  }
}
