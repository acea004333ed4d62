// Every state change of the lobby as plain data: a name and its arguments. A driver applies them
// through one door, which is also what a replicated lobby logs and replays (same commands, same
// `now`, same state), since the lobby is deterministic given its inputs.
import type { Lobby } from './Lobby';
import type { LobbyResult } from './types';

export const LOBBY_COMMANDS = [
  'enqueueCaller',
  'cancelCaller',
  'chooseFallback',
  'requeueCaller',
  'upsertAgent',
  'setAgentPresence',
  'acceptOffer',
  'declineOffer',
  'endMatch',
  'abandonMatch',
  'finishWrapUp',
  'resumeWrapUp',
  'upsertVolunteer',
  'setVolunteerPresence',
  'acceptInvitation',
  'declineInvitation',
  'requestInterpreter',
  'interpreterLeft',
  'cancelInterpreterSearch',
] as const satisfies ReadonlyArray<keyof Lobby>;

export type LobbyCommandName = (typeof LOBBY_COMMANDS)[number];

export type LobbyCommand = {
  [K in LobbyCommandName]: { op: K; args: Parameters<Lobby[K]> };
}[LobbyCommandName];

/** What a successful command returns. */
export type CommandValue<K extends LobbyCommandName> =
  ReturnType<Lobby[K]> extends LobbyResult<infer T> ? T : never;

export function applyCommand(lobby: Lobby, command: LobbyCommand): LobbyResult<unknown> {
  // One door for every command; each method validates its own arguments.
  const method = lobby[command.op] as (...args: unknown[]) => LobbyResult<unknown>;
  return method.apply(lobby, command.args);
}
