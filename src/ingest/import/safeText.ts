/**
 * PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses an unpaired surrogate.
 * `json` is the record as JSON: it escapes exactly those as `\u0000` / `\udXXX`, so a cheap
 * scan of it finds the candidates and a walk of the value confirms (a literal backslash-u in
 * the data also matches the scan).
 */
export function hasNulOrLoneSurrogate(
  json: string,
  keys: readonly string[],
  values: readonly unknown[],
): boolean {
  if (!/\\u(0000|d[89a-f])/i.test(json)) return false;
  return keys.some(bad) || values.some(walk);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const bad = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

function walk(v: unknown): boolean {
  if (typeof v === 'string') return bad(v);
  if (Array.isArray(v)) return v.some(walk);
  if (v !== null && typeof v === 'object') {
    for (const k in v as Record<string, unknown>)
      if (bad(k) || walk((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}
