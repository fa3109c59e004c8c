// Daily request quota per UTC day (§2.3: ~2,000/day; noCRM answers 429 with API-RETRY-AFTER / API-LIMIT-RESET).
import { apiError, type Reply } from './reply.js';

export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

export class DailyQuota {
  private day = '';
  private used = 0;

  constructor(private readonly limit: number | undefined) {}

  /** Counts one request; a 429 reply once the day's quota is spent, else undefined. */
  take(now: Date): Reply | undefined {
    if (this.limit === undefined) return undefined;
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    this.used++;
    if (this.used <= this.limit) return undefined;
    const reset = nextUtcMidnight(now);
    return apiError(429, `Daily API quota of ${this.limit} requests exceeded`, 'rate_limit', {
      'API-RETRY-AFTER': String(Math.ceil((reset.getTime() - now.getTime()) / 1000)),
      'API-LIMIT-RESET': reset.toISOString(),
    });
  }

  /** Requests counted so far on the current UTC day. */
  usedOn(now: Date): number {
    return now.toISOString().slice(0, 10) === this.day ? this.used : 0;
  }
}
