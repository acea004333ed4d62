import { randomBytes } from 'node:crypto';

/** Unguessable bearer secrets: 192 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function newId(): string {
  return randomBytes(9).toString('base64url');
}
