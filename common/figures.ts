/**
 * The shapes of the supervisor's figures and call list as the HTTP API sends them
 * (GET /api/supervisor/figures, /calls): shared by the server that computes them and the page.
 * docs/metrics.md defines each figure.
 */

/** A share of a denominator: `value` in 0..1, null when there is no sample (n = 0). */
export interface Rate {
  value: number | null;
  n: number;
}

/** A mean in ms over `n` calls (or offers, or invitations); null when n = 0. */
export interface Mean {
  value: number | null;
  n: number;
}

export interface GroupFigures {
  calls: number;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  serviceLevel: Record<string, Rate>;
  asaMs: Mean;
  abandonmentRate: Rate;
  keepPlaceRate: Rate;
  textFallbackRate: Rate;
  offerNonResponseRate: Rate;
  interpreterFillRate: Rate;
  interpreterJoinMs: Mean;
  estimateError: { biasMs: number | null; meanAbsMs: number | null; n: number };
  firstContactResolution: Rate;
  satisfaction: Rate;
  surveyResponse: Rate;
  ahtMs: Mean;
}

export const GROUP_BYS = ['none', 'shift', 'language', 'hour', 'weekday', 'mode', 'agent'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface FiguresGroup {
  key: string;
  /** Display name for agents, else the key. */
  label: string;
  figures: GroupFigures;
}

export interface FiguresResponse {
  from: number;
  to: number;
  timeZone: string;
  thresholds: number[];
  groupBy: GroupBy;
  total: GroupFigures;
  groups: FiguresGroup[];
}

export const CALL_OUTCOMES = ['completed', 'abandoned', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface CallListItem {
  id: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  callerLanguage: string;
  mode: string;
  shift: string | null;
  agentId: string | null;
  agentName: string | null;
  interpreterId: string | null;
  interpreterName: string | null;
  outcome: CallOutcome | null;
  waitedMs: number | null;
  shownEstimateMs: number | null;
  resolved: boolean | null;
  category: string | null;
  rating: number | null;
}

export interface CallListResponse {
  calls: CallListItem[];
  /** Cursor for the following (older) page; null on the last page. */
  next: number | null;
}
