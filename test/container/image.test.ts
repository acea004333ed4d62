// The product's image, built with podman from the repository's Dockerfile on a base made here from
// Debian's archive, then used as a deployment would: configured by environment, an account made
// with the CLI inside it, a real two-way call from Debian Chromium, stopped with SIGTERM, started
// again on the same volume. Bad starts (invalid configuration, read-only volume) say why and exit.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCacheEntry } from '../../scripts/mediasoup-worker/ensure.mjs';
import { ConfigError, loadConfig } from '../../server/src/config';
import { openStore } from '../../server/src/store';
import {
  acceptAndTimeFirstFrame,
  callUntilOffered,
  expectMediaBothWays,
  launchChromium,
  newContext,
  signInAvailable,
} from '../e2e/browser';
import { dockerfileNodeMajor, ensureBaseImage } from '../helpers/baseImage';
import { podman, podmanRun, podmanUnavailable } from '../helpers/podman';
import { TEST_PASSWORD } from '../helpers/testApp';
import { freePort, until } from '../helpers/waiting';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'localhost/relay-centre:test';
const run = randomBytes(4).toString('hex');
const containers: string[] = [];
const volumes: string[] = [];
let browser: Browser | undefined;
const figures: string[] = [];
const say = (line: string) => {
  figures.push(line);
  console.log(`[container] ${line}`);
};

const unavailable = podmanUnavailable();
if (unavailable) console.log(`[container] skipped: ${unavailable}`);

/** The worker this machine's setup already made goes into the image's build cache (see its README). */
function stageWorker(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/mediasoup/package.json'), 'utf8')) as {
    version: string;
  };
  const built = path.join(ROOT, 'node_modules/mediasoup/worker/out/Release/mediasoup-worker');
  const staged = path.join(ROOT, 'scripts/container/cache', workerCacheEntry(pkg.version));
  if (fs.existsSync(staged) && fs.readFileSync(staged).equals(fs.readFileSync(built))) return;
  fs.mkdirSync(path.dirname(staged), { recursive: true });
  fs.copyFileSync(built, staged);
}

/** Builds the image; returns how long it took and how many of its steps came from the layer cache. */
async function build(base: string): Promise<{ ms: number; cached: number; steps: number }> {
  const started = Date.now();
  const args = ['build', '--format', 'docker', '--network', 'host', '-t', IMAGE];
  for (const [name, value] of [
    ['BASE_IMAGE', base],
    ['RUNTIME_BASE_IMAGE', base],
  ])
    args.push('--build-arg', `${name}=${value}`);
  // This machine reaches the npm registry through a proxy that re-signs TLS: the build's npm needs
  // its CA, as the Dockerfile's NODE_EXTRA_CA_CERTS explains.
  const ca = process.env['NODE_EXTRA_CA_CERTS'];
  if (ca && fs.existsSync(ca))
    args.push('-v', `${ca}:/run/host-ca.crt:ro`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/host-ca.crt');
  const out = await podman([...args, ROOT], { timeoutMs: 40 * 60_000 });
  return {
    ms: Date.now() - started,
    cached: out.split('\n').filter((l) => l.startsWith('--> Using cache')).length,
    steps: out.split('\n').filter((l) => /^\[\d\/\d\] STEP \d+/.test(l) || /^STEP \d+/.test(l)).length,
  };
}

interface Started {
  name: string;
  url: string;
}

/** Starts the image on the host's network, on free ports, with `/data` on `volume`. */
async function start(volume: string, env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const name = `relay-test-${run}-${containers.length}`;
  containers.push(name);
  const settings = {
    PORT: String(port),
    HOST: '127.0.0.1',
    RTC_LISTEN_IP: '127.0.0.1',
    ANNOUNCED_ADDRESS: '127.0.0.1',
    RTC_PORT: String(await freePort()),
    MEDIA_WORKERS: '1',
    LOG_LEVEL: 'warn',
    DRAIN_TIMEOUT_MS: '5000',
    ...env,
  };
  await podman([
    'run',
    '-d',
    '--name',
    name,
    '--network',
    'host',
    '-v',
    `${volume}:/data`,
    ...Object.entries(settings).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    IMAGE,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, 60_000).catch(
    async (err: unknown) => {
      const logs = await podmanRun(['logs', name]);
      throw new Error(`the container did not become ready:\n${logs.stdout}${logs.stderr}`, { cause: err });
    },
  );
  return { name, url };
}

/** Runs the image once in the foreground (it must exit): its code and what it printed. */
async function runOnce(args: string[], env: Record<string, string>) {
  const result = await podmanRun([
    'run',
    '--rm',
    '--network',
    'host',
    ...args,
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    IMAGE,
  ]);
  // podman's own complaints (no systemd to run the health check's timer) are not the product's.
  const stderr = result.stderr
    .split('\n')
    .filter((l) => l !== '' && !l.includes('level=error msg="unable to get systemd connection'))
    .join('\n');
  return { code: result.code, stdout: result.stdout, stderr };
}

function newVolume(): string {
  const name = `relay-test-${run}-data-${volumes.length}`;
  volumes.push(name);
  return name;
}

describe.skipIf(unavailable !== null)('the container image, built and called for real', () => {
  beforeAll(async () => {
    stageWorker();
    const base = await ensureBaseImage(dockerfileNodeMajor(path.join(ROOT, 'Dockerfile')));
    say(
      `base image ${base.tag}: ${base.madeInMs === null ? 'cached' : `made in ${(base.madeInMs / 1000).toFixed(1)} s`}`,
    );
    const first = await build(base.tag);
    say(
      `image build: ${(first.ms / 1000).toFixed(1)} s (${first.cached === 0 ? 'cold, no layer cached' : `${first.cached} of ${first.steps} steps from the layer cache`})`,
    );
    const again = await build(base.tag);
    say(`image build again, caches warm: ${(again.ms / 1000).toFixed(1)} s`);
    const size = Number((await podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE])).trim());
    say(`image size: ${(size / 1e6).toFixed(0)} MB`);
    browser = await launchChromium();
  }, 45 * 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const name of containers) await podmanRun(['rm', '-f', '-t', '0', name]);
    for (const name of volumes) await podmanRun(['volume', 'rm', '-f', name]);
    // Old build layers go after a day; today's stay as the next run's cache.
    await podmanRun(['image', 'prune', '-f', '--filter', 'until=24h']);
    if (figures.length > 0) console.log(`\n[container] summary\n${figures.map((f) => `  ${f}`).join('\n')}`);
  });

  it('runs as an unprivileged user, compiled JavaScript, production dependencies only', async () => {
    const probe = await podman([
      'run',
      '--rm',
      '--network',
      'host',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      [
        'id -u',
        'ls node_modules | grep -c -x -e tsx -e vite -e vitest -e typescript -e esbuild || true',
        'find /app -name "*.ts" -not -path "/app/node_modules/*" | wc -l',
        'ls dist/server',
      ].join('; '),
    ]);
    const [uid, devPackages, typescriptFiles, ...server] = probe.trim().split('\n');
    expect(uid).toBe('10001');
    expect(devPackages, 'development packages in the image').toBe('0');
    expect(typescriptFiles, 'TypeScript sources in the image').toBe('0');
    expect(server).toContain('main.js');
    const [image] = JSON.parse(await podman(['image', 'inspect', IMAGE])) as Array<{
      Config: { Cmd: string[]; User: string; Volumes?: Record<string, unknown> };
      Healthcheck?: { Test: string[] };
    }>;
    const config = image!.Config;
    expect(config.Cmd).toEqual(['node', '--enable-source-maps', 'dist/server/main.js']);
    expect(config.User).toBe('relay');
    expect(image!.Healthcheck?.Test.join(' ')).toContain('/healthz');
    expect(Object.keys(config.Volumes ?? {})).toEqual(['/data']);
  });

  it('an invalid configuration exits 2 with the message npm start gives', async () => {
    const env = { PORT: 'not-a-port', TURN_URLS: 'http://turn.example.org' };
    let expected = '';
    try {
      loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      expected = err.message;
    }
    expect(expected).not.toBe('');
    const result = await runOnce([], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(expected.trim());
  });

  it('a read-only volume is reported in one line, not crashed on', async () => {
    const volume = newVolume();
    await podman(['volume', 'create', volume]);
    const result = await runOnce(['-v', `${volume}:/data:ro`], {
      PORT: String(await freePort()),
      RTC_PORT: '0',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'error: cannot use the database file /data/relay.sqlite: /data is on a read-only file system (is its volume mounted read-only?)',
    );
  });

  it('a two-way call through the container, stopped cleanly, and its record kept in the volume across a restart', async () => {
    // A volume nobody created: podman makes it, from the image's /data (owned by its user).
    const volume = newVolume();
    const first = await start(volume);
    const added = await podmanRun(
      [
        'exec',
        '-i',
        first.name,
        'node',
        'dist/server/cli/user.js',
        'add',
        '--role',
        'agent',
        '--username',
        'signer',
        '--name',
        'Kim Signing',
        '--languages',
        'kvk,ko',
        '--password-stdin',
      ],
      { input: TEST_PASSWORD },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const health = await podmanRun(['healthcheck', 'run', first.name]);
    expect(health.code, `health check: ${health.stdout}${health.stderr}`).toBe(0);

    const contexts: BrowserContext[] = [];
    try {
      for (let i = 0; i < 2; i += 1) contexts.push(await newContext(browser!, first.url, 'en-US'));
      const [agent, caller] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
      await signInAvailable(agent, 'signer', TEST_PASSWORD);
      await callUntilOffered(caller, agent);
      const firstFrameMs = await acceptAndTimeFirstFrame({ agent, caller });
      say(`accept → first decoded remote frame on both pages, through the container: ${firstFrameMs} ms`);
      await expectMediaBothWays({ agent, caller });
      await caller.click('#hang-up');
      await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
      await agent.click('form#wrapup-form button[type=submit]');
      await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);
    } finally {
      for (const c of contexts) await c.close();
    }

    // SIGTERM drains and exits 0 (no call is left to wait for).
    await podman(['stop', '-t', '30', first.name]);
    expect((await podman(['inspect', '--format', '{{.State.ExitCode}}', first.name])).trim()).toBe('0');

    // A new container on the same volume: the account is still there (it signs in) ...
    const second = await start(volume);
    const signIn = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: second.url },
      body: JSON.stringify({ username: 'signer', password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    await podman(['stop', '-t', '30', second.name]);

    // ... and so is the call's record, read from the volume's file on the host.
    const mountpoint = (await podman(['volume', 'inspect', '--format', '{{.Mountpoint}}', volume])).trim();
    const store = await openStore({ path: path.join(mountpoint, 'relay.sqlite') });
    try {
      const records = await store.calls.list({});
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        callerLanguage: 'kvk',
        mode: 'video',
        outcome: 'completed',
        resolved: true,
      });
      expect(records[0]?.answeredAt).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});
