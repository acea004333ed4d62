import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.rtc).toMatchObject({ listenIp: '0.0.0.0', announcedAddress: '127.0.0.1', port: 40000 });
    expect(c.rtc.workers).toBeGreaterThan(0);
    expect(c.database).toEqual({ path: 'data/relay.sqlite' });
    expect(c.lobby).toEqual({
      offerTimeoutMs: 12_000,
      maxMissedOffers: 3,
      invitationTimeoutMs: 30_000,
      volunteerRingBatch: 3,
      fallbackAfterMs: 180_000,
      shifts: [
        { name: 'day', start: '09:00', end: '18:00' },
        { name: 'night', start: '18:00', end: '24:00' },
        { name: 'late-night', start: '00:00', end: '09:00' },
      ],
    });
  });

  it('reads the shift calendar from SHIFTS, weekly rosters included, and names what is wrong in it', () => {
    expect(
      loadConfig({ SHIFTS: 'early=06:00-14:00@mon-fri; late=14:00-22:00;weekend=22:00-06:00@fri-sun' }).lobby
        .shifts,
    ).toEqual([
      { name: 'early', start: '06:00', end: '14:00', days: [1, 2, 3, 4, 5] },
      { name: 'late', start: '14:00', end: '22:00' },
      { name: 'weekend', start: '22:00', end: '06:00', days: [0, 5, 6] },
    ]);
    const refused = (SHIFTS: string) => () => loadConfig({ SHIFTS });
    expect(refused('day=9:00-18:00')).toThrow(/SHIFTS: 'day=9:00-18:00' is not NAME=HH:MM-HH:MM\[@days\]/);
    expect(refused('Day=09:00-18:00')).toThrow(/SHIFTS: shift name 'Day' must be/);
    expect(refused('day=09:00-18:00;day=18:00-24:00')).toThrow(/SHIFTS: duplicate shift 'day'/);
    expect(refused('day=09:00-09:00')).toThrow(/SHIFTS: shift 'day' needs distinct/);
    expect(refused('day=09:00-25:00')).toThrow(/SHIFTS: shift 'day' needs distinct/);
    expect(refused('day=09:00-18:00@weekdays')).toThrow(/SHIFTS: shift 'day': days must be like mon-fri/);
    expect(refused(';;')).toThrow(/SHIFTS: at least one shift is needed; e\.g\. day=09:00-18:00;/);
  });

  it('reads the service-level thresholds from SL_THRESHOLDS (20,120 by default) and names what is wrong', () => {
    expect(loadConfig({}).serviceLevelThresholds).toEqual([20, 120]);
    expect(loadConfig({ SL_THRESHOLDS: '' }).serviceLevelThresholds).toEqual([20, 120]);
    expect(loadConfig({ SL_THRESHOLDS: '120,30,30' }).serviceLevelThresholds).toEqual([30, 120]);
    const refused = (SL_THRESHOLDS: string) => () => loadConfig({ SL_THRESHOLDS });
    expect(refused('0')).toThrow(/SL_THRESHOLDS: each must be 1 to 3600 seconds/);
    expect(refused('20,4000')).toThrow(/SL_THRESHOLDS: each must be 1 to 3600 seconds/);
    expect(refused('10,20,30,40,50')).toThrow(/SL_THRESHOLDS: must be 1 to 4 whole seconds/);
    expect(refused('20s')).toThrow(/SL_THRESHOLDS: must be 1 to 4 whole seconds/);
  });

  it('reads every setting', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      RTC_LISTEN_IP: '10.0.0.5',
      ANNOUNCED_ADDRESS: 'relay.example.org',
      RTC_PORT: '50000',
      MEDIA_WORKERS: '4',
      DATABASE_PATH: '/var/lib/relay/db.sqlite',
      LOG_LEVEL: 'debug',
      OFFER_TIMEOUT_MS: '15000',
      MAX_MISSED_OFFERS: '5',
      PUBLIC_URL: 'https://relay.example.org',
      TRUST_PROXY: 'true',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'https://relay.example.org',
      rtc: { listenIp: '10.0.0.5', announcedAddress: 'relay.example.org', port: 50000, workers: 4 },
      database: { path: '/var/lib/relay/db.sqlite' },
      logLevel: 'debug',
      lobby: { offerTimeoutMs: 15000, maxMissedOffers: 5 },
      trustProxy: true,
    });
  });

  it('stops with a message naming each bad setting', () => {
    const bad = () =>
      loadConfig({ PORT: 'eighty', RTC_LISTEN_IP: 'not-an-ip', LOG_LEVEL: 'loud', MEDIA_WORKERS: '0' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['PORT', 'RTC_LISTEN_IP', 'LOG_LEVEL', 'MEDIA_WORKERS'])
        expect(message).toContain(name);
    }
  });

  it('switches to PostgreSQL with DATABASE_URL, which wins over DATABASE_PATH', () => {
    for (const url of ['postgres://relay:secret@db.internal:5432/relay', 'postgresql://db.internal/relay']) {
      expect(loadConfig({ DATABASE_URL: url, DATABASE_PATH: '/var/lib/relay/db.sqlite' }).database).toEqual({
        url,
      });
    }
    // Blank is unset (an env file's `DATABASE_URL=`): the SQLite default stays.
    expect(loadConfig({ DATABASE_URL: '' }).database).toEqual({ path: 'data/relay.sqlite' });
  });

  it('keeps the call-record journal next to DATABASE_PATH unless RECORD_JOURNAL_DIR says where', () => {
    expect(loadConfig({}).recordJournal).toEqual({
      file: path.join('data', 'call-records.journal'),
      maxBytes: 64 * 1024 * 1024,
    });
    expect(loadConfig({ DATABASE_PATH: '/var/lib/relay/db.sqlite' }).recordJournal.file).toBe(
      '/var/lib/relay/call-records.journal',
    );
    expect(
      loadConfig({ RECORD_JOURNAL_DIR: '/var/spool/relay', RECORD_JOURNAL_MAX_BYTES: '1048576' })
        .recordJournal,
    ).toEqual({ file: '/var/spool/relay/call-records.journal', maxBytes: 1048576 });
    expect(loadConfig({ RECORD_JOURNAL_DIR: '' }).recordJournal.file).toBe(
      path.join('data', 'call-records.journal'),
    );
    expect(() => loadConfig({ RECORD_JOURNAL_MAX_BYTES: '100' })).toThrow('RECORD_JOURNAL_MAX_BYTES');
    // Nodes of a cluster started from one folder each keep a journal of their own.
    const pg = 'postgres://db.internal/relay';
    expect(
      loadConfig({ REDIS_URL: 'redis://r', DATABASE_URL: pg, NODE_ID: 'node-2' }).recordJournal.file,
    ).toBe(path.join('data', 'call-records.node-2.journal'));
  });

  it.each(['mysql://root:hunter2@db/relay', 'http://db.internal/relay', 'db.internal:5432', 'hunter2'])(
    'refuses DATABASE_URL %j with a clear message that does not repeat it',
    (url) => {
      const load = () => loadConfig({ DATABASE_URL: url });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(
        'DATABASE_URL: must be a postgres:// or postgresql:// URL, e.g. postgres://relay:secret@db.internal:5432/relay',
      );
      expect(load).not.toThrow(/hunter2/);
    },
  );

  it('is one process unless REDIS_URL makes it a cluster node, which needs PostgreSQL and names itself', () => {
    expect(loadConfig({}).cluster).toBeNull();
    const pg = 'postgres://relay@db.internal/relay';
    expect(
      loadConfig({ REDIS_URL: 'redis://redis.internal:6379', DATABASE_URL: pg, NODE_ID: 'node-a' }).cluster,
    ).toEqual({
      redisUrl: 'redis://redis.internal:6379',
      nodeId: 'node-a',
    });
    expect(
      loadConfig({ REDIS_URL: 'rediss://r:6380', DATABASE_URL: pg, PORT: '3001' }).cluster?.nodeId,
    ).toMatch(/-3001$/);
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379' })).toThrow(
      'DATABASE_URL: required with REDIS_URL',
    );
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379', DATABASE_URL: pg })).toThrow(
      'REDIS_URL: must be a redis:// or rediss:// URL',
    );
    expect(() => loadConfig({ REDIS_URL: 'redis://r', DATABASE_URL: pg, NODE_ID: 'a b' })).toThrow('NODE_ID');
  });
  it('hands out no TURN by default; reads TURN_URLS, TURN_SECRET, TURN_CREDENTIAL_TTL_S and ICE_TRANSPORT_POLICY', () => {
    expect(loadConfig({}).turn).toBeNull();
    const c = loadConfig({
      TURN_URLS:
        'turns:turn.example.org:443?transport=tcp, turn:203.0.113.7:3478?transport=udp,turn:[2001:db8::7]',
      TURN_SECRET: 'a-shared-secret-of-coturn',
      TURN_CREDENTIAL_TTL_S: '600',
      ICE_TRANSPORT_POLICY: 'relay',
    });
    expect(c.turn).toEqual({
      urls: [
        'turns:turn.example.org:443?transport=tcp',
        'turn:203.0.113.7:3478?transport=udp',
        'turn:[2001:db8::7]',
      ],
      secret: 'a-shared-secret-of-coturn',
      credentialTtlS: 600,
      iceTransportPolicy: 'relay',
    });
    expect(loadConfig({ TURN_URLS: 'turn:t.example.org', TURN_SECRET: 'x'.repeat(16) }).turn).toMatchObject({
      credentialTtlS: 3600,
      iceTransportPolicy: 'all',
    });
  });

  it('names each bad TURN setting, and never repeats the secret', () => {
    const secret = 'short-secret';
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(env)}`);
    };
    const bad = message({
      TURN_URLS:
        'stun:stun.example.org,turn:bad host,turn:t.example.org:70000,turns:t.example.org?transport=udp',
      TURN_SECRET: secret,
      TURN_CREDENTIAL_TTL_S: '5',
      ICE_TRANSPORT_POLICY: 'never',
    });
    for (const url of [
      'stun:stun.example.org',
      'turn:bad host',
      'turn:t.example.org:70000',
      'turns:t.example.org?transport=udp',
    ])
      expect(bad).toContain(`"${url}" is not a turn: or turns: URL`);
    for (const name of ['TURN_SECRET', 'TURN_CREDENTIAL_TTL_S', 'ICE_TRANSPORT_POLICY'])
      expect(bad).toContain(name);
    expect(bad).not.toContain(secret);
    expect(message({ TURN_URLS: 'turn:t.example.org' })).toContain('TURN_SECRET: required with TURN_URLS');
    const lone = message({ TURN_SECRET: 'a-shared-secret-of-coturn' });
    expect(lone).toContain('TURN_URLS: required with TURN_SECRET');
    expect(lone).not.toContain('a-shared-secret-of-coturn');
    expect(message({ ICE_TRANSPORT_POLICY: 'relay' })).toContain(
      'ICE_TRANSPORT_POLICY: relay needs TURN_URLS',
    );
  });
});

describe('metrics settings', () => {
  const TOKEN = 'b1946ac92492d2347c6235b4d2611184';

  it('leave /metrics off unless METRICS_TOKEN or METRICS_PORT is set', () => {
    expect(loadConfig({}).metrics).toBeNull();
    // Blank is unset, as in an env file.
    expect(loadConfig({ METRICS_TOKEN: '', METRICS_PORT: '' }).metrics).toBeNull();
  });

  it('read a token, a port of its own and its address (loopback by default)', () => {
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics).toEqual({
      token: TOKEN,
      port: null,
      host: '127.0.0.1',
    });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({
      token: null,
      port: 9464,
      host: '127.0.0.1',
    });
    expect(
      loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: TOKEN }).metrics,
    ).toEqual({
      token: TOKEN,
      port: 9464,
      host: '10.0.0.5',
    });
  });

  it.each(['short', 'has spaces in it but is long', 'x'.repeat(257), 'quote"quote"quote"quote'])(
    'refuse METRICS_TOKEN %j without repeating it',
    (token) => {
      const load = () => loadConfig({ METRICS_TOKEN: token });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/METRICS_TOKEN: 16 to 256 characters/);
      expect(load).not.toThrow(token);
    },
  );

  it('refuse a bad METRICS_PORT, or the same port as PORT', () => {
    for (const port of ['nine', '-1', '70000', '1.5'])
      expect(() => loadConfig({ METRICS_PORT: port }), port).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(
      'METRICS_PORT: must differ from PORT',
    );
    // Both picked freely (tests): two different free ports.
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).metrics?.port).toBe(0);
  });
});
