import { err, ok, type Result } from '../../core/result.js';

/** A canonical field and the header names that mean it, most specific first. */
export interface FieldSpec<F extends string> {
  field: F;
  aliases: readonly string[];
}

/** Header names compare case-, space-, underscore-, dash- and dot-insensitively. */
export const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_.-]+/g, '');

export type ColumnMap<F extends string> = Partial<Record<F, string>>;

/** Parses `--map field=Header,field2=Other Header`: every field must be a canonical one. */
export function parseColumnMap<F extends string>(
  spec: string | undefined,
  fields: readonly F[],
): Result<ColumnMap<F>, string> {
  const out: ColumnMap<F> = {};
  if (spec === undefined || spec.trim() === '') return ok(out);
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    const field = (eq === -1 ? pair : pair.slice(0, eq)).trim() as F;
    const header = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (!fields.includes(field))
      return err(`--map: unknown field ${JSON.stringify(field)} (fields: ${fields.join(', ')})`);
    if (header === '') return err(`--map: ${field}= needs a column name, e.g. ${field}=Some Header`);
    out[field] = header;
  }
  return ok(out);
}

/**
 * Which key of a record each field reads: the `--map` choice (exact name, else the same name
 * compared loosely), else the first alias present. A field with no column is left out.
 */
export function resolveColumns<F extends string>(
  keys: readonly string[],
  specs: readonly FieldSpec<F>[],
  map: ColumnMap<F>,
): ColumnMap<F> {
  const byLooseName = new Map<string, string>();
  for (const k of keys) if (!byLooseName.has(headerKey(k))) byLooseName.set(headerKey(k), k);
  const out: ColumnMap<F> = {};
  for (const { field, aliases } of specs) {
    const wanted = map[field];
    const key =
      wanted !== undefined
        ? keys.includes(wanted)
          ? wanted
          : byLooseName.get(headerKey(wanted))
        : aliases.map((a) => byLooseName.get(headerKey(a))).find((k) => k !== undefined);
    if (key !== undefined) out[field] = key;
  }
  return out;
}

/** resolveColumns, remembered for the last key set seen (every CSV row, most JSONL rows). */
export function columnResolver<F extends string>(
  specs: readonly FieldSpec<F>[],
  map: ColumnMap<F>,
): (record: Record<string, unknown>) => ColumnMap<F> {
  let keys: string[] = [];
  let columns: ColumnMap<F> = resolveColumns(keys, specs, map);
  return (record) => {
    if (!sameKeys(record, keys)) {
      keys = Object.keys(record);
      columns = resolveColumns(keys, specs, map);
    }
    return columns;
  };
}

function sameKeys(record: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in record) {
    if (keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}
