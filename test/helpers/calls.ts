import type { InvitationView, JoinedSession, OfferView, ProducerView } from '../../common/protocol';
import { connect, ok, type TestApp, type TestSocket } from './testApp';

export interface EstablishedCall {
  caller: TestSocket;
  agent: TestSocket;
  tokens: { caller: string; agent: string };
  callerJoin: JoinedSession & { producers: ProducerView[] };
  agentJoin: JoinedSession & { producers: ProducerView[] };
}

/** A caller asks for kvk, an agent goes available, accepts the offer, and both join the session. */
export async function establishCall(app: TestApp, agentName: string): Promise<EstablishedCall> {
  const { cookie } = await app.addAgent(agentName);
  return connectCall(await connect(app, '/agent', cookie), await connect(app, '/caller'));
}

/** The same on sockets already connected (to any server): a kvk caller, and a kvk agent who answers. */
export async function connectCall(
  agent: TestSocket,
  caller: TestSocket,
  language = 'kvk',
): Promise<EstablishedCall> {
  ok(await caller.request('lobby:request', { language, mode: 'video' }));
  const offered = agent.next<OfferView>('agent:offer');
  ok(await agent.request('agent:set-presence', { presence: 'available' }));
  const offer = await offered;
  const matched = caller.next<{ token: string }>('lobby:matched');
  const { token } = ok(
    await agent.request<{ token: string }>('agent:accept-offer', { offerId: offer.offerId }),
  );
  const callerToken = (await matched).token;
  const agentJoin = ok(await agent.request<EstablishedCall['agentJoin']>('session:join', { token }));
  const callerJoin = ok(
    await caller.request<EstablishedCall['callerJoin']>('session:join', { token: callerToken }),
  );
  return { caller, agent, callerJoin, agentJoin, tokens: { caller: callerToken, agent: token } };
}

export interface ThreeWay {
  caller: TestSocket;
  agent: TestSocket;
  volunteers: TestSocket[];
  invitations: InvitationView[];
  callerJoin: EstablishedCall['callerJoin'];
  agentJoin: EstablishedCall['agentJoin'];
}

/**
 * A `vi` caller, a `ko` agent and volunteers who bridge vi and Korean: the agent accepts a bridged
 * offer and every online volunteer (up to the ring batch) is invited.
 */
export async function startBridgedCall(
  app: TestApp,
  name: string,
  volunteerCount: number,
): Promise<ThreeWay> {
  const volunteers: TestSocket[] = [];
  for (let i = 0; i < volunteerCount; i++) {
    const v = await connect(app, '/volunteer', (await app.addVolunteer(`${name}-v${i}`)).cookie);
    ok(await v.request('volunteer:set-presence', { presence: 'available' }));
    volunteers.push(v);
  }
  const { cookie } = await app.addAgent(`${name}-agent`, ['ko']);
  const agent = await connect(app, '/agent', cookie);
  const caller = await connect(app, '/caller');
  ok(await caller.request('lobby:request', { language: 'vi', mode: 'video' }));
  const offered = agent.next<OfferView>('agent:offer');
  ok(await agent.request('agent:set-presence', { presence: 'available' }));
  const offer = await offered;
  if (!offer.needsInterpreter) throw new Error('expected a bridged offer');
  const invited = volunteers.slice(0, 3).map((v) => v.next<InvitationView>('volunteer:invitation'));
  const matched = caller.next<{ token: string }>('lobby:matched');
  const { token } = ok(
    await agent.request<{ token: string }>('agent:accept-offer', { offerId: offer.offerId }),
  );
  const agentJoin = ok(await agent.request<EstablishedCall['agentJoin']>('session:join', { token }));
  const callerJoin = ok(
    await caller.request<EstablishedCall['callerJoin']>('session:join', { token: (await matched).token }),
  );
  return { caller, agent, volunteers, invitations: await Promise.all(invited), callerJoin, agentJoin };
}

/** A rung volunteer accepts their invitation: the interpreter's join token. */
export async function acceptInvitation(volunteer: TestSocket, invitation: InvitationView): Promise<string> {
  const { token } = ok(
    await volunteer.request<{ token: string }>('volunteer:accept-invitation', {
      invitationId: invitation.invitationId,
    }),
  );
  return token;
}
