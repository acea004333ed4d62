// The product as `createApp` starts it (real worker pool, SQLite file, signalling), in a process of
// its own so its CPU is not mixed with the load client's. The bench asks it over IPC for staff
// accounts with sign-in cookies, which the test helpers make without a password hash per sign-in.
import { startTestApp } from '../../test/helpers/testApp';

type Request = { type: 'staff'; id: number; prefix: string; count: number };

async function main(): Promise<void> {
  const app = await startTestApp({
    MEDIA_WORKERS: process.env['MEDIA_WORKERS'] ?? '2',
    // Every load client comes from 127.0.0.1: the per-address socket cap would stop it at 50.
    MAX_SOCKETS_PER_ADDRESS: '100000',
    // A load client busy with the media of many calls may answer slowly: no offer or invitation
    // should time out because of it (the timeouts are the lobby's business, not this bench's).
    OFFER_TIMEOUT_MS: '120000',
    INVITATION_TIMEOUT_MS: '120000',
    // To see a flood without the policer: MEDIA_MAX_INCOMING_KBPS=100000 npm run bench:media …
    ...(process.env['MEDIA_MAX_INCOMING_KBPS'] && {
      MEDIA_MAX_INCOMING_KBPS: process.env['MEDIA_MAX_INCOMING_KBPS'],
    }),
  });
  process.on('message', (m: Request) => {
    if (m.type !== 'staff') return;
    void (async () => {
      const staff = [];
      for (let i = 0; i < m.count; i++) {
        const agentId = await app.createStaff('agent', `${m.prefix}-a${i}`, ['ko']);
        const volunteerId = await app.createStaff('volunteer', `${m.prefix}-v${i}`, ['vi', 'ko']);
        staff.push({
          agent: await app.cookieFor(agentId, 'agent'),
          volunteer: await app.cookieFor(volunteerId, 'volunteer'),
        });
      }
      process.send!({ type: 'staff', id: m.id, staff });
    })();
  });
  process.send!({ type: 'ready', url: app.url, pid: process.pid });
  process.on('disconnect', () => {
    void app.stop().finally(() => process.exit(0));
  });
}

void main();
