// Call control as data: every operation signalling (or HTTP) asks of the call centre, by name and
// plain arguments. In one process they run at once; in a cluster the same names and arguments
// travel to the node that runs call control, so nothing but ids and JSON crosses that line.
import { type CallCenter, type PresenceReport, PresenceReportSchema } from './CallCenter';

export function controlOps(calls: CallCenter) {
  const { agents, volunteers, callers, inCall } = calls;
  return {
    'agents.connected': (...a: Parameters<typeof agents.connected>) => agents.connected(...a),
    'agents.disconnected': (...a: Parameters<typeof agents.disconnected>) => agents.disconnected(...a),
    'agents.setPresence': (...a: Parameters<typeof agents.setPresence>) => agents.setPresence(...a),
    'agents.acceptOffer': (...a: Parameters<typeof agents.acceptOffer>) => agents.acceptOffer(...a),
    'agents.declineOffer': (...a: Parameters<typeof agents.declineOffer>) => agents.declineOffer(...a),
    'agents.wrapUp': (...a: Parameters<typeof agents.wrapUp>) => agents.wrapUp(...a),
    'volunteers.connected': (...a: Parameters<typeof volunteers.connected>) => volunteers.connected(...a),
    'volunteers.disconnected': (...a: Parameters<typeof volunteers.disconnected>) =>
      volunteers.disconnected(...a),
    'volunteers.profileChanged': (...a: Parameters<typeof volunteers.profileChanged>) =>
      volunteers.profileChanged(...a),
    'volunteers.setPresence': (...a: Parameters<typeof volunteers.setPresence>) =>
      volunteers.setPresence(...a),
    'volunteers.acceptInvitation': (...a: Parameters<typeof volunteers.acceptInvitation>) =>
      volunteers.acceptInvitation(...a),
    'volunteers.declineInvitation': (...a: Parameters<typeof volunteers.declineInvitation>) =>
      volunteers.declineInvitation(...a),
    'callers.isWaiting': (...a: Parameters<typeof callers.isWaiting>) => callers.isWaiting(...a),
    'callers.request': (...a: Parameters<typeof callers.request>) => callers.request(...a),
    'callers.resume': (...a: Parameters<typeof callers.resume>) => callers.resume(...a),
    'callers.cancel': (...a: Parameters<typeof callers.cancel>) => callers.cancel(...a),
    'callers.chooseFallback': (...a: Parameters<typeof callers.chooseFallback>) =>
      callers.chooseFallback(...a),
    'callers.rate': (...a: Parameters<typeof callers.rate>) => callers.rate(...a),
    'callers.disconnected': (...a: Parameters<typeof callers.disconnected>) => callers.disconnected(...a),
    'inCall.join': (...a: Parameters<typeof inCall.join>) => inCall.join(...a),
    'inCall.restartMedia': (...a: Parameters<typeof inCall.restartMedia>) => inCall.restartMedia(...a),
    'inCall.chat': (...a: Parameters<typeof inCall.chat>) => inCall.chat(...a),
    'inCall.draft': (...a: Parameters<typeof inCall.draft>) => inCall.draft(...a),
    'inCall.hangup': (...a: Parameters<typeof inCall.hangup>) => inCall.hangup(...a),
    'inCall.createTransport': (...a: Parameters<typeof inCall.createTransport>) =>
      inCall.createTransport(...a),
    'inCall.connectTransport': (...a: Parameters<typeof inCall.connectTransport>) =>
      inCall.connectTransport(...a),
    'inCall.produce': (...a: Parameters<typeof inCall.produce>) => inCall.produce(...a),
    'inCall.consume': (...a: Parameters<typeof inCall.consume>) => inCall.consume(...a),
    'inCall.resumeConsumer': (...a: Parameters<typeof inCall.resumeConsumer>) => inCall.resumeConsumer(...a),
    'inCall.setProducerPaused': (...a: Parameters<typeof inCall.setProducerPaused>) =>
      inCall.setProducerPaused(...a),
    'inCall.requestInterpreter': (...a: Parameters<typeof inCall.requestInterpreter>) =>
      inCall.requestInterpreter(...a),
    'inCall.removeInterpreter': (...a: Parameters<typeof inCall.removeInterpreter>) =>
      inCall.removeInterpreter(...a),
    'inCall.dropped': (...a: Parameters<typeof inCall.dropped>) => inCall.dropped(...a),
    overview: () => calls.overview(),
    // Another node's report: checked like any input before it touches the desks.
    'presence.report': (report: PresenceReport) => calls.presenceReport(PresenceReportSchema.parse(report)),
  };
}

export type ControlOps = ReturnType<typeof controlOps>;
export type ControlOp = keyof ControlOps;

/** Asks call control to do something; always asynchronous, since it may run on another node. */
export interface CallControl {
  call<K extends ControlOp>(
    op: K,
    ...args: Parameters<ControlOps[K]>
  ): Promise<Awaited<ReturnType<ControlOps[K]>>>;
}

type ControlResult<K extends ControlOp> = Awaited<ReturnType<ControlOps[K]>>;

/** Call control in this process. */
export function localControl(calls: CallCenter): CallControl {
  const ops = controlOps(calls);
  return {
    async call<K extends ControlOp>(op: K, ...args: Parameters<ControlOps[K]>): Promise<ControlResult<K>> {
      // One door for every operation; the table above types each one.
      const fn = ops[op] as (...a: Parameters<ControlOps[K]>) => ControlResult<K> | Promise<ControlResult<K>>;
      return fn(...args);
    },
  };
}
