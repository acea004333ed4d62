// A real TURN server for one test file: Debian's coturn (`turnserver`) on free loopback ports in a
// temporary directory, with the TURN REST API's shared secret and TLS on a self-signed
// certificate made here with openssl. It reads no file from /etc (an empty `-c` config of its
// own) and is stopped by its own PID, never by name and never as a system service.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { superviseServer } from './serverProcess';
import { freePort } from './waiting';

export interface TestCoturn {
  /** coturn's static-auth-secret: give it to the app as TURN_SECRET. */
  secret: string;
  /** TURN over UDP: turn:127.0.0.1:<port>?transport=udp */
  udpUrl: string;
  /** TURN over TLS (TCP): turns:127.0.0.1:<tlsPort>?transport=tcp */
  tlsUrl: string;
  port: number;
  tlsPort: number;
  /** The command line it was started with (the secret shown as <secret>). */
  commandLine: string;
  /** coturn's own log so far (for a failing test's message). */
  log(): Promise<string>;
  /** Stops the server (by its PID) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}

export async function startCoturn(): Promise<TestCoturn> {
  const dir = await mkdtemp(join(tmpdir(), 'relay-coturn-'));
  const [port, tlsPort, cliPort] = [await freePort(), await freePort(), await freePort()];
  const secret = randomBytes(24).toString('hex');
  const cert = join(dir, 'cert.pem');
  const pkey = join(dir, 'key.pem');
  const logFile = join(dir, 'turn.log');
  // A self-signed certificate for 127.0.0.1, as a deployment would have a real one for its name.
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', pkey, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ]); // prettier-ignore
  // An empty config file of our own, so /etc/turnserver.conf is never read.
  const config = join(dir, 'turnserver.conf');
  await writeFile(config, '# relay-centre test: every option is on the command line\n');
  const args = [
    '-c', config,
    '--listening-ip', '127.0.0.1',
    '--relay-ip', '127.0.0.1',
    '--listening-port', String(port),
    '--tls-listening-port', String(tlsPort),
    // No RFC 5780 alternate ports: only the two above are taken.
    '--no-rfc5780',
    '--cert', cert,
    '--pkey', pkey,
    '--no-dtls',
    '--use-auth-secret',
    '--static-auth-secret', secret,
    '--realm', 'relay-centre.test',
    '--fingerprint',
    // mediasoup listens on 127.0.0.1 in the tests; production denies loopback and private peers.
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-cli',
    '--cli-port', String(cliPort),
    '--userdb', join(dir, 'turndb'),
    '--pidfile', join(dir, 'turnserver.pid'),
    '--log-file', logFile,
    '--simple-log',
    '--no-stdout-log',
    '--verbose',
  ]; // prettier-ignore
  const child = spawn('turnserver', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = () => readFile(logFile, 'utf8').catch(() => '');
  const { stop } = await superviseServer(child, {
    name: 'turnserver',
    dir,
    missing: "the TURN tests need Debian's coturn: apt-get install -y coturn",
    ready: async () => (await Promise.all([accepts(port), accepts(tlsPort)])).every(Boolean),
    notReady: `did not listen on ${port} and ${tlsPort}`,
    detail: log,
  });
  return {
    secret,
    port,
    tlsPort,
    udpUrl: `turn:127.0.0.1:${port}?transport=udp`,
    tlsUrl: `turns:127.0.0.1:${tlsPort}?transport=tcp`,
    commandLine: ['turnserver', ...args].join(' ').replace(secret, '<secret>'),
    log,
    stop,
  };
}
