// Log entries and snapshots travel as JSON and come back from the network: everything read is
// checked against these schemas before a lobby sees it. The lobby checks each command's arguments
// itself (a bad argument is a refused command, the same on every node), so only the shape is ours.
import { z } from 'zod';
import { LOBBY_COMMANDS, type LobbyCommand } from '../lobby';
import type { LogEntry, LogSnapshot } from './CommandLog';
import { InvalidEntryError } from './errors';

const time = z.number().finite();

const commandEntrySchema = z.strictObject({
  now: time,
  command: z.strictObject({ op: z.enum(LOBBY_COMMANDS), args: z.array(z.unknown()) }),
});
const tickEntrySchema = z.strictObject({ now: time, tick: z.literal(true) });

const snapshotSchema = z.strictObject({
  position: z.number().int().nonnegative(),
  now: time,
  state: z.unknown(),
});

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidEntryError(what, `not JSON: ${text.slice(0, 80)}`);
  }
}

export function encodeEntry(entry: LogEntry): string {
  return JSON.stringify(entry);
}

/** `what` names the entry in errors ("log entry 12"). */
export function decodeEntry(text: string, what: string): LogEntry {
  const json = parseJson(text, what);
  // Pick the kind first, so the error says what is wrong with that kind (not "matches neither").
  const isTick = typeof json === 'object' && json !== null && 'tick' in json;
  if (isTick) {
    const tick = tickEntrySchema.safeParse(json);
    if (!tick.success) throw new InvalidEntryError(what, issues(tick.error));
    return { now: tick.data.now, tick: true };
  }
  const parsed = commandEntrySchema.safeParse(json);
  if (!parsed.success) throw new InvalidEntryError(what, issues(parsed.error));
  // The op is one of LOBBY_COMMANDS; its arguments are the lobby's to check.
  return { now: parsed.data.now, command: parsed.data.command as LobbyCommand };
}

/**
 * The entry exactly as every node will read it back (JSON drops `undefined`, turns it into null in
 * arrays): the leader applies this, not what it was handed, so its lobby sees what standbys see.
 */
export function asStored(entry: LogEntry): LogEntry {
  return decodeEntry(encodeEntry(entry), 'new log entry');
}

export function encodeSnapshot(snapshot: LogSnapshot): string {
  return JSON.stringify(snapshot);
}

export function decodeSnapshot(text: string): LogSnapshot {
  const parsed = snapshotSchema.safeParse(parseJson(text, 'snapshot'));
  if (!parsed.success) throw new InvalidEntryError('snapshot', issues(parsed.error));
  return parsed.data;
}
