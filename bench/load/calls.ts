// K three-way calls (caller, agent, interpreter), each participant a LoadParticipant: through the
// product's real signalling, or through the bare mediasoup server's minimal one.
import type {
  InvitationView,
  JoinedSession,
  OfferView,
  ProducerView,
  RouterRtpCapabilities,
} from '../../common/protocol';
import type { Clip } from './clip';
import { LoadParticipant } from './LoadParticipant';
import type { Ticker } from './RtpPlayer';
import { connectSocket, mediaSignaling, type LoadSocket } from './socket';

export interface LoadCall {
  participants: LoadParticipant[];
  sockets: LoadSocket[];
  /** Ends the call the way the product expects before the sockets go (none on the bare server). */
  hangup?: () => Promise<void>;
}

/** A wait that may be abandoned when an earlier step fails: its rejection is then not unhandled. */
function awaited<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** What each participant of a call does besides taking part (one misbehaving client per run). */
export interface CallBehaviour {
  /** The caller's camera sends this many times the clip's rate. */
  videoRate?: number;
}

type Joined = JoinedSession & { producers: ProducerView[] };

/** The staff a product call needs, signed in: cookies made by the server process. */
export interface StaffCookies {
  agent: string;
  volunteer: string;
}

/**
 * A `vi` caller, a `ko` agent and a volunteer who bridges vi and Korean, as the pages do it: the
 * volunteer goes online, the caller asks, the agent goes available and accepts, the volunteer
 * accepts the invitation, all three join and set up media. Calls are made one after another so
 * each agent and volunteer takes the call meant for them.
 */
export async function productCall(
  url: string,
  staff: StaffCookies,
  media: { clip: Clip; ticker: Ticker; caller?: CallBehaviour },
): Promise<LoadCall> {
  const volunteer = await connectSocket(`${url}/volunteer`, staff.volunteer);
  const agent = await connectSocket(`${url}/agent`, staff.agent);
  const caller = await connectSocket(`${url}/caller`);
  const sockets = [volunteer, agent, caller];
  try {
    await volunteer.request('volunteer:set-presence', { presence: 'available' });
    await caller.request('lobby:request', { language: 'vi', mode: 'video' });
    const offered = awaited(agent.next<OfferView>('agent:offer'));
    await agent.request('agent:set-presence', { presence: 'available' });
    const offer = await offered;
    const invited = awaited(volunteer.next<InvitationView>('volunteer:invitation'));
    const matched = awaited(caller.next<{ token: string }>('lobby:matched'));
    const { token } = await agent.request<{ token: string }>('agent:accept-offer', {
      offerId: offer.offerId,
    });
    // The three join at once, as three browsers would: the volunteer as soon as it is invited.
    const [agentJoin, callerJoin, volunteerJoin] = await Promise.all([
      agent.request<Joined>('session:join', { token }),
      matched.then((m) => caller.request<Joined>('session:join', { token: m.token })),
      invited
        .then((invitation) =>
          volunteer.request<{ token: string }>('volunteer:accept-invitation', {
            invitationId: invitation.invitationId,
          }),
        )
        .then((interpreter) => volunteer.request<Joined>('session:join', { token: interpreter.token })),
    ]);
    const joins: [LoadSocket, Joined, CallBehaviour | undefined][] = [
      [caller, callerJoin, media.caller],
      [agent, agentJoin, undefined],
      [volunteer, volunteerJoin, undefined],
    ];
    const participants = joins.map(
      ([s, j, b]) =>
        new LoadParticipant(mediaSignaling(s), media.clip, media.ticker, j.participantId, {
          expectRemote: 4,
          videoRate: b?.videoRate,
        }),
    );
    await Promise.all(participants.map((p, i) => p.start(joins[i]![1].producers)));
    // The agent ends it: a socket that just went away would count as a network blip instead, and
    // the caller would be put back at the head of the line for the next agent.
    const hangup = () => agent.request('session:hangup').then(() => undefined);
    return { participants, sockets, hangup };
  } catch (error) {
    for (const s of sockets) s.close();
    throw error;
  }
}

interface BareJoined {
  participantId: string;
  routerRtpCapabilities: RouterRtpCapabilities;
  producers: ProducerView[];
}

/** The same three participants on the bare server: each just joins the call's router by id. */
export async function bareCall(
  url: string,
  callId: string,
  media: { clip: Clip; ticker: Ticker; caller?: CallBehaviour },
): Promise<LoadCall> {
  const sockets = await Promise.all([0, 1, 2].map(() => connectSocket(url)));
  try {
    const participants: LoadParticipant[] = [];
    const starts: Promise<void>[] = [];
    for (const [i, s] of sockets.entries()) {
      const joined = await s.request<BareJoined>('bare:join', { callId });
      const p = new LoadParticipant(mediaSignaling(s), media.clip, media.ticker, joined.participantId, {
        expectRemote: 4,
        videoRate: i === 0 ? media.caller?.videoRate : undefined,
      });
      participants.push(p);
      starts.push(p.start(joined.producers));
    }
    await Promise.all(starts);
    return { participants, sockets };
  } catch (error) {
    for (const s of sockets) s.close();
    throw error;
  }
}

export async function endCall(call: LoadCall): Promise<void> {
  await call.hangup?.().catch(() => undefined);
  for (const s of call.sockets) s.close();
  await Promise.all(call.participants.map((p) => p.close()));
}
