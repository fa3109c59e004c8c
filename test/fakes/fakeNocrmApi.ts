// A fake noCRM.io REST API v2 on loopback (node:http) for integration tests: real HTTP, the documented
// request/response shapes (docs: shared reference nocrm.md §2), a daily quota and fault injection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DailyQuota } from './nocrm/quota.js';
import { apiError, type Reply } from './nocrm/reply.js';
import { BASE_PATH, route } from './nocrm/routes.js';
import { seedData } from './nocrm/seed.js';
import type {
  FakeClient,
  FakeLead,
  FakeNocrmOptions,
  FakePipeline,
  FakeStep,
  FakeUser,
  HookRequest,
  RecordedRequest,
} from './nocrm/types.js';

export type {
  FakeClient,
  FakeLead,
  FakeNocrmOptions,
  FakePipeline,
  FakeStep,
  FakeUser,
  HookRequest,
  LeadStatus,
  RecordedRequest,
} from './nocrm/types.js';

const CLOSED = new Set(['won', 'lost', 'cancelled']);

export class FakeNocrmApi {
  leads = new Map<number, FakeLead>();
  users: FakeUser[] = [];
  steps: FakeStep[] = [];
  pipelines: FakePipeline[] = [];
  clients: FakeClient[] = [];
  /** Every request received, in arrival order, with the status it was answered. */
  requests: RecordedRequest[] = [];
  /** Runs before a request that passed auth, quota and injected faults is answered; may be async. */
  beforeResponse?: (req: HookRequest) => void | Promise<void>;

  private readonly apiKey: string;
  private readonly maxLimit: number;
  private readonly now: () => Date;
  private readonly quota: DailyQuota;
  private readonly faults: Reply[] = [];
  private server: Server | undefined;

  constructor(opts: FakeNocrmOptions) {
    this.apiKey = opts.apiKey;
    this.maxLimit = opts.maxLimit ?? 100;
    this.now = opts.now ?? (() => new Date());
    this.quota = new DailyQuota(opts.dailyQuota);
  }

  /** Listens on 127.0.0.1 (ephemeral port); resolves to the base URL `http://127.0.0.1:PORT/api/v2`. */
  async start(): Promise<string> {
    if (this.server) throw new Error('FakeNocrmApi already started');
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `${this.origin()}${BASE_PATH}`;
  }

  /** Closes the listener and every open (keep-alive) connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    server.closeAllConnections();
    await closed;
  }

  /** `http://127.0.0.1:PORT` while started. */
  origin(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) throw new Error('FakeNocrmApi not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  upsertLead(lead: FakeLead): void {
    this.leads.set(lead.id, { ...lead });
  }

  /**
   * Applies `changes` and sets `updated_at` to `at` (default: the server clock). A status change into
   * won/lost/cancelled sets `closed_at` to the same instant, and back to todo/standby clears it,
   * unless `changes` carries `closed_at` itself.
   */
  touchLead(id: number, changes: Partial<FakeLead>, at?: Date): void {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`touchLead: no lead ${id}`);
    const updated_at = (at ?? this.now()).toISOString();
    const next: FakeLead = { ...lead, ...changes, updated_at } as FakeLead;
    if (changes.status !== undefined && changes.closed_at === undefined && changes.status !== lead.status) {
      next.closed_at = CLOSED.has(changes.status) ? updated_at : null;
    }
    this.leads.set(id, next);
  }

  deleteLead(id: number): void {
    this.leads.delete(id);
  }

  /** Replaces all data with `n` deterministic leads (increasing updated_at) plus users, steps, pipeline, clients. */
  seed(n: number, opts: { start?: Date; seed?: number } = {}): void {
    const data = seedData(n, opts);
    this.leads = data.leads;
    this.users = data.users;
    this.steps = data.steps;
    this.pipelines = data.pipelines;
    this.clients = data.clients;
  }

  /** The next `n` authenticated requests answer 429 with the given raw header values. */
  rateLimitNext(n: number, opts: { retryAfter?: string; limitReset?: string } = {}): void {
    const headers: Record<string, string> = {};
    if (opts.retryAfter !== undefined) headers['API-RETRY-AFTER'] = opts.retryAfter;
    if (opts.limitReset !== undefined) headers['API-LIMIT-RESET'] = opts.limitReset;
    const reply = apiError(429, 'Too many requests', 'rate_limit', headers);
    for (let i = 0; i < n; i++) this.faults.push(reply);
  }

  /** The next `n` authenticated requests answer `status` with noCRM's error body. */
  failNext(n: number, status: number): void {
    const reply = apiError(status, `Injected failure (${status})`);
    for (let i = 0; i < n; i++) this.faults.push(reply);
  }

  /** Requests counted against the quota on the current UTC day (server clock). */
  quotaUsed(): number {
    return this.quota.usedOn(this.now());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const at = this.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    let reply: Reply;
    try {
      reply = await this.answer(method, url.pathname, query, req.headers['x-api-key'], at);
    } catch (e) {
      reply = apiError(500, `Fake server error: ${e instanceof Error ? e.message : String(e)}`);
    }
    const body = JSON.stringify(reply.body);
    this.requests.push({ method, path: url.pathname, query, at, status: reply.status });
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...reply.headers,
    });
    res.end(body);
  }

  private async answer(
    method: string,
    path: string,
    query: Record<string, string>,
    key: string | string[] | undefined,
    at: Date,
  ): Promise<Reply> {
    if (key !== this.apiKey) return apiError(401, 'Invalid API key', 'unauthorized');
    const overQuota = this.quota.take(at);
    if (overQuota) return overQuota;
    const fault = this.faults.shift();
    if (fault) return fault;
    await this.beforeResponse?.({ method, path, query });
    return route(this, method, path, query, this.maxLimit);
  }
}
