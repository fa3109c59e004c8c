/**
 * Field-wise last-writer-wins for small dimension rows (owners, folders). Each field keeps the
 * version (`<event time ISO>|<external id>`) of the event it came from; a value replaces the
 * stored one only when its version is greater. Versions compare as "C"-collated text in SQL and
 * as plain strings here, so the outcome never depends on the order events arrive in.
 */
export function versionOf(occurredAt: Date, externalId: string): string {
  return `${occurredAt.toISOString()}|${externalId}`;
}

export interface Versioned<T> {
  value: T;
  v: string;
}

export function newer<T>(a: Versioned<T> | undefined, b: Versioned<T> | undefined): Versioned<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.v > a.v ? b : a;
}

export const minDate = (a: Date, b: Date): Date => (b < a ? b : a);
export const maxDate = (a: Date, b: Date): Date => (b > a ? b : a);

/** SQL: keep the stored value unless the incoming one is newer. */
export function lwwSet(table: string, col: string): string {
  return `${col} = CASE WHEN excluded.${col}_v IS NOT NULL AND (${table}.${col}_v IS NULL OR excluded.${col}_v COLLATE "C" > ${table}.${col}_v COLLATE "C") THEN excluded.${col} ELSE ${table}.${col} END,
  ${col}_v = CASE WHEN excluded.${col}_v IS NOT NULL AND (${table}.${col}_v IS NULL OR excluded.${col}_v COLLATE "C" > ${table}.${col}_v COLLATE "C") THEN excluded.${col}_v ELSE ${table}.${col}_v END`;
}
