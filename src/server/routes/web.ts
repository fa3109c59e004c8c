import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Where the built dashboard is: `dist/web` beside the compiled server (`dist/server/routes`), or
 * the repository's `dist/web` when the server runs from source (tsx). Undefined when not built.
 */
export function defaultWebRoot(): string | undefined {
  return [resolve(here, '../../web'), resolve(here, '../../../dist/web')].find((d) =>
    existsSync(join(d, 'index.html')),
  );
}

/** Vite's content-hashed output: never changes under its name. */
const ASSET = /[/\\]assets[/\\][^/\\]+-[\w-]{8,}\.\w+(\.(gz|br))?$/;

/** Paths that are never the dashboard: an unknown one there is a JSON 404, not the app. */
const NOT_APP = /^\/(api|webhooks?|docs|metrics|healthz|readyz|assets)(\/|$)/;

/**
 * The dashboard (a Vite build) at `/`: hashed assets cached for a year, pre-compressed copies
 * (.br, .gz) sent when the browser takes them, and every other GET path answered with
 * `index.html` so a shared URL such as `/manager?source=office_a` opens its page.
 */
export async function webRoutes(app: FastifyInstance, deps: { root: string | undefined }): Promise<void> {
  const root = deps.root;
  if (!root) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build` (npm install does it).\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('cache-control', ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendApp = (req: FastifyRequest, reply: FastifyReply) => {
    if (NOT_APP.test(req.url)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  app.get('/', { schema: { hide: true } }, sendApp);
  app.get('/*', { schema: { hide: true } }, sendApp);
}
