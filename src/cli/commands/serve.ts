import type { Command } from 'commander';
import { createLogger } from '../../core/logger.js';
import { startServer } from '../../server/start.js';
import { configFrom, fail, onShutdown } from '../context.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve webhooks, the API and the dashboard')
    .option('-p, --port <port>', 'port (default 3000, or $PORT)')
    .option('--host <host>', 'address to listen on (default 0.0.0.0)')
    .action(async (opts: { port?: string; host?: string }, cmd: Command) => {
      const config = configFrom(cmd, { overrides: { port: opts.port, host: opts.host } });
      const log = createLogger(config.logLevel);
      if (!config.apiToken)
        log.warn(
          'apiToken is not set (config apiToken or LEADHOUSE_API_TOKEN): the API refuses every request',
        );
      if (Object.keys(config.sources).length === 0)
        log.warn('no sources are configured: every webhook gets 404');
      const server = await startServer(config, log);
      if (!server.ok) fail(server.error);
      log.info(
        { url: server.value.url, database: server.value.db.driver, sources: Object.keys(config.sources) },
        'leadhouse is serving',
      );
      onShutdown(log, () => server.value.close());
    });
}
