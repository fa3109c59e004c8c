import pg from 'pg';
import { channelName } from './db.js';

type Callback = (payload: string) => void;

/**
 * LISTEN on PostgreSQL needs a connection of its own, kept open (a pooled one would be handed to
 * other queries). One client serves every channel of a Db; it is opened at the first `listen`,
 * and after a lost connection it reconnects (1 s, 2 s … 30 s apart) and listens again. A change
 * committed while it was away is not replayed: listeners refetch what they show anyway.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly callbacks = new Map<string, Set<Callback>>();
  private retryMs = 1000;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly config: pg.ClientConfig) {}

  async listen(channel: string, cb: Callback): Promise<() => Promise<void>> {
    const name = channelName(channel);
    let set = this.callbacks.get(name);
    const fresh = !set;
    if (!set) {
      set = new Set();
      this.callbacks.set(name, set);
    }
    set.add(cb);
    await this.connect();
    if (fresh && this.client) await this.client.query(`LISTEN ${name}`);
    return async () => {
      set.delete(cb);
      if (set.size > 0 || this.callbacks.get(name) !== set) return;
      this.callbacks.delete(name);
      await this.client?.query(`UNLISTEN ${name}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const c = new pg.Client(this.config);
    c.on('notification', (n) => {
      for (const cb of this.callbacks.get(n.channel) ?? []) cb(n.payload ?? '');
    });
    c.on('error', () => this.lost(c));
    c.on('end', () => this.lost(c));
    await c.connect();
    for (const name of this.callbacks.keys()) await c.query(`LISTEN ${name}`);
    this.client = c;
    this.retryMs = 1000;
  }

  private lost(c: pg.Client): void {
    if (this.client !== c) return;
    this.client = undefined;
    c.end().catch(() => {});
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.callbacks.size === 0) return;
    this.timer = setTimeout(() => {
      this.connect().catch(() => this.retry());
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }
}
