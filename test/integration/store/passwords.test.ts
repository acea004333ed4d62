import { describe, expect, it } from 'vitest';
import {
  decoyVerify,
  hashPassword,
  SCRYPT_PARAMS,
  verifyPassword,
} from '../../../server/src/store/passwords';
import { GOOD_PASSWORD } from './helpers';

describe('password hashing', () => {
  it('encodes scrypt parameters, a 16-byte salt and a 64-byte key', async () => {
    const hash = await hashPassword(GOOD_PASSWORD);
    const parts = hash.split('$');
    expect(parts).toHaveLength(6);
    const [scheme, n, r, p, salt, key] = parts;
    expect(scheme).toBe('scrypt');
    expect([Number(n), Number(r), Number(p)]).toEqual([2 ** 15, 8, 1]);
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(64);
    expect(hash).not.toContain(GOOD_PASSWORD);
  });

  it('salts: two hashes of the same password differ, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword(GOOD_PASSWORD), hashPassword(GOOD_PASSWORD)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(GOOD_PASSWORD, a)).toBe(true);
    expect(await verifyPassword(GOOD_PASSWORD, b)).toBe(true);
  });

  it('rejects a wrong password', async () => {
    const hash = await hashPassword(GOOD_PASSWORD);
    expect(await verifyPassword(`${GOOD_PASSWORD}!`, hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('verifies hashes made with other parameters (they live in the hash)', async () => {
    // scrypt("password", "NaCl", N=1024, r=8, p=16, 64) from RFC 7914 §12.
    const rfcKey =
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
    const encoded = `scrypt$1024$8$16$${Buffer.from('NaCl').toString('base64')}$${Buffer.from(rfcKey, 'hex').toString('base64')}`;
    expect(await verifyPassword('password', encoded)).toBe(true);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const composed = '한국수어통역센터비밀번호'; // Hangul syllables (NFC)
    const hash = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), hash)).toBe(true);
  });

  it('refuses malformed or dangerous stored hashes instead of guessing', async () => {
    await expect(verifyPassword('x', 'plaintext')).rejects.toThrow(/format/);
    await expect(verifyPassword('x', 'scrypt$abc$8$1$AAAA$AAAA')).rejects.toThrow();
    await expect(
      verifyPassword('x', `scrypt$${2 ** 30}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$${'A'.repeat(88)}`),
    ).rejects.toThrow(/out-of-range/);
  });

  it('the decoy costs about as much as a real verification', async () => {
    const hash = await hashPassword(GOOD_PASSWORD);
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await fn();
      return performance.now() - start;
    };
    const real = await time(() => verifyPassword('wrong password!', hash));
    const decoy = await time(() => decoyVerify('wrong password!'));
    // Generous bounds: this guards against the decoy being skipped or using cheap parameters.
    expect(decoy).toBeGreaterThan(real * 0.5);
    expect(decoy).toBeLessThan(real * 2);
  });
});
