// Which caller classes compete for the same people, used by positions and estimates.
//
// Two classes compete when at least one online agent could take a caller from either (directly, or as
// the agent of a bridged call when the language can be bridged). A class always competes with itself.
// Agents are grouped by language set ("sig"), so the graph is O(classes² × sigs) to rebuild and is
// only rebuilt when a sig's online count goes to or from zero, bridging becomes possible or
// impossible for a language, or a new class appears; counts are read live in between.
import { serves } from './languages';
import type { AgentSig, CallerClass } from './records';

export function servesDirectly(sig: AgentSig, cls: CallerClass): boolean {
  if (cls.language === null) return true;
  const lang = cls.language;
  return sig.tags.some((t) => serves(t, lang));
}

export function rebuildCompetition(classes: readonly CallerClass[], sigs: readonly AgentSig[]): void {
  const eligible = new Map<CallerClass, Set<AgentSig>>();
  for (const cls of classes) {
    cls.directSigs = [];
    cls.bridgeSigs = [];
    for (const sig of sigs) {
      if (sig.online === 0) continue;
      if (servesDirectly(sig, cls)) cls.directSigs.push(sig);
      else if (cls.language !== null && cls.bridgeCapable && sig.speaksBridge) cls.bridgeSigs.push(sig);
    }
    eligible.set(cls, new Set([...cls.directSigs, ...cls.bridgeSigs]));
  }
  for (const cls of classes) {
    const mine = eligible.get(cls) ?? new Set<AgentSig>();
    const region = new Set<AgentSig>(mine);
    cls.competitors = [];
    for (const other of classes) {
      const theirs = eligible.get(other) ?? new Set<AgentSig>();
      if (other === cls || [...theirs].some((s) => mine.has(s))) {
        cls.competitors.push(other);
        for (const s of theirs) region.add(s);
      }
    }
    cls.regionSigs = [...region];
  }
}

const sumOnline = (sigs: readonly AgentSig[]): number => sigs.reduce((n, s) => n + s.online, 0);

/** Online agents who could serve someone in this class's competition region. */
export function regionStaff(cls: CallerClass): number {
  return sumOnline(cls.regionSigs);
}

/**
 * Online staff able to take this class: agents with the language, plus bridge agents limited by the
 * number of volunteers for the language who are online within their hours.
 */
export function classStaff(cls: CallerClass, capableVolunteers: number): number {
  const direct = sumOnline(cls.directSigs);
  const bridge = cls.bridgeSigs.length === 0 ? 0 : Math.min(sumOnline(cls.bridgeSigs), capableVolunteers);
  return direct + bridge;
}
