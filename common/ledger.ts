/** The volunteer ledger as `GET /api/supervisor/ledger` answers it: shared by server and page. */

export const INVITATION_OUTCOMES = ['accepted', 'declined', 'expired', 'withdrawn'] as const;
/**
 * `expired`: the volunteer let it ring out (ignored). `withdrawn`: it ended before they answered
 * because the call no longer needed them (another volunteer took it, the caller left); not theirs
 * to answer, so the ledger counts it apart from the three the programme reports.
 */
export type InvitationOutcome = (typeof INVITATION_OUTCOMES)[number];

export interface LedgerRow {
  volunteerId: string;
  name: string;
  /** `YYYY-MM` in the centre's zone. */
  month: string;
  onlineMs: number;
  interpretingMs: number;
  calls: number;
  callsByLanguage: Record<string, number>;
  invitations: Record<InvitationOutcome, number>;
}

export interface LedgerResponse {
  from: string;
  to: string;
  timeZone: string;
  rows: LedgerRow[];
}
