// The full O(n) read-out behind Lobby.inspect(): plain data, no internal records leak out.
import { inRanges } from './calendar';
import type { AgentRec, CallerRec, InvitationRec, MatchRec, OfferRec, VolunteerRec } from './records';
import type { LobbyInspection } from './types';

export interface InspectionSource {
  now: number;
  minuteOfWeek: number;
  callers: Iterable<CallerRec>;
  agents: Iterable<AgentRec>;
  volunteers: Iterable<VolunteerRec>;
  offers: Iterable<OfferRec>;
  matches: Iterable<MatchRec>;
  invitations: Iterable<InvitationRec>;
}

export function buildInspection(src: InspectionSource): LobbyInspection {
  return {
    now: src.now,
    queue: [...src.callers]
      .sort((a, b) => a.key - b.key)
      .map((c) => ({
        callerId: c.id,
        language: c.language,
        mode: c.mode,
        priority: c.priority,
        callback: c.callback,
        arrivedAt: c.arrivedAt,
        offerId: c.offer?.id ?? null,
      })),
    agents: [...src.agents].map((a) => ({
      agentId: a.id,
      languages: [...a.tags],
      shift: a.shift,
      presence: a.presence,
      missedOffers: a.missedInRow,
      offerId: a.offer?.id ?? null,
      matchId: a.match?.id ?? null,
    })),
    volunteers: [...src.volunteers].map((v) => ({
      volunteerId: v.id,
      languages: [...v.tags],
      presence: v.presence,
      withinHours: inRanges(v.ranges, src.minuteOfWeek),
      invitationId: v.invitation?.id ?? null,
      matchId: v.match?.id ?? null,
    })),
    offers: [...src.offers].map((o) => ({
      offerId: o.id,
      agentId: o.agent.id,
      callerId: o.caller.id,
      expiresAt: o.expiresAt,
      needsInterpreter: o.needsInterpreter,
    })),
    matches: [...src.matches].map((m) => ({
      matchId: m.id,
      callerId: m.caller.id,
      agentId: m.agent.id,
      language: m.caller.language,
      mode: m.caller.mode,
      needsInterpreter: m.needsInterpreter,
      interpreterId: m.interpreter?.id ?? null,
      invitationIds: [...m.invitations].map((i) => i.id),
    })),
    invitations: [...src.invitations].map((i) => ({
      invitationId: i.id,
      volunteerId: i.volunteer.id,
      matchId: i.match.id,
      expiresAt: i.expiresAt,
    })),
  };
}
