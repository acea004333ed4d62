// Sets up whatever a fresh clone is missing, then returns: dependencies, the native SQLite
// binding, the mediasoup worker and (for tests) Debian's Chromium. Uses Node built-ins only,
// since it runs before node_modules exists. Safe to run again: each step checks first.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const log = (msg) => console.log(`[setup] ${msg}`);
const run = (cmd, cmdArgs, extra = {}) =>
  execFileSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...extra });

function dependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)');
  // .npmrc turns dependencies' install scripts off, so mediasoup's GitHub download cannot fail this.
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function sqliteBinding() {
  const probe = spawnSync(process.execPath, ['-e', "require('better-sqlite3')(':memory:').close()"], {
    cwd: root,
  });
  if (probe.status === 0) return;
  log('building the better-sqlite3 native binding');
  run('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false']);
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
  const { ensureWorker } = await import('./mediasoup-worker/ensure.mjs');
  await ensureWorker(root);
  if (args.has('--for-tests')) chromium();
} catch (err) {
  console.error(`[setup] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
