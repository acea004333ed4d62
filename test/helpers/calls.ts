import type { JoinedSession, OfferView, ProducerView } from '../../common/protocol';
import { connect, ok, type TestApp, type TestSocket } from './testApp';

export interface EstablishedCall {
  caller: TestSocket;
  agent: TestSocket;
  callerJoin: JoinedSession & { producers: ProducerView[] };
  agentJoin: JoinedSession & { producers: ProducerView[] };
}

/** A caller asks for kvk, an agent goes available, accepts the offer, and both join the session. */
export async function establishCall(app: TestApp, agentName: string): Promise<EstablishedCall> {
  const { cookie } = await app.addAgent(agentName);
  const agent = await connect(app, '/agent', cookie);
  const caller = await connect(app, '/caller');
  ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
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
  return { caller, agent, callerJoin, agentJoin };
}
