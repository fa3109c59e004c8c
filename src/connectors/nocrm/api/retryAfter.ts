/**
 * When noCRM says we may call again, from `API-RETRY-AFTER` / `API-LIMIT-RESET`. Their units are
 * not documented: accept seconds (a small number), an epoch (seconds or milliseconds) or an
 * HTTP/ISO date. Takes the latest of the two; undefined when neither can be read.
 */
export function resumeTime(headers: Headers, now: Date): Date | undefined {
  const times = ['api-retry-after', 'api-limit-reset', 'retry-after']
    .map((h) => headers.get(h))
    .filter((v): v is string => v !== null && v.trim() !== '')
    .map((v) => parseWhen(v.trim(), now))
    .filter((d): d is Date => d !== undefined);
  if (times.length === 0) return undefined;
  return new Date(Math.max(...times.map((d) => d.getTime())));
}

export function parseWhen(value: string, now: Date): Date | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (n < 1e9) return new Date(now.getTime() + n * 1000); // seconds from now
    if (n < 1e12) return new Date(n * 1000); // epoch seconds
    return new Date(n); // epoch milliseconds
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}
