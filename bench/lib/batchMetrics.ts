/** Totals of Leadhouse's ingest batch histograms, read from its Prometheus `/metrics`. */
export interface BatchTotals {
  batches: number;
  events: number;
  seconds: number;
}

const SERIES: Record<string, keyof BatchTotals> = {
  leadhouse_ingest_batch_events_count: 'batches',
  leadhouse_ingest_batch_events_sum: 'events',
  leadhouse_ingest_batch_seconds_sum: 'seconds',
};

/** null when the URL does not answer or has no such series (e.g. the reference app). */
export async function readBatchTotals(url: string): Promise<BatchTotals | null> {
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    text = await res.text();
  } catch {
    return null;
  }
  const t: BatchTotals = { batches: 0, events: 0, seconds: 0 };
  let found = false;
  for (const line of text.split('\n')) {
    const [name, value] = line.split(' ');
    const key = name ? SERIES[name] : undefined;
    if (key && value !== undefined) {
      t[key] = Number(value);
      found = true;
    }
  }
  return found ? t : null;
}

/** Batches committed between two readings: count, mean events per batch, mean ms per batch. */
export function batchDelta(a: BatchTotals | null, b: BatchTotals | null) {
  if (!a || !b) return null;
  const batches = b.batches - a.batches;
  const events = b.events - a.events;
  return {
    batches,
    events,
    mean_events_per_batch: batches > 0 ? Math.round((events / batches) * 100) / 100 : null,
    mean_batch_ms: batches > 0 ? Math.round(((b.seconds - a.seconds) / batches) * 100000) / 100 : null,
  };
}
