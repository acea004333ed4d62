// Sets up whatever a fresh clone is missing, then returns: dependencies, the native SQLite
// binding, the mediasoup worker and (for tests) Debian's Chromium, PostgreSQL, Redis and coturn. Uses
// Node built-ins only, since it runs before node_modules exists. Safe to run again: each step checks first.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, ensureWorker } from './mediasoup-worker/ensure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const log = (msg) => console.log(`[setup] ${msg}`);
const run = (cmd, cmdArgs, extra = {}) =>
  execFileSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...extra });

/** npm ci when node_modules was not installed from this exact lock file (by content, not by date). */
function dependencies() {
  const hash = createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
  const marker = path.join(root, 'node_modules', '.relay-lock-hash');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) return;
  log('installing npm dependencies (npm ci)');
  // .npmrc turns dependencies' install scripts off, so mediasoup's GitHub download cannot fail this.
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(marker, hash);
}

/** better-sqlite3's native binding: from the cache (keyed by its version and Node's ABI), else built. */
function sqliteBinding() {
  const works = () =>
    spawnSync(process.execPath, ['-e', "require('better-sqlite3')(':memory:').close()"], { cwd: root })
      .status === 0;
  if (works()) return;
  const pkg = path.join(root, 'node_modules', 'better-sqlite3');
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  const key = `${version}-node${process.versions.modules}-${process.platform}-${process.arch}`;
  const cached = path.join(cacheDir(), 'better-sqlite3', key, 'better_sqlite3.node');
  const target = path.join(pkg, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(cached)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(cached, target);
    if (works()) return;
  }
  log('building the better-sqlite3 native binding');
  run('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false']);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.copyFileSync(target, cached);
}

const PG_ROOT = '/usr/lib/postgresql';
const hasPostgres = () =>
  fs.existsSync(PG_ROOT) &&
  fs.readdirSync(PG_ROOT).some((version) => fs.existsSync(path.join(PG_ROOT, version, 'bin', 'initdb')));
const onPath = (name) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/**
 * Debian packages the tests need, each checked by the binary it provides (not dpkg, so a server
 * installed some other way counts): Chromium for the browser tests, PostgreSQL, Redis and coturn's
 * turnserver, which the tests start themselves on free ports in temp dirs, and ffmpeg.
 */
const TEST_PACKAGES = [
  {
    name: 'chromium',
    present: () => Boolean(process.env.CHROMIUM_PATH) || fs.existsSync('/usr/bin/chromium'),
  },
  { name: 'postgresql', present: hasPostgres },
  { name: 'redis-server', present: () => onPath('redis-server') },
  // The TURN e2e test relays calls through a real coturn.
  { name: 'coturn', present: () => onPath('turnserver') },
  // The media bench's load client replays a clip ffmpeg encodes once (bench/load/clip.ts).
  { name: 'ffmpeg', present: () => onPath('ffmpeg') },
  // The container test builds the image with podman (runc as its runtime) on a base debootstrap makes.
  { name: 'podman', present: () => onPath('podman') },
  { name: 'runc', present: () => onPath('runc') },
  { name: 'debootstrap', present: () => onPath('debootstrap') },
];

function testPackages() {
  const missing = TEST_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    const hint = missing.includes('chromium') ? ' (or set CHROMIUM_PATH for chromium)' : '';
    throw new Error(`the tests need Debian packages: sudo apt-get install -y ${missing.join(' ')}${hint}`);
  }
  log(`installing Debian's ${missing.join(', ')} for the tests`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  withoutServiceStarts(() => {
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  });
}

/**
 * The postgresql, redis-server and coturn packages start their system service on install; the tests
 * never use it. A policy-rc.d that answers 101 ("action forbidden") makes invoke-rc.d skip every start.
 * An existing policy is left as it is.
 */
function withoutServiceStarts(install) {
  const policy = '/usr/sbin/policy-rc.d';
  const ours = !fs.existsSync(policy);
  if (ours)
    fs.writeFileSync(
      policy,
      '#!/bin/sh\n# Written by relay-centre scripts/setup.mjs during apt-get install.\nexit 101\n',
      { mode: 0o755 },
    );
  try {
    install();
  } finally {
    if (ours) fs.rmSync(policy, { force: true });
  }
}

try {
  dependencies();
  if (!args.has('--worker-only')) sqliteBinding();
  await ensureWorker(root);
  if (args.has('--for-tests')) testPackages();
} catch (err) {
  console.error(`[setup] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
