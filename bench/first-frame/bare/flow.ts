// One bare call: two pages of the bare flow in a room of their own; `a` starts it.
import type { Browser, Page } from 'playwright-core';
import { newContext, watchErrors } from '../../../test/e2e/browser';
import { acceptAndFrames, stampAcceptOn } from '../stamps';
import { collectTimelines, type Timelines } from '../timeline';

export interface BarePages {
  a: Page;
  b: Page;
  /** The steps each page stamped, per call. */
  timelines: Timelines;
}

export async function openBarePages(browser: Browser, url: string): Promise<BarePages> {
  const open = async (name: string) => {
    const page = await (await newContext(browser, url, 'en')).newPage();
    watchErrors(page, name);
    return page;
  };
  return { a: await open('bare a'), b: await open('bare b'), timelines: new Map() };
}

let rooms = 0;

/** accept (a's start) → first decoded remote frame on both pages, in ms. */
export async function bareCall({ a, b, timelines }: BarePages): Promise<number> {
  const room = `r${++rooms}`;
  // b waits for the call as the caller does; a has its camera open, as the agent's page will.
  await b.goto(`/?room=${room}&peer=b`);
  await a.goto(`/?room=${room}&peer=a`);
  for (const page of [a, b]) await page.waitForFunction(() => (window as { bareReady?: boolean }).bareReady);
  await stampAcceptOn(a, '#start');
  await a.click('#start');
  const { ms, acceptedAt, frames } = await acceptAndFrames(a, [a, b]);
  await collectTimelines(timelines, { a, b }, acceptedAt, { a: frames[0]!, b: frames[1]! });
  // Leaving the pages closes their sockets: the server closes the transports and the router.
  for (const page of [a, b]) await page.goto('about:blank');
  return ms;
}
