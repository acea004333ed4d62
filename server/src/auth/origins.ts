import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request may act from where it comes from, judged by the headers every browser sends:
 * `Origin` on a socket.io handshake, on any cross-origin request and on every fetch POST, and
 * `Sec-Fetch-Site` on every request. `allowed` lists the origins of our own pages (PUBLIC_URL's and
 * ALLOWED_ORIGINS); when it is empty (the local default) our pages are those of the request's own
 * `Host`, whatever name or address it was reached by.
 *
 * A request without `Origin` comes from no browser page (the CLI, curl, a health check, Node's own
 * fetch): it is let through, since it carries no browser's cookies unasked, unless it says it was
 * sent from another site (`Sec-Fetch-Site: cross-site`), which only browsers say.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, allowed: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] !== 'cross-site';
  // Sandboxed frames and some redirects send the literal "null": never one of our pages.
  const parsed = parseOrigin(origin);
  if (parsed === null) return false;
  if (allowed.length > 0) return allowed.includes(parsed.origin);
  return headers.host !== undefined && parsed.host === headers.host.toLowerCase();
}

function parseOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Methods that change something: the ones a foreign page must not send with our cookies. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
