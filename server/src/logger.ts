import { pino, type Logger } from 'pino';

export type { Logger };

/** One root logger; subsystems take a child with `{ module }` so lines can be filtered by concern. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
