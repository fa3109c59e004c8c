export interface LatencySummary {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Exact nearest-rank percentiles (ms, two decimals) over every sample; sorts `ms` in place. */
export function summarizeLatencies(ms: number[]): LatencySummary {
  if (ms.length === 0) return { p50: null, p90: null, p99: null, max: null, mean: null };
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.max(0, Math.ceil((p / 100) * ms.length) - 1))]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    p50: r2(at(50)),
    p90: r2(at(90)),
    p99: r2(at(99)),
    max: r2(ms[ms.length - 1]!),
    mean: r2(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}
