import { Histogram, type Registry } from 'prom-client';
import type { AckObserver } from '../signaling/respond';

/** Signalling acks: most are in-process (≈1 ms), media ones reach a worker, forwarded ones another node. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Time from a message's arrival to its ack, by event and outcome (`ok` or the error code), as the
 * client sees it (waiting behind that socket's earlier messages included). Both labels are closed
 * sets: only registered events are acked here, and codes come from common/errors.ts.
 */
export function ackLatency(registry: Registry): AckObserver {
  const histogram = new Histogram({
    name: 'relay_signaling_ack_duration_seconds',
    help: 'Time from a signalling message arriving to its acknowledgement, by event and outcome (ok or error code).',
    labelNames: ['event', 'outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return (event, ms, outcome) => histogram.observe({ event, outcome }, ms / 1000);
}
