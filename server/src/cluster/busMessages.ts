// What travels on the bus. Everything received is checked: it comes from the network.
import { z } from 'zod';

const id = z.string().min(1);

export const broadcastSchema = z.strictObject({ from: id, payload: z.unknown() });
export type Broadcast = z.infer<typeof broadcastSchema>;

export const requestSchema = z.strictObject({
  kind: z.literal('request'),
  id,
  from: id,
  channel: id,
  payload: z.unknown(),
});
export type RequestMessage = z.infer<typeof requestSchema>;

export const responseSchema = z.union([
  z.strictObject({ kind: z.literal('response'), id, from: id, ok: z.literal(true), value: z.unknown() }),
  z.strictObject({
    kind: z.literal('response'),
    id,
    from: id,
    ok: z.literal(false),
    code: z.string(),
    message: z.string(),
  }),
]);
export type ResponseMessage = z.infer<typeof responseSchema>;

export const directSchema = z.union([requestSchema, responseSchema]);

export const broadcastTopic = (channel: string): string => `pub:${channel}`;
export const nodeTopic = (nodeId: string): string => `node:${nodeId}`;
