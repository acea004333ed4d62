// Stamping in the pages: each moment is taken with the page's own Date.now() (one machine, one
// clock), so the figures are accept → frame and not the bench's round trips to the browser.
import type { Page } from 'playwright-core';

/**
 * tsx compiles the bench with esbuild's keepNames, which wraps named functions in a `__name`
 * helper that a function sent to the page does not carry: the page gets a no-op one.
 */
async function nameShim(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (f) => f');
}

type Stamped = Window & { acceptedAt?: number; firstFrameAt?: number; bareError?: string };

/**
 * Forgets the previous call's stamps, then polls every 10 ms until the page decodes video from
 * `from` others (by role: `interpreter` counts only the interpreter's video; null any role).
 */
export async function stampFirstFrame(
  page: Page,
  from: { count: number; role: string | null },
): Promise<void> {
  await nameShim(page);
  await page.evaluate(({ count, role }) => {
    const w = window as Stamped;
    delete w.firstFrameAt;
    delete w.acceptedAt;
    const tick = async (): Promise<void> => {
      const stats = w.relayStats ? await w.relayStats.inbound() : [];
      const senders = new Set(
        stats
          .filter((s) => s.kind === 'video' && s.framesDecoded > 0 && (role === null || s.role === role))
          .map((s) => s.participantId),
      );
      if (senders.size >= count) w.firstFrameAt = Date.now();
      else setTimeout(() => void tick(), 10);
    };
    void tick();
  }, from);
}

/** Stamps `acceptedAt` in the page as the button is clicked, before the page's own handler runs. */
export async function stampAcceptOn(page: Page, selector: string): Promise<void> {
  await nameShim(page);
  await page.evaluate((sel) => {
    document
      .querySelector(sel)!
      .addEventListener('click', () => ((window as Stamped).acceptedAt = Date.now()), {
        capture: true,
        once: true,
      });
  }, selector);
}

export async function waitForFirstFrame(page: Page, timeoutMs = 30_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const w = window as Stamped;
      if (w.bareError) throw new Error(w.bareError);
      return w.firstFrameAt;
    },
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}

export function acceptedAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as Stamped).acceptedAt!);
}

/** The moment the slowest of the pages decoded its first frame, from the accept. */
export async function acceptToFrames(accepting: Page, pages: Page[]): Promise<number> {
  return (await acceptAndFrames(accepting, pages)).ms;
}

/** The same, with the accept's moment and each page's first frame (in the order of `pages`). */
export async function acceptAndFrames(
  accepting: Page,
  pages: Page[],
): Promise<{ ms: number; acceptedAt: number; frames: number[] }> {
  const frames = await Promise.all(pages.map((p) => waitForFirstFrame(p)));
  const at = await acceptedAt(accepting);
  return { ms: Math.max(...frames) - at, acceptedAt: at, frames };
}
