// `npm run cluster`: a local demo of cluster mode on one machine. Starts its own Redis and
// PostgreSQL (temporary directories, free ports; PostgreSQL as an unprivileged user) and three nodes
// of the centre, prints each node's URL, and stops everything on Ctrl-C. Nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createDatabase, startPostgres } from '../test/helpers/postgres';
import { startRedis } from '../test/helpers/redis';

const NODES = Number(process.env['CLUSTER_NODES'] ?? 3);
const FIRST_PORT = Number(process.env['CLUSTER_FIRST_PORT'] ?? 3001);

async function main(): Promise<void> {
  const redis = await startRedis();
  const postgres = await startPostgres();
  const databaseUrl = await createDatabase(postgres.url);
  const nodes: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the nodes, Redis and PostgreSQL…');
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            if (n.exitCode !== null) return resolve();
            n.once('exit', () => resolve());
            n.kill('SIGTERM');
          }),
      ),
    );
    await redis.stop();
    await postgres.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  for (let i = 0; i < NODES; i++) {
    const port = FIRST_PORT + i;
    const env = {
      ...process.env,
      NODE_ID: `node-${i + 1}`,
      PORT: String(port),
      // Each node its own media ports: worker w of node i listens on 40000 + 100·i + w.
      RTC_PORT: String(40_000 + 100 * i),
      MEDIA_WORKERS: '1',
      REDIS_URL: redis.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    };
    const node = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env,
      stdio: 'inherit',
    });
    node.once('exit', (code) => {
      if (!stopping) {
        console.error(`node-${i + 1} exited (${code}); stopping the demo`);
        void stop(1);
      }
    });
    nodes.push(node);
  }
  console.log(
    [
      '',
      `  A centre of ${NODES} nodes on Redis ${redis.url} and PostgreSQL (a throwaway database):`,
      ...Array.from({ length: NODES }, (_, i) => `    node-${i + 1}: http://localhost:${FIRST_PORT + i}/`),
      '  Any node serves any page; staff accounts are shared:',
      `    DATABASE_URL='${databaseUrl}' npm run user -- add --role agent --username kim --name Kim --languages kvk,ko`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
