import type { Queryable } from '../store/db.js';

export interface SourceHealth {
  source: string;
  kind: string;
  last_received_at: Date | null;
  last_occurred_at: Date | null;
  /** Seconds since the last event arrived; null when none has. */
  freshness_seconds: number | null;
  events_last_hour: number;
  events_last_24h: number;
  quarantined: number;
  quarantined_last_24h: number;
  last_sync: { kind: string; status: string; finished_at: Date | null } | null;
  /** Failed outbound deliveries: null until deliveries exist. */
  failed_deliveries: number | null;
}

/**
 * Per configured source: when its last event arrived and how fresh that is, its event rate, its
 * quarantined lines and its last import or sync. `per_hour` counts the events received in each of
 * the last 24 hours (oldest first, every hour present) per source.
 */
export async function sourceHealth(db: Queryable) {
  const sources = await db.query<SourceHealth>(
    `SELECT s.id AS source, s.kind, e.last_received_at, e.last_occurred_at,
            round(extract(epoch FROM now() - e.last_received_at))::int AS freshness_seconds,
            (SELECT count(*)::int FROM leadhouse.events x
             WHERE x.source_id = s.id AND x.received_at >= now() - interval '1 hour') AS events_last_hour,
            (SELECT count(*)::int FROM leadhouse.events x
             WHERE x.source_id = s.id AND x.received_at >= now() - interval '24 hours') AS events_last_24h,
            (SELECT count(*)::int FROM leadhouse.quarantine q WHERE q.source_id = s.id) AS quarantined,
            (SELECT count(*)::int FROM leadhouse.quarantine q
             WHERE q.source_id = s.id AND q.received_at >= now() - interval '24 hours') AS quarantined_last_24h,
            (SELECT json_build_object('kind', l.kind, 'status', l.status, 'finished_at', l.finished_at)
             FROM leadhouse.sync_log l WHERE l.source_id = s.id ORDER BY l.started_at DESC LIMIT 1) AS last_sync,
            NULL::int AS failed_deliveries
     FROM leadhouse.sources s
     LEFT JOIN LATERAL (
       SELECT max(received_at) AS last_received_at, max(occurred_at) AS last_occurred_at
       FROM leadhouse.events x WHERE x.source_id = s.id) e ON true
     ORDER BY s.id`,
  );
  const perHour = await db.query<{ source: string; hour: Date; events: number }>(
    `SELECT s.id AS source, h.hour, count(x.id)::int AS events
     FROM leadhouse.sources s
     CROSS JOIN generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),
                                interval '1 hour') AS h(hour)
     LEFT JOIN leadhouse.events x
       ON x.source_id = s.id AND x.received_at >= h.hour AND x.received_at < h.hour + interval '1 hour'
     GROUP BY s.id, h.hour ORDER BY s.id, h.hour`,
  );
  return { sources: sources.rows, per_hour: perHour.rows };
}
