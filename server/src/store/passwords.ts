/**
 * Password hashing with scrypt (memory-hard, in node:crypto, no native add-on). The parameters are
 * stored in each hash, `scrypt$N$r$p$saltB64$hashB64`, so they can be raised later without breaking
 * existing accounts.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 64;

// Bounds for parameters read back from the database, so a corrupt row can't make us allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, SCRYPT_PARAMS);
  return encode({ params: SCRYPT_PARAMS, salt, key });
}

/** Constant-time check of `password` against a stored hash. Throws if the stored hash is malformed. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = decode(encoded);
  const candidate = await deriveKey(password, stored.salt, stored.key.length, stored.params);
  return timingSafeEqual(candidate, stored.key);
}

// A throwaway hash with the current parameters; its salt and key are never expected to match.
const DECOY_HASH = encode({
  params: SCRYPT_PARAMS,
  salt: Buffer.alloc(SALT_BYTES),
  key: Buffer.alloc(KEY_BYTES),
});

/**
 * Spends the same time as `verifyPassword` with the current parameters. Call it when there is no
 * account to check against, so response time does not reveal which usernames exist.
 */
export async function decoyVerify(password: string): Promise<void> {
  await verifyPassword(password, DECOY_HASH);
}

function deriveKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  { N, r, p }: ScryptParams,
): Promise<Buffer> {
  // scrypt needs about 128·N·r bytes (plus 128·r·p); Node's default 32 MiB cap is just too small for N=2^15.
  const maxmem = 128 * r * (N + p) * 2;
  // NFC so the same password typed on different keyboards/IMEs (e.g. composed vs decomposed Hangul) matches.
  const input = password.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(input, salt, keyLength, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function encode({ params, salt, key }: ParsedHash): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function decode(encoded: string): ParsedHash {
  const parts = encoded.split('$');
  const [scheme, n, r, p, salt, key] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || !n || !r || !p || !salt || !key) {
    throw new Error('unrecognised password hash format');
  }
  const params = { N: toInt(n), r: toInt(r), p: toInt(p) };
  const isPowerOfTwo = params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (
    !isPowerOfTwo ||
    params.N > MAX_N ||
    params.r < 1 ||
    params.r > MAX_R ||
    params.p < 1 ||
    params.p > MAX_P
  ) {
    throw new Error('password hash has out-of-range scrypt parameters');
  }
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length === 0 || keyBytes.length < 16)
    throw new Error('password hash has a missing salt or truncated key');
  return { params, salt: saltBytes, key: keyBytes };
}

function toInt(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new Error('password hash has a non-numeric scrypt parameter');
  return Number(text);
}
