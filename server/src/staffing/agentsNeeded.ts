// How many agents a load needs for a service-level target, by Erlang C or Erlang A.
import { erlangA, QueueTooLongError } from './erlangA';
import { erlangC, offeredErlangs, type Load, type QueueFigures } from './erlangC';

export interface Target {
  /** Share of offered callers to answer within the threshold, strictly between 0 and 1 (0.8 for 80 %). */
  serviceLevel: number;
  thresholdS: number;
  /**
   * How a caller who hangs up before the threshold counts (Erlang A only; default 'missed'):
   * 'missed' — against the target, as `serviceLevel` reports it: answered within T over all offered;
   * 'met' — for it: the target is then on the share nobody kept waiting longer than T
   * (serviceLevel + pAbandonWithinThreshold), a convention under which Erlang A never needs more
   * agents than Erlang C.
   */
  abandonsWithinThreshold?: 'missed' | 'met';
}

/** Erlang C (nobody hangs up) or Erlang A with callers' mean patience in seconds. */
export type QueueModel = 'erlang-c' | { patienceS: number };

export interface Staffing extends QueueFigures {
  /** Share of callers who hang up while waiting: always 0 under Erlang C. */
  pAbandon: number;
  /** Share of callers who hang up within the threshold (counted as missed by serviceLevel). */
  pAbandonWithinThreshold: number;
}

/** A load so big or a target so close to 100 % that no sane number of agents meets it. */
export class UnreachableTargetError extends RangeError {
  override name = 'UnreachableTargetError';
}

/** The figures of one staffing level under a model (for tables around the answer). */
export function staffingFigures(load: Load, agents: number, thresholdS: number, model: QueueModel): Staffing {
  checkLoad(load);
  if (offeredErlangs(load) === 0) return idle(agents);
  if (model === 'erlang-c')
    return { ...erlangC(load, agents, thresholdS), pAbandon: 0, pAbandonWithinThreshold: 0 };
  const { patienceS: _, ...figures } = erlangA(load, agents, thresholdS, model.patienceS);
  return figures;
}

/** The share the target is set on: see Target.abandonsWithinThreshold. */
export function shareMeetingTarget(figures: Staffing, target: Target): number {
  return target.abandonsWithinThreshold === 'met'
    ? figures.serviceLevel + figures.pAbandonWithinThreshold
    : figures.serviceLevel;
}

/**
 * The smallest number of agents whose service level reaches the target (answered within the threshold,
 * over all offered callers: see erlangA.ts and Target), with its figures. No calls need no agents.
 *
 * Erlang C walks up from the first stable staffing (more agents than Erlangs), so it is exact.
 * Erlang A bisects between a bound below which no staffing can succeed and Erlang C's answer (or the
 * first staffing above it that succeeds): exact given that each agent added raises the service level,
 * true of both models (see the tests), in a handful of evaluations even for a big centre.
 */
export function agentsNeeded(load: Load, target: Target, model: QueueModel): Staffing {
  checkLoad(load);
  checkTarget(target);
  const a = offeredErlangs(load);
  if (a === 0) return idle(0);
  // Far beyond any real answer (a + 5√a agents already answer 99.9999 % at once): a guard, not a limit.
  const limit = Math.ceil(2 * a + 50 * Math.sqrt(a) + 100);
  const byErlangC = walkUp(load, target, 'erlang-c', Math.floor(a) + 1, limit);
  if (model === 'erlang-c') return byErlangC;

  const meets = (figures: Staffing) => shareMeetingTarget(figures, target) >= target.serviceLevel;
  const evaluate = (agents: number) => staffingFigures(load, agents, target.thresholdS, model);
  // Below Erlang C's answer a near-endless patience can make the queue run to millions (fewer agents
  // than Erlangs, hardly anybody leaving): such a staffing answers almost nobody in time, so it fails.
  const evaluateBelowErlangC = (agents: number) => {
    try {
      return evaluate(agents);
    } catch (error) {
      if (error instanceof QueueTooLongError) return undefined;
      throw error;
    }
  };
  let best = evaluate(byErlangC.agents);
  if (!meets(best)) return walkUp(load, target, model, best.agents + 1, limit);
  let lo = erlangALowerBound(a, target, model.patienceS);
  let hi = best.agents;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const figures = evaluateBelowErlangC(mid);
    if (figures !== undefined && meets(figures)) {
      hi = mid;
      best = figures;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

/**
 * Below this no staffing meets the target under Erlang A: at most c/a of the callers can be answered
 * at all, and at most P(patience ≤ T) of them hang up within the threshold.
 */
function erlangALowerBound(a: number, target: Target, patienceS: number): number {
  const metByHangingUp =
    target.abandonsWithinThreshold === 'met' ? 1 - Math.exp(-target.thresholdS / patienceS) : 0;
  return Math.max(1, Math.ceil(a * (target.serviceLevel - metByHangingUp)));
}

function walkUp(load: Load, target: Target, model: QueueModel, from: number, limit: number): Staffing {
  for (let agents = Math.max(1, from); agents <= limit; agents++) {
    const figures = staffingFigures(load, agents, target.thresholdS, model);
    if (shareMeetingTarget(figures, target) >= target.serviceLevel) return figures;
  }
  throw new UnreachableTargetError(
    `no staffing up to ${limit} agents answers ${target.serviceLevel * 100}% within ${target.thresholdS} s`,
  );
}

function idle(agents: number): Staffing {
  return {
    agents,
    erlangs: 0,
    pWait: 0,
    serviceLevel: 1,
    asaS: 0,
    occupancy: 0,
    pAbandon: 0,
    pAbandonWithinThreshold: 0,
  };
}

function checkLoad({ ratePerHour, ahtS }: Load): void {
  if (!(ratePerHour >= 0) || !Number.isFinite(ratePerHour)) {
    throw new RangeError(`ratePerHour must be a finite number ≥ 0, got ${ratePerHour}`);
  }
  if (!(ahtS > 0) || !Number.isFinite(ahtS))
    throw new RangeError(`ahtS must be a positive number, got ${ahtS}`);
}

function checkTarget({ serviceLevel, thresholdS, abandonsWithinThreshold }: Target): void {
  if (abandonsWithinThreshold !== undefined && !['missed', 'met'].includes(abandonsWithinThreshold)) {
    throw new RangeError(
      `target.abandonsWithinThreshold must be 'missed' or 'met', got ${abandonsWithinThreshold}`,
    );
  }
  if (!(serviceLevel > 0 && serviceLevel < 1)) {
    throw new RangeError(`target.serviceLevel must be strictly between 0 and 1, got ${serviceLevel}`);
  }
  if (!(thresholdS >= 0) || !Number.isFinite(thresholdS)) {
    throw new RangeError(`target.thresholdS must be a finite number ≥ 0, got ${thresholdS}`);
  }
}
