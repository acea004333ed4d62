/**
 * A sign-in form submitted before its page has attached its handler (translations still loading)
 * must not go natively: that would send the password to the page's own URL. Imported first by every
 * page with such a form, this holds that submission (and nothing else) until `formsReady()`, then
 * sends it again, so an Enter pressed early still signs in.
 */
let held: HTMLFormElement | null = null;

function hold(event: SubmitEvent): void {
  event.preventDefault();
  event.stopImmediatePropagation();
  if (event.target instanceof HTMLFormElement) held = event.target;
}

document.addEventListener('submit', hold, true);

/** The page's own handlers are attached: what was held is submitted to them. */
export function formsReady(): void {
  document.removeEventListener('submit', hold, true);
  const form = held;
  held = null;
  form?.requestSubmit();
}
