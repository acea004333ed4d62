// Erlang C: the M/M/c queue (Poisson arrivals, exponential handle time, c agents, nobody hangs up).
// The classic staffing formula; Erlang A (./erlangA.ts) adds callers' patience.

export interface Load {
  /** Arrivals per hour. */
  ratePerHour: number;
  /** Average handle time (talk plus wrap-up), seconds. */
  ahtS: number;
}

export interface QueueFigures {
  agents: number;
  /** Offered load in Erlangs (λ · AHT). */
  erlangs: number;
  /** Share of callers who wait at all. */
  pWait: number;
  /** Share answered within the threshold. */
  serviceLevel: number;
  /** Average speed of answer over all callers, seconds. */
  asaS: number;
  /** Share of agents' time in calls. */
  occupancy: number;
}

export function offeredErlangs({ ratePerHour, ahtS }: Load): number {
  return (ratePerHour / 3600) * ahtS;
}

/**
 * Erlang B blocking probability for `agents` servers at load `a`, by the stable recurrence
 * B(k) = a·B(k−1) / (k + a·B(k−1)) (no factorials, no overflow for thousands of agents).
 */
export function erlangB(agents: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Probability of waiting, C(c, a); 1 when the queue is unstable (a ≥ c). */
export function erlangCWait(agents: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= agents) return 1;
  const b = erlangB(agents, a);
  return (agents * b) / (agents - a * (1 - b));
}

/** Erlang C's figures for `agents` agents, with the service level within `thresholdS` seconds. */
export function erlangC(load: Load, agents: number, thresholdS: number): QueueFigures {
  const a = offeredErlangs(load);
  const pWait = erlangCWait(agents, a);
  const stable = a < agents;
  return {
    agents,
    erlangs: a,
    pWait,
    serviceLevel: stable ? 1 - pWait * Math.exp((-(agents - a) * thresholdS) / load.ahtS) : 0,
    asaS: stable ? (pWait * load.ahtS) / (agents - a) : Number.POSITIVE_INFINITY,
    occupancy: Math.min(1, a / agents),
  };
}
