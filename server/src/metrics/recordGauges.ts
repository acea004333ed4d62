import { Counter, Gauge, type Registry } from 'prom-client';

/** What the buffered call-record writer (store/BufferedCallRecords) tells about its journal. */
export interface RecordJournalStats {
  readonly stats: { pending: number; bytes: number; lost: number };
}

/**
 * The call-record journal, read at scrape time: writes waiting for PostgreSQL (0 while it answers)
 * and writes lost at the journal's bound, which should stay 0 and deserves an alert when it does not.
 */
export function registerRecordGauges(registry: Registry, records: RecordJournalStats): void {
  const registers = [registry];
  new Gauge({
    name: 'relay_record_journal_writes',
    help: "Call-record writes waiting in this node's journal for PostgreSQL to answer again.",
    registers,
    collect() {
      this.set(records.stats.pending);
    },
  });
  new Gauge({
    name: 'relay_record_journal_bytes',
    help: "Size of this node's call-record journal file (bounded by RECORD_JOURNAL_MAX_BYTES).",
    registers,
    collect() {
      this.set(records.stats.bytes);
    },
  });
  new Counter({
    name: 'relay_record_writes_lost_total',
    help: 'Call-record writes lost because the journal was full (or its disk failed) while PostgreSQL was unreachable.',
    registers,
    collect() {
      this.reset();
      this.inc(records.stats.lost);
    },
  });
}
