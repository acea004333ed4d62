import type { Server } from 'socket.io';
import type { AuthSessions } from '../auth/AuthSessions';
import type { Logger } from '../logger';
import type { CallCenter } from '../sessions/CallCenter';
import type { CallControl } from '../sessions/control';
import type { Store } from '../store';
import { realScheduler } from '../util/scheduler';
import { watchStaffSockets } from './accountWatch';
import { attachAgentNamespace } from './agentNamespace';
import { attachCallerNamespace } from './callerNamespace';
import { attachVolunteerNamespace } from './volunteerNamespace';
import { createContext } from './context';
import type { AckObserver } from './respond';
import type { RouterRtpCapabilities } from '../../../common/protocol';
import type { PresenceReport } from '../sessions/CallCenter';
import { broadcastSession } from './sessionHandlers';
import type { AgentNamespace, CallerNamespace, SessionNamespace, VolunteerNamespace } from './types';

export interface SignalingDeps {
  calls: CallCenter;
  control: CallControl;
  auth: AuthSessions;
  store: Store;
  log: Logger;
  clock: () => number;
  callRequestsPerMinute: number;
  /** This node is shutting down: it refuses new call requests. */
  draining: () => boolean;
  /** Behind one reverse proxy: a caller's address is X-Forwarded-For's last hop (as for HTTP). */
  trustProxy: boolean;
  /** Told of every ack sent (the metrics' signalling latency). */
  onAck?: AckObserver;
  /** What a call's router carries, known before any call (WorkerPool.rtpCapabilities). */
  mediaCapabilities: RouterRtpCapabilities;
}

/**
 * One namespace per role; in-call messages are shared, and a session's events reach every role.
 * `close()` stops the re-check of staff sign-ins.
 */
export function attachSignaling(
  io: Server,
  deps: SignalingDeps,
): { close(): void; presence(): PresenceReport } {
  const { callRequestsPerMinute, ...rest } = deps;
  const ctx = createContext({ ...rest, log: deps.log.child({ module: 'signaling' }) }, callRequestsPerMinute);
  const caller: CallerNamespace = io.of('/caller');
  const agent: AgentNamespace = io.of('/agent');
  const volunteer: VolunteerNamespace = io.of('/volunteer');
  const all: SessionNamespace[] = [caller, agent, volunteer];
  attachCallerNamespace(caller, ctx);
  attachAgentNamespace(agent, ctx);
  attachVolunteerNamespace(volunteer, ctx);
  deps.calls.on('session-started', (session) => broadcastSession(session, all));
  const watch = watchStaffSockets(
    [
      { nsp: agent, role: 'agent' },
      { nsp: volunteer, role: 'volunteer' },
    ],
    // On the wall clock, even under a test's fake one: it polls what another process (the accounts
    // CLI) writes, which no fake clock drives, and its timers must not join a test's fake ones.
    { auth: deps.auth, store: deps.store, scheduler: realScheduler(), log: ctx.log },
  );
  return {
    close: () => watch.close(),
    // This node's own sockets only (a namespace's `sockets` map is local): for a new leader.
    presence(): PresenceReport {
      const report: PresenceReport = { seats: [], callers: [], agents: [], volunteers: [] };
      for (const socket of caller.sockets.values()) {
        if (socket.data.participant) report.seats.push(socket.data.participant);
        if (socket.data.callerId) report.callers.push(socket.data.callerId);
      }
      for (const [nsp, ids] of [
        [agent, report.agents],
        [volunteer, report.volunteers],
      ] as const) {
        for (const socket of nsp.sockets.values()) {
          if (socket.data.participant) report.seats.push(socket.data.participant);
          if (socket.data.account) ids.push(socket.data.account.id);
        }
      }
      return report;
    },
  };
}
