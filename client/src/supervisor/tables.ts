// Small pieces every table of the page shares.
import { html, type TemplateResult } from 'lit-html';

/**
 * A caption whose text is exactly `text`: the formatter would wrap an inline one in whitespace,
 * which screen readers and tests see.
 */
// prettier-ignore
export const caption = (text: string): TemplateResult => html`<caption>${text}</caption>`;

/**
 * A wide table in a box that scrolls sideways instead of widening the page (320 px must work),
 * focusable and named so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export const scrollBox = (label: string, table: TemplateResult): TemplateResult =>
  html`<div class="table-scroll" role="region" tabindex="0" aria-label=${label}>${table}</div>`;
