/** A value as an SQL literal (for view definitions, which cannot take parameters). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot inline ${v}`);
    return String(v);
  }
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(', ')}]`;
  throw new Error(`cannot inline a ${typeof v}`);
}

/**
 * Replaces $1…$n by literals: a metric query becomes a view body. Used only with values that come
 * from the validated configuration (timezone, stage names), never from a request.
 */
export function inlineParams(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)\b/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`no value for $${n}`);
    return literal(values[i]);
  });
}
