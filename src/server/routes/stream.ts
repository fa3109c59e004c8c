import type { FastifyInstance } from 'fastify';
import type { ChangeNotice } from '../../ingest/notifyChanges.js';
import type { Db } from '../../store/db.js';
import { ChangeFeed } from '../changeFeed.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /stream — server-sent events: `event: change` with `{sources, types}` each time writes are
 * committed (coalesced), a comment every 15 s so proxies keep the connection open. A browser's
 * EventSource cannot send headers, so this route alone also takes the token as `?token=`.
 */
export async function streamRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  const feed = new ChangeFeed(deps.db);
  const open = new Set<() => void>();
  // Streams never go idle: end them first, or closing the server would wait for them.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
    await feed.close();
  });

  app.get(
    '/stream',
    {
      config: { queryToken: true },
      schema: {
        tags: ['metrics'],
        summary:
          'Server-sent events announcing committed changes ({sources, types}); the token may also be passed as ?token= (EventSource cannot set headers)',
      },
    },
    async (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (notice: ChangeNotice) => res.write(`event: change\ndata: ${JSON.stringify(notice)}\n\n`);
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      res.on('close', end); // the client went away (the request's own 'close' fires once it is read)
      try {
        unsubscribe = await feed.subscribe(send);
      } catch (e) {
        req.log.error({ err: e }, 'change stream: cannot listen to the database');
        res.write(`event: error\ndata: ${JSON.stringify({ code: 'database_unavailable' })}\n\n`);
        end();
        return;
      }
      if (res.writableEnded) unsubscribe();
      else res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    },
  );
}
