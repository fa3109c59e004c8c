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

/** Where each field is in a record: the index of its column. A field with no column is absent. */
export type ColumnIndex<F extends string> = Partial<Record<F, number>>;

/**
 * Which column each field reads: the `--map` choice (exact name, else the same name compared
 * loosely), else the first alias present.
 */
export function resolveColumns<F extends string>(
  keys: readonly string[],
  specs: readonly FieldSpec<F>[],
  map: ColumnMap<F>,
): ColumnIndex<F> {
  const byLooseName = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!byLooseName.has(headerKey(k))) byLooseName.set(headerKey(k), i);
  });
  const out: ColumnIndex<F> = {};
  for (const { field, aliases } of specs) {
    const wanted = map[field];
    const exact = wanted === undefined ? -1 : keys.indexOf(wanted);
    const index =
      wanted !== undefined
        ? exact !== -1
          ? exact
          : byLooseName.get(headerKey(wanted))
        : aliases.map((a) => byLooseName.get(headerKey(a))).find((i) => i !== undefined);
    if (index !== undefined) out[field] = index;
  }
  return out;
}

/** resolveColumns, remembered for the last key set seen (every CSV row, most JSONL rows). */
export function columnResolver<F extends string>(
  specs: readonly FieldSpec<F>[],
  map: ColumnMap<F>,
): (keys: readonly string[]) => ColumnIndex<F> {
  let last: readonly string[] = [];
  let columns: ColumnIndex<F> = resolveColumns(last, specs, map);
  return (keys) => {
    if (keys !== last && !sameKeys(keys, last)) columns = resolveColumns(keys, specs, map);
    last = keys;
    return columns;
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
