// The steps of setting a call up, stamped with the page's clock: `npm run bench:first-frame` reads
// them (and clears them before each call) to say where the time between an accept and the first
// frame goes. Only the latest MAX_ENTRIES are kept, so a page open all shift holds little.

export interface TimelineEntry {
  step: string;
  at: number;
}

declare global {
  interface Window {
    relayTimeline?: TimelineEntry[];
  }
}

/** A call's set-up stamps a few dozen steps; this keeps several calls' worth. */
const MAX_ENTRIES = 200;

/** Stamps one step of the call's set-up now. */
export function mark(step: string): void {
  const entries = (window.relayTimeline ??= []);
  entries.push({ step, at: Date.now() });
  if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
}
