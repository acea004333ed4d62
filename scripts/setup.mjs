// Sets up whatever a fresh clone is missing, then returns: dependencies, the native SQLite
// binding, the mediasoup worker and (for tests) Debian's Chromium. Uses Node built-ins only,
// since it runs before node_modules exists. Safe to run again: each step checks first.
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

function chromium() {
  if (process.env.CHROMIUM_PATH || fs.existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'browser tests need Debian Chromium: sudo apt-get install -y chromium (or set CHROMIUM_PATH)',
    );
  }
  log("installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
}

try {
  dependencies();
  if (!args.has('--worker-only')) sqliteBinding();
  await ensureWorker(root);
  if (args.has('--for-tests')) chromium();
} catch (err) {
  console.error(`[setup] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
