// Callers' patience as the records show it, for Erlang A.

export interface PatienceObservation {
  /** How long the caller waited: until answered, or until he hung up. */
  waitedS: number;
  abandoned: boolean;
}

export interface PatienceFit {
  /** Maximum-likelihood mean patience, seconds: total waiting time over the number of hang-ups. */
  meanPatienceS: number;
  abandons: number;
  answered: number;
  /** Waiting time of everyone, answered callers included. */
  totalWaitedS: number;
}

/**
 * Fits an exponential patience to what was observed. A caller who hung up after w seconds shows his
 * patience was w; one answered after w seconds shows only that it was longer than w (censored). The
 * likelihood θ^abandons · e^(−θ·Σw) peaks at θ̂ = abandons / Σw over everyone who waited.
 *
 * So the fit comes from the early hang-ups set against all the time callers were seen waiting, never
 * from the mean wait of those who hung up: that mean only sees the impatient (the patient ones were
 * answered first) and would make callers look far less patient than they are.
 *
 * Returns null when there is nothing to fit: nobody hung up, or nobody waited at all.
 */
export function fitPatience(observations: readonly PatienceObservation[]): PatienceFit | null {
  let abandons = 0;
  let totalWaitedS = 0;
  observations.forEach(({ waitedS, abandoned }, i) => {
    if (!(waitedS >= 0) || !Number.isFinite(waitedS)) {
      throw new RangeError(`observations[${i}].waitedS must be a finite number ≥ 0, got ${waitedS}`);
    }
    totalWaitedS += waitedS;
    if (abandoned) abandons++;
  });
  if (abandons === 0 || totalWaitedS === 0) return null;
  return {
    meanPatienceS: totalWaitedS / abandons,
    abandons,
    answered: observations.length - abandons,
    totalWaitedS,
  };
}
