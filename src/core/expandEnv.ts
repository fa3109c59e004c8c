import { err, ok, type Result } from './result.js';

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands `${VAR}` and `${VAR:-default}` in every string of a parsed config tree.
 * Expansion happens on values after YAML parsing, so an environment value can never change the
 * document's structure. A `${VAR}` without default whose variable is unset is an error naming the key.
 */
export function expandEnv(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: string[] = [],
): Result<unknown, string> {
  if (typeof node === 'string') {
    let missing: string | undefined;
    const value = node.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      missing ??= name;
      return '';
    });
    if (missing) return err(`${path.join('.') || '(root)'}: environment variable ${missing} is not set`);
    return ok(value);
  }
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const [i, item] of node.entries()) {
      const r = expandEnv(item, env, [...path, String(i)]);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const r = expandEnv(v, env, [...path, k]);
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return ok(out);
  }
  return ok(node);
}
