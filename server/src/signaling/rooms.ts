/** socket.io room names: state is addressed by ids of ours, never by socket ids. */
export const rooms = {
  session: (sessionId: string) => `session:${sessionId}`,
  participant: (participantId: string) => `participant:${participantId}`,
  caller: (callerId: string) => `caller:${callerId}`,
  agent: (agentId: string) => `agent:${agentId}`,
  volunteer: (volunteerId: string) => `volunteer:${volunteerId}`,
};
