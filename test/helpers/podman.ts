// podman as the container test runs it: as root, with runc and cgroupfs (this sandbox has no systemd
// and podman's default runtime needs what it lacks) and a containers.conf with no default ulimits.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CONTAINERS_CONF = fileURLToPath(new URL('../container/containers.conf', import.meta.url));
const GLOBAL_FLAGS = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];
const ENV = { ...process.env, CONTAINERS_CONF };

export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs podman and returns what it said, whatever its exit code; `input` goes to its stdin. */
export function podmanRun(args: string[], options: { input?: string; timeoutMs?: number } = {}) {
  return new Promise<PodmanResult>((resolve, reject) => {
    const child = execFile(
      'podman',
      [...GLOBAL_FLAGS, ...args],
      { env: ENV, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 20 * 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs podman and returns its stdout; a non-zero exit is an error carrying what it said. */
export async function podman(args: string[], options: { input?: string; timeoutMs?: number } = {}) {
  const result = await podmanRun(args, options);
  if (result.code !== 0) {
    throw new Error(`podman ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
  }
  return result.stdout;
}

/** Why podman cannot run containers here, or null when it can (it ran one). */
export function podmanUnavailable(): string | null {
  const version = spawnSync('podman', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'podman is not installed (apt-get install podman runc)';
  if (process.getuid?.() !== 0) return 'the container test runs podman as root, and this is not root';
  const info = spawnSync('podman', [...GLOBAL_FLAGS, 'info', '--format', '{{.Host.OCIRuntime.Name}}'], {
    encoding: 'utf8',
    env: ENV,
  });
  if (info.status !== 0) return `podman cannot start here: ${info.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}
