import { CHANGES_CHANNEL, type ChangeNotice, parseChangeNotice } from '../ingest/notifyChanges.js';
import type { Db } from '../store/db.js';

export type ChangeListener = (notice: ChangeNotice) => void;

/**
 * Committed changes, as the write paths announce them on the database (LISTEN, so a change made
 * by any process on the same database is seen), coalesced: the first notice opens a window of
 * `windowMs`, and everything announced in it leaves as ONE notice when it closes — a webhook
 * storm becomes at most a few notices a second, each within `windowMs` of its first change.
 * The database is listened to only while someone subscribes.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private unlisten: Promise<() => Promise<void>> | undefined;
  private pending: { sources: Set<string>; types: Set<string> } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly windowMs = 150,
  ) {}

  /** Resolves once the database is listened to: a change committed after that is announced. */
  async subscribe(fn: ChangeListener): Promise<() => void> {
    this.listeners.add(fn);
    this.unlisten ??= this.db.listen(CHANGES_CHANNEL, (p) => this.receive(p));
    try {
      await this.unlisten;
    } catch (e) {
      this.listeners.delete(fn);
      this.unlisten = undefined;
      throw e;
    }
    return () => {
      this.listeners.delete(fn);
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.listeners.clear();
    const un = this.unlisten;
    this.unlisten = undefined;
    if (un) await (await un.catch(() => async () => {}))().catch(() => {});
  }

  private receive(payload: string): void {
    const notice = parseChangeNotice(payload);
    this.pending ??= { sources: new Set(), types: new Set() };
    for (const s of notice.sources) this.pending.sources.add(s);
    for (const t of notice.types) this.pending.types.add(t);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  private flush(): void {
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const notice = { sources: [...p.sources].sort(), types: [...p.types].sort() };
    for (const fn of this.listeners) fn(notice);
  }
}
