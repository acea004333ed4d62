/** Tiny DOM helpers: the pages are plain TypeScript, no framework. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children);
  return el;
}

/** Shows one of a page's views (sections with `data-view`) and hides the others. */
export function showView(name: string, focus = true): void {
  for (const view of document.querySelectorAll<HTMLElement>('[data-view]')) {
    view.hidden = view.dataset['view'] !== name;
  }
  if (focus) {
    // Focus moves to the new view's heading so keyboard and screen-reader users land where things changed.
    const heading = document.querySelector<HTMLElement>(`[data-view="${name}"] h2`);
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }
}
