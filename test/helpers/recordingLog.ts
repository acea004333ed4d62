import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const ERROR = 50;

/** A pino logger (warn and up) that keeps its lines, so a test can say what was logged and how loudly. */
export function recordingLog(): { log: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'warn', base: undefined },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { log, lines, errors: () => lines.filter((l) => l.level >= ERROR) };
}
