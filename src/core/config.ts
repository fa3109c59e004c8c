import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cron } from 'croner';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { expandEnv } from './expandEnv.js';
import { err, ok, type Result } from './result.js';

const SOURCE_ID = /^[a-z0-9_]+$/;

const timezone = z
  .string()
  .refine(isTimeZone, { message: 'not a known IANA time zone (e.g. Europe/Madrid)' });

/** `${VAR:-}` expands to '': an optional value left empty is simply not set. */
const emptyIsUnset = (v: unknown) => (v === '' ? undefined : v);

const nocrmSchema = z
  .object({
    kind: z.literal('nocrm'),
    apiKey: z.string().min(1, 'must not be empty'),
    webhookToken: z.preprocess(emptyIsUnset, z.string().min(8, 'must be at least 8 characters').optional()),
    subdomain: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be the account subdomain, e.g. acme for acme.nocrm.io')
      .optional(),
    timezone: timezone.optional(),
    /** API base URL; default https://{subdomain}.nocrm.io/api/v2 (tests and proxies override it). */
    apiBaseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    /** Requests per UTC day this source may make (shared by every process on the database). */
    dailyQuota: z.coerce.number().int().min(1).default(2000),
    /** When `leadhouse serve` syncs this source through the API (cron syntax, in UTC). */
    syncSchedule: z
      .string()
      .refine(isCron, { message: 'not a cron expression (e.g. "0 3 * * *")' })
      .default('0 3 * * *'),
    /** How far before the last watermark an incremental sync starts again, in minutes. */
    overlapMinutes: z.coerce.number().int().min(0).max(1440).default(10),
    /** When `leadhouse serve` compares lead id sets to find deleted leads (cron, UTC). */
    reconcileSchedule: z
      .string()
      .refine(isCron, { message: 'not a cron expression (e.g. "0 4 * * 0")' })
      .default('0 4 * * 0'),
    /** The funnel's stage order (step names, first to last); default: the synced /steps positions. */
    stages: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const sourceSchema = z.discriminatedUnion('kind', [nocrmSchema]);

const fileSchema = z
  .object({
    database: z.string().min(1).default('.leadhouse/data'),
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    host: z.string().min(1).default('0.0.0.0'),
    timezone: timezone.default('UTC'),
    apiToken: z.preprocess(emptyIsUnset, z.string().min(16, 'must be at least 16 characters').optional()),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    sources: z
      .record(z.string(), sourceSchema)
      .superRefine((sources, ctx) => {
        for (const id of Object.keys(sources))
          if (!SOURCE_ID.test(id))
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: 'source ids are lower-case letters, digits and _',
            });
      })
      .default({}),
  })
  .strict();

export type SourceConfig = z.infer<typeof sourceSchema>;
export type NocrmSourceConfig = z.infer<typeof nocrmSchema>;
export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

/** A noCRM source with every default filled in, from its required parts (demo, tests). */
export function nocrmSource(parts: Omit<z.input<typeof nocrmSchema>, 'kind'>): NocrmSourceConfig {
  return nocrmSchema.parse({ kind: 'nocrm', ...parts });
}

export interface Config {
  database: DatabaseConfig;
  port: number;
  host: string;
  timezone: string;
  apiToken: string | undefined;
  logLevel: z.infer<typeof fileSchema>['logLevel'];
  sources: Record<string, SourceConfig>;
  /** Demo mode: the API and dashboard are open on this machine and the simulator runs. */
  demo: boolean;
}

export interface LoadOptions {
  /** Path given by --config; otherwise LEADHOUSE_CONFIG, otherwise ./leadhouse.yaml when it exists. */
  path?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  /** Values that win over the file (CLI flags). */
  overrides?: Partial<Record<'database' | 'port' | 'host', string | number | undefined>>;
  demo?: boolean;
}

/** Reads, expands and validates the configuration once at boot. Errors name the key. */
export function loadConfig(opts: LoadOptions = {}): Result<Config, string> {
  const env = opts.env ?? process.env;
  const explicit = opts.path ?? env['LEADHOUSE_CONFIG'];
  const path = explicit ?? (existsSync('leadhouse.yaml') ? 'leadhouse.yaml' : undefined);
  let doc: unknown = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return err(`config ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      doc = parseYaml(text) ?? {};
    } catch (e) {
      return err(`config ${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const expanded = expandEnv(doc, env);
  if (!expanded.ok) return err(`config ${path ?? '(defaults)'}: ${expanded.error}`);
  const raw = { ...(expanded.value as Record<string, unknown>) };
  if (env['DATABASE_URL']) raw['database'] = env['DATABASE_URL'];
  if (env['PORT']) raw['port'] = env['PORT'];
  if (raw['apiToken'] === undefined && env['LEADHOUSE_API_TOKEN'])
    raw['apiToken'] = env['LEADHOUSE_API_TOKEN'];
  for (const [k, v] of Object.entries(opts.overrides ?? {})) if (v !== undefined) raw[k] = v;

  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return err(`config ${path ?? '(defaults)'}: ${lines.join('; ')}`);
  }
  const c = parsed.data;
  return ok({
    database: toDatabase(c.database),
    port: c.port,
    host: c.host,
    timezone: c.timezone,
    apiToken: c.apiToken,
    logLevel: c.logLevel,
    sources: c.sources,
    demo: opts.demo ?? false,
  });
}

function toDatabase(value: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  return { kind: 'pglite', dir: resolve(value) };
}

function isCron(expr: string): boolean {
  try {
    new Cron(expr, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
