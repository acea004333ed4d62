import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { RedisUnreachableError } from './cluster/clusterNode';
import { DatabaseUnreachableError } from './store';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  console.warn(
    [
      '',
      '  Relay centre is up.',
      `  Caller:      ${app.url}/`,
      `  Agent:       ${app.url}/agent/`,
      `  Volunteer:   ${app.url}/volunteer/`,
      `  Supervisor:  ${app.url}/supervisor/`,
      '  (create staff accounts with: npm run user -- --help)',
      '',
    ].join('\n'),
  );
  const stop = async (signal: string) => {
    console.warn(`${signal}: shutting down`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // An unreachable database or Redis is an operator's problem, not a bug: one clear line, no stack.
  const operational = err instanceof DatabaseUnreachableError || err instanceof RedisUnreachableError;
  console.error(operational ? `error: ${err.message}` : err);
  process.exit(1);
});
