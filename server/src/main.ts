import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { RedisUnreachableError } from './cluster/clusterNode';
import { DatabaseFileError, DatabaseUnreachableError } from './store';

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
  // An operator's POST /admin/drain (on METRICS_PORT) stops the node as SIGTERM does.
  let requestStop: (why: string) => void = () => {};
  const app = await createApp(config, { onDrainRequested: () => requestStop('POST /admin/drain') });
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
  // The first signal drains: no new calls, live ones may finish (up to DRAIN_TIMEOUT_MS) or are
  // ended with everyone told why. A second signal stops at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.warn(`${signal} again: stopping now`);
      process.exit(1);
    }
    stopping = true;
    console.warn(
      `${signal}: draining (up to ${config.drainTimeoutMs} ms for live calls), then shutting down`,
    );
    const drained = await app.drain(config.drainTimeoutMs);
    console.warn(
      drained.finished
        ? `every call finished in ${drained.waitedMs} ms; shutting down`
        : `${drained.ended} call(s) ended at the drain limit; shutting down`,
    );
    await app.close();
    process.exit(0);
  };
  // Asked again while stopping: already under way (unlike a second signal, it never cuts the drain).
  requestStop = (why) => {
    if (!stopping) void stop(why);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // An unreachable or unwritable database, or Redis, is an operator's problem, not a bug: one
  // clear line, no stack.
  const operational =
    err instanceof DatabaseUnreachableError ||
    err instanceof DatabaseFileError ||
    err instanceof RedisUnreachableError;
  console.error(operational ? `error: ${err.message}` : err);
  process.exit(1);
});
