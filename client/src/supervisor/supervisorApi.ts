// Typed calls to /api/supervisor/*: one function per route, the query built in one place.
import { api } from '../api';
import type {
  CallListResponse,
  CallOutcome,
  FiguresResponse,
  GroupBy,
  Overview,
  Volunteer,
} from './contract';
import { type Range, rangeParams } from './range';

const BASE = '/api/supervisor';

export const fetchOverview = () => api<Overview>(`${BASE}/overview`);

export function fetchFigures(range: Range, groupBy: GroupBy): Promise<FiguresResponse> {
  const query = rangeParams(range);
  query.set('groupBy', groupBy);
  return api<FiguresResponse>(`${BASE}/figures?${query}`);
}

/** The call list's filters; an empty value means "any". */
export interface CallFilters {
  language: string;
  mode: '' | 'video' | 'text';
  outcome: '' | CallOutcome;
  agentId: string;
}

export const NO_FILTERS: CallFilters = { language: '', mode: '', outcome: '', agentId: '' };

export const CALL_PAGE_SIZE = 100;

export function fetchCalls(
  range: Range,
  filters: CallFilters,
  before: number | null,
): Promise<CallListResponse> {
  const query = rangeParams(range);
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  query.set('limit', String(CALL_PAGE_SIZE));
  if (before !== null) query.set('before', String(before));
  return api<CallListResponse>(`${BASE}/calls?${query}`);
}

export const fetchVolunteers = () =>
  api<{ volunteers: Volunteer[] }>(`${BASE}/volunteers`).then((r) => r.volunteers);

export const setVolunteerApproval = (id: string, approved: boolean) =>
  api(`${BASE}/volunteers/${encodeURIComponent(id)}/approval`, {
    method: 'POST',
    body: JSON.stringify({ approved }),
  });
