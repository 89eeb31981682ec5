import { startPetitsPas, StartupError } from './app';
import { loadConfig } from './config';
import { createLogger } from './observability/logger';

/** Process entry: refuse to start on invalid configuration or content, with one line per problem. */
async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`Petits pas cannot start: invalid configuration\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const logger = createLogger(result.config.logLevel);
  try {
    const app = await startPetitsPas(result.config, { logger });
    process.stderr.write(`Petits pas is listening on ${app.url} (POST /api/messages, GET /healthz)\n`);
    const shutdown = (signal: string) => {
      logger.info('stopping', { signal });
      void app.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`Petits pas cannot start:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    } else {
      process.stderr.write(`Petits pas cannot start: ${(error as Error).name}: ${(error as Error).message}\n`);
    }
    process.exit(1);
  }
}

void main();
