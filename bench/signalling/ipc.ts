// The messages between the bench (parent) and the server process it measures (child, over the
// fork IPC channel). Both ends parse what they receive: a stale or mistyped message is an error.
import { z } from 'zod';

export const ServerRequest = z.discriminatedUnion('type', [
  /** Memory after a full GC, and how many caller sockets the server holds. */
  z.object({ id: z.number(), type: z.literal('measure') }),
  /** Starts a measurement window: event-loop delay histogram and CPU clock from now. */
  z.object({ id: z.number(), type: z.literal('window-start') }),
  z.object({ id: z.number(), type: z.literal('window-end') }),
  /** A V8 heap snapshot written to `path` (to see where per-socket memory goes). */
  z.object({ id: z.number(), type: z.literal('heap-snapshot'), path: z.string() }),
  z.object({ id: z.number(), type: z.literal('stop') }),
]);
export type ServerRequest = z.infer<typeof ServerRequest>;
export type ServerRequestType = ServerRequest['type'];

export const Memory = z.object({
  rss: z.number(),
  heapUsed: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
  callerSockets: z.number(),
  engineClients: z.number(),
});
export type Memory = z.infer<typeof Memory>;

export const Window = z.object({
  /** Event-loop delay beyond the monitor's own timer period, ms. */
  lagP50Ms: z.number(),
  lagP99Ms: z.number(),
  lagMaxMs: z.number(),
  /** Server process CPU over the window, % of one core. */
  cpuPercent: z.number(),
});
export type Window = z.infer<typeof Window>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({
    type: z.literal('reply'),
    id: z.number(),
    memory: Memory.optional(),
    window: Window.optional(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
