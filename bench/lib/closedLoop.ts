import http from 'node:http';

export interface LoopRequest<T> {
  path: string;
  body: string;
  tag: T;
}

export interface LoopOptions<T> {
  origin: URL;
  connections: number;
  durationMs: number;
  timeoutMs: number;
  next: () => LoopRequest<T>;
  /** A complete response (body read); ms from the first byte written to the last byte read. */
  onAnswer: (tag: T, status: number, ms: number) => void;
  /** No response: connection error or timeout (code such as ECONNRESET or TIMEOUT). */
  onError: (tag: T, code: string) => void;
}

/**
 * Closed loop: `connections` workers, each sends one POST over a keep-alive connection, waits for
 * the whole answer, then sends the next, until `durationMs` has passed. Requests in flight at
 * the deadline are waited for (up to the timeout), so every request sent is either answered or
 * counted as an error. A server answering `Connection: close` gets a new connection per request,
 * as a real client would open. Resolves with the elapsed time from start to the last answer.
 */
export async function closedLoop<T>(opts: LoopOptions<T>): Promise<{ elapsedMs: number }> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: opts.connections,
    maxFreeSockets: opts.connections,
    scheduling: 'fifo',
  });
  const host = opts.origin.hostname;
  const port = Number(opts.origin.port || 80);
  const start = performance.now();
  const deadline = start + opts.durationMs;

  const worker = async () => {
    while (performance.now() < deadline) {
      const r = opts.next();
      const t0 = performance.now();
      try {
        const status = await post(agent, host, port, r.path, r.body, opts.timeoutMs);
        opts.onAnswer(r.tag, status, performance.now() - t0);
      } catch (e) {
        opts.onError(r.tag, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
        await new Promise((res) => setTimeout(res, 10)); // no hot loop against a refusing port
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { elapsedMs };
}

function post(
  agent: http.Agent,
  host: string,
  port: number,
  path: string,
  body: string,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host,
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => {
      const e = new Error('timeout') as NodeJS.ErrnoException;
      e.code = 'TIMEOUT';
      req.destroy(e);
    });
    req.on('error', reject);
    req.end(body);
  });
}
