// The call records as PostgreSQL holds them, counted against what the run knows it did. Records
// carry no caller id (no personal data), so the check is by counts: each caller who joined the line
// wrote exactly one record (`CallerLine.request`); a record is open (no `ended_at`) exactly while its
// caller is waiting or in a call.
import pg from 'pg';

export interface RecordCounts {
  total: number;
  /** Open and answered: calls in progress. */
  openAnswered: number;
  /** Open and not answered: callers in line. */
  openWaiting: number;
}

export interface Expected {
  /** Callers the run has put in line so far (each should have written one record). */
  joined: number;
  /** Calls up now, by the run's measure. */
  live: number;
  /** Callers in line now, by the run's measure. */
  waiting: number;
}

export interface RecordCheck {
  counts: RecordCounts | null;
  /** Callers with no record, records closed while their call or wait goes on, records left open after the end. */
  lost: number;
  /** Records beyond one per caller. */
  duplicates: number;
  detail: string;
}

export async function countRecords(databaseUrl: string): Promise<RecordCounts> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string; open_answered: string; open_waiting: string }>(
      `select count(*) as total,
              count(*) filter (where ended_at is null and answered_at is not null) as open_answered,
              count(*) filter (where ended_at is null and answered_at is null) as open_waiting
         from call_records`,
    );
    const r = rows[0]!;
    return {
      total: Number(r.total),
      openAnswered: Number(r.open_answered),
      openWaiting: Number(r.open_waiting),
    };
  } finally {
    await client.end();
  }
}

function judge(counts: RecordCounts, expected: Expected): RecordCheck {
  const missing = Math.max(0, expected.joined - counts.total);
  const duplicates = Math.max(0, counts.total - expected.joined);
  // Closed too early: a call or wait goes on but fewer records are open for it (a record with no
  // caller left to close it later is as good as lost).
  const closedEarly =
    Math.max(0, expected.live - counts.openAnswered) + Math.max(0, expected.waiting - counts.openWaiting);
  // Left open: the call or wait ended but its record says it goes on.
  const leftOpen =
    Math.max(0, counts.openAnswered - expected.live) + Math.max(0, counts.openWaiting - expected.waiting);
  // A missing record is also one fewer open: count it once.
  const lost = Math.max(missing, closedEarly) + leftOpen;
  const detail =
    `records ${counts.total}/${expected.joined} written, open in call ${counts.openAnswered}/${expected.live}, ` +
    `open waiting ${counts.openWaiting}/${expected.waiting}`;
  return { counts, lost, duplicates, detail };
}

/**
 * Counts until the records agree with `expected` or `settleMs` passes (a node writes a record a
 * moment after the call changes, and journals it while PostgreSQL is down), then judges the last count.
 */
export async function checkRecords(
  databaseUrl: string,
  expected: () => Expected,
  settleMs: number,
): Promise<RecordCheck> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    let last: RecordCheck;
    try {
      last = judge(await countRecords(databaseUrl), expected());
    } catch (err) {
      const detail = `records unreadable: ${(err as Error).message}`;
      last = { counts: null, lost: expected().joined, duplicates: 0, detail };
    }
    if ((last.lost === 0 && last.duplicates === 0) || Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The wait recorded for the call answered last in `language` (the lobby's own count from arrival to
 * match, written when the call ends), once it is written; null if none is within `settleMs`.
 */
export async function lastWaitRecorded(
  databaseUrl: string,
  language: string,
  settleMs: number,
): Promise<number | null> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ waited_ms: number | null }>(
        `select waited_ms from call_records where caller_language = $1 and answered_at is not null
          order by answered_at desc limit 1`,
        [language],
      );
      const waited = rows[0]?.waited_ms ?? null;
      if (waited !== null) return Number(waited);
    } catch {
      // Read again until the deadline.
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 500));
  }
}
