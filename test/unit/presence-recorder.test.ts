import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger';
import { PresenceRecorder, type PresenceEvents } from '../../server/src/presence/PresenceRecorder';
import type { PresenceChange } from '../../server/src/store';
import { TypedEmitter } from '../../server/src/util/TypedEmitter';
import type { CallCenterEvents } from '../../server/src/sessions/ports';

/** The call centre's two presence events, emitted by hand. */
class Events extends TypedEmitter<Pick<CallCenterEvents, 'agent-presence' | 'volunteer-presence'>> {
  emit<K extends 'agent-presence' | 'volunteer-presence'>(event: K, ...args: CallCenterEvents[K]): void {
    this.safeEmit(event, ...args);
  }
}

function recorder() {
  const written: Array<[PresenceChange, number]> = [];
  let now = 1000;
  const r = new PresenceRecorder({
    writes: { presenceChanged: async (change, at) => void written.push([change, at]) },
    clock: () => now,
    log: createLogger('silent'),
  });
  const events = new Events();
  r.listen(events as unknown as PresenceEvents);
  return { r, events, written, tick: (ms: number) => (now += ms) };
}

describe('the presence recorder', () => {
  it('writes each change of state or reason once, with the moment it was told', async () => {
    const { r, events, written, tick } = recorder();
    events.emit('agent-presence', 'a1', 'available');
    tick(500);
    events.emit('agent-presence', 'a1', 'away', 'meal');
    events.emit('agent-presence', 'a1', 'away', 'meal');
    tick(500);
    events.emit('agent-presence', 'a1', 'away', 'training');
    // A volunteer's hours beginning is no change of state.
    events.emit('volunteer-presence', 'v1', { presence: 'available', withinHours: false });
    events.emit('volunteer-presence', 'v1', { presence: 'available', withinHours: true });
    await r.settled();
    expect(written).toEqual([
      [{ accountId: 'a1', role: 'agent', state: 'available', reason: null }, 1000],
      [{ accountId: 'a1', role: 'agent', state: 'away', reason: 'meal' }, 1500],
      [{ accountId: 'a1', role: 'agent', state: 'away', reason: 'training' }, 2000],
      [{ accountId: 'v1', role: 'volunteer', state: 'available', reason: null }, 2000],
    ]);
  });

  it('on a clean stop sets everyone it saw online offline, and writes nothing after', async () => {
    const { r, events, written, tick } = recorder();
    events.emit('agent-presence', 'a1', 'in-call');
    events.emit('agent-presence', 'a2', 'offline');
    events.emit('volunteer-presence', 'v1', { presence: 'away', withinHours: true });
    tick(60_000);
    await r.closeAll();
    events.emit('agent-presence', 'a1', 'available');
    await r.settled();
    expect(written.slice(3)).toEqual([
      [{ accountId: 'a1', role: 'agent', state: 'offline', reason: null }, 61_000],
      [{ accountId: 'v1', role: 'volunteer', state: 'offline', reason: null }, 61_000],
    ]);
  });
});
