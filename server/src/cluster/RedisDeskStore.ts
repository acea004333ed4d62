import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { DeskSnapshot, DeskStore, DeskWrite } from '../sessions/DeskStore';

const id = z.string().min(1).max(256);
const mode = z.enum(['video', 'text']);
const Caller = z.strictObject({
  callerId: id,
  recordId: id,
  language: z.string().min(1),
  mode,
  joinedAt: z.number().int(),
  resumeKey: id,
  callback: z.boolean(),
  token: id.nullable(),
});
const Staff = z.strictObject({
  kind: z.enum(['agent', 'volunteer']),
  id,
  displayName: z.string(),
  languages: z.array(z.string()),
  weeklyHours: z
    .array(z.strictObject({ day: z.number().int(), start: z.string(), end: z.string() }))
    .optional(),
});
const WrapUp = z.strictObject({ agentId: id, recordId: id });
const Survey = z.strictObject({ key: id, recordId: id, expiresAt: z.number().int() });
const Call = z.strictObject({
  sessionId: id,
  matchId: id,
  recordId: id,
  language: z.string().min(1),
  mode,
  startedAt: z.number().int(),
  mediaCallId: id,
  hostNodeId: id,
  agentId: id,
  callerId: id,
  waitedMs: z.number().int(),
  interpreter: z.union([
    z.strictObject({ status: z.literal('searching'), language: z.string().min(1) }),
    z.strictObject({ status: z.literal('joined') }),
    z.strictObject({ status: z.literal('none') }),
  ]),
  participants: z.array(
    z.strictObject({
      participantId: id,
      role: z.enum(['caller', 'agent', 'interpreter']),
      accountId: id.nullable(),
      displayName: z.string().nullable(),
      tokenHash: id,
      hasJoined: z.boolean(),
    }),
  ),
});

const SCHEMAS = { caller: Caller, staff: Staff, wrapup: WrapUp, survey: Survey, call: Call } as const;
type Kind = keyof typeof SCHEMAS;

/**
 * The desks' state in Redis: one hash per kind, one field per caller, agent, survey, staff member
 * or call, written in the order the leader changed them. Like the sign-in sessions, it holds
 * bearer secrets (callers' resume keys and join tokens): Redis is inside the trust boundary.
 */
export class RedisDeskStore implements DeskStore {
  #written: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly prefix = '{relay-desk}:',
  ) {}

  write(change: DeskWrite): void {
    const key = this.prefix + change.kind;
    this.#written = this.#written
      .then(async () => {
        if (change.value === null) await this.redis.hdel(key, change.id);
        else await this.redis.hset(key, change.id, JSON.stringify(change.value));
      })
      .catch((err: unknown) =>
        this.log.warn({ err, kind: change.kind }, 'could not write the desks’ state to Redis'),
      );
  }

  flushed(): Promise<void> {
    return this.#written;
  }

  async load(): Promise<DeskSnapshot> {
    const read = async <K extends Kind>(kind: K): Promise<Array<z.infer<(typeof SCHEMAS)[K]>>> => {
      const fields = await this.redis.hgetall(this.prefix + kind);
      const out: Array<z.infer<(typeof SCHEMAS)[K]>> = [];
      for (const [field, text] of Object.entries(fields)) {
        const parsed = parseJson(SCHEMAS[kind] as z.ZodType<unknown>, text);
        // What Redis holds is input like any other: an unreadable entry is skipped, loudly.
        if (parsed !== null) out.push(parsed as z.infer<(typeof SCHEMAS)[K]>);
        else this.log.warn({ kind, field }, 'unreadable desk entry in Redis: skipped');
      }
      return out;
    };
    const [callers, wrapUps, surveys, staff, calls] = await Promise.all([
      read('caller'),
      read('wrapup'),
      read('survey'),
      read('staff'),
      read('call'),
    ]);
    return { callers, wrapUps, surveys, staff, calls };
  }
}

function parseJson<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
