import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config';

describe('ALLOWED_ORIGINS and MAX_SOCKETS_PER_ADDRESS', () => {
  it('default to no listed origin (same Host) and 50 sockets per address', () => {
    expect(loadConfig({})).toMatchObject({ allowedOrigins: [], maxSocketsPerAddress: 50 });
  });

  it("list PUBLIC_URL's origin first, then ALLOWED_ORIGINS, normalised as browsers send them", () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://relay.example.org/app/',
      ALLOWED_ORIGINS: ' https://Relay.example.org , https://backup.example.org:8443,,',
      MAX_SOCKETS_PER_ADDRESS: '200',
    });
    expect(c.allowedOrigins).toEqual(['https://relay.example.org', 'https://backup.example.org:8443']);
    expect(c.maxSocketsPerAddress).toBe(200);
  });

  it.each([
    ['https://relay.example.org/path', 'ALLOWED_ORIGINS'],
    ['relay.example.org', 'ALLOWED_ORIGINS'],
    ['ftp://relay.example.org', 'ALLOWED_ORIGINS'],
    ['*', 'ALLOWED_ORIGINS'],
  ])('refuses ALLOWED_ORIGINS=%s, naming it', (value, name) => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_ORIGINS: value })).toThrow(new RegExp(`${name}.*must be an origin`));
  });

  it('refuses a cap that is not a positive whole number', () => {
    for (const value of ['0', '-1', '2.5', 'many']) {
      expect(() => loadConfig({ MAX_SOCKETS_PER_ADDRESS: value })).toThrow(/MAX_SOCKETS_PER_ADDRESS/);
    }
  });
});
