// Makes sure node_modules/mediasoup has a worker binary that runs on this host, in this order:
// MEDIASOUP_WORKER_BIN (the operator's own), the cache, mediasoup's prebuilt download, an offline
// build from the package's sources (build.sh). The cache lives outside the repo, keyed by
// mediasoup version, OS release and architecture, so a fresh clone reuses it in seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEBIAN_BUILD_PACKAGES = [
  'build-essential',
  'pkg-config',
  'python3',
  'libuv1-dev',
  'libssl-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
  'ccache',
];

function osRelease() {
  try {
    const text = fs.readFileSync('/etc/os-release', 'utf8');
    const field = (k) => text.match(new RegExp(`^${k}="?([^"\\n]*)"?`, 'm'))?.[1] ?? 'unknown';
    return { id: field('ID'), versionId: field('VERSION_ID') };
  } catch {
    return { id: os.platform(), versionId: os.release() };
  }
}

/** A worker binary is usable when, run without MEDIASOUP_VERSION, it exits with 41 (main.cpp). */
function runsHere(bin) {
  if (!fs.existsSync(bin)) return false;
  const r = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return r.status === 41;
}

function log(msg) {
  console.log(`[worker] ${msg}`);
}

/** Built artefacts kept across clones: the worker, its ccache, the SQLite binding. */
export function cacheDir() {
  return (
    process.env.RELAY_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'relay-centre')
  );
}

/**
 * The worker's place inside a cache folder, keyed by mediasoup version, OS release and architecture
 * (the container test fills the image's build cache with the same layout).
 */
export function workerCacheEntry(version) {
  const { id, versionId } = osRelease();
  return path.join('mediasoup-worker', `${version}-${id}${versionId}-${os.arch()}`, 'mediasoup-worker');
}

async function tryPrebuilt(pkgDir, version, target) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const repo = String(pkg.repository?.url ?? '')
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  const kernel = os.platform() === 'linux' ? `-kernel${os.release().split('.')[0]}` : '';
  const name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}${kernel}.tgz`;
  const base = process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ?? `${repo}/releases/download`;
  const url = `${base}/${version}/${name}`;
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    log(`no prebuilt worker (${err.cause?.code ?? err.name}); building offline`);
    return false;
  }
  if (!res.ok) {
    log(`no prebuilt worker (HTTP ${res.status}); building offline`);
    return false;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ms-prebuilt-'));
  fs.writeFileSync(path.join(tmp, name), Buffer.from(await res.arrayBuffer()));
  execFileSync('tar', ['-xzf', name], { cwd: tmp });
  const bin = path.join(tmp, 'mediasoup-worker');
  if (!runsHere(bin)) {
    log('prebuilt worker does not run on this host; building offline');
    return false;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(bin, target);
  fs.chmodSync(target, 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
  return true;
}

function installBuildPackages() {
  const missing = DEBIAN_BUILD_PACKAGES.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes(
        'install ok installed',
      ) !== true,
  );
  const { versionId } = osRelease();
  // Debian 13 ships a new enough meson; Debian 12 gets meson and ninja from pip instead.
  if (Number(versionId) >= 13) {
    for (const p of ['meson', 'ninja-build', 'python3-invoke']) {
      if (
        spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes(
          'install ok installed',
        ) !== true
      )
        missing.push(p);
    }
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the worker build needs these Debian packages: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian build packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

export async function ensureWorker(projectDir) {
  const pkgDir = path.join(projectDir, 'node_modules', 'mediasoup');
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const target = path.join(pkgDir, 'worker', 'out', 'Release', 'mediasoup-worker');

  if (process.env.MEDIASOUP_WORKER_BIN) {
    if (!runsHere(process.env.MEDIASOUP_WORKER_BIN)) {
      throw new Error(
        `MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN} is not a runnable mediasoup worker`,
      );
    }
    log(`using MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN}`);
    return process.env.MEDIASOUP_WORKER_BIN;
  }

  const cached = path.join(cacheDir(), workerCacheEntry(version));

  if (runsHere(target)) {
    if (!fs.existsSync(cached)) {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      fs.copyFileSync(target, cached);
    }
    return target;
  }
  if (runsHere(cached)) {
    log(`using cached worker ${cached}`);
  } else {
    const started = Date.now();
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    if (!(await tryPrebuilt(pkgDir, version, cached))) {
      installBuildPackages();
      log(
        `building mediasoup-worker ${version} from source (several minutes the first time, seconds with ccache)`,
      );
      // Inside node_modules so that mediasoup's build script still resolves its own dependencies.
      const scratch = path.join(projectDir, 'node_modules', '.cache', 'mediasoup-worker-build');
      const env = { ...process.env, CCACHE_DIR: process.env.CCACHE_DIR ?? path.join(cacheDir(), 'ccache') };
      execFileSync('sh', [path.join(here, 'build.sh'), pkgDir, scratch, cached], { stdio: 'inherit', env });
    }
    if (!runsHere(cached)) throw new Error(`the mediasoup worker at ${cached} does not run on this host`);
    log(`worker ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(cached, target);
  fs.chmodSync(target, 0o755);
  return target;
}
