import type { IncomingMessage } from 'node:http';

/**
 * The client's address, derived as Express derives `req.ip` with `trust proxy` set to one hop:
 * the peer itself, or behind one reverse proxy (TRUST_PROXY) the last address that proxy appended
 * to `X-Forwarded-For`. Earlier entries are the client's own say-so and never believed. For what
 * Express does not see: socket.io handshakes.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  const last = forwarded[forwarded.length - 1]?.trim();
  return last ? last : peer;
}
