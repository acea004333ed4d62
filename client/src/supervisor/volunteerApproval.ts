// Volunteer approval: those awaiting it first (with Approve), then approved and disabled ones
// (with Revoke). Rows are keyed by volunteer, so a refresh keeps the focused button where it is.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { i18n, t, type TranslationKey } from '../i18n';
import { slotText } from '../volunteer/HoursEditor';
import type { Volunteer } from './contract';
import { languageName } from './names';
import { caption, scrollBox } from './tables';

export interface VolunteersState {
  volunteers: Volunteer[] | null;
  failed: boolean;
  /** Volunteer whose approval is being changed now (their button is disabled meanwhile). */
  busy: string | null;
}

export type SetApproval = (v: Volunteer, approved: boolean) => void;

export const isPending = (v: Volunteer) => !v.approved && !v.disabled;

type Level = NonNullable<Volunteer['profile']>['languages'][number]['level'];

function levelName(level: Level): string {
  switch (level) {
    case 'native':
      return t('supervisor:volunteers.levels.native');
    case 'fluent':
      return t('supervisor:volunteers.levels.fluent');
    case 'conversational':
      return t('supervisor:volunteers.levels.conversational');
  }
}

const list = (items: string[]) =>
  new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' }).format(items);

/** "Vietnamese (native) and Korean (fluent)": levels from the profile, else the account's tags alone. */
function languagesOf(v: Volunteer): string {
  if (!v.profile) return list(v.languages.map(languageName));
  return list(
    v.profile.languages.map(
      ({ tag, level }) =>
        // A level in brackets reads the same way in every UI language we have.
        `${languageName(tag)} (${levelName(level)})`,
    ),
  );
}

/** Each slot on its own line, in Korea time (as the lobby reads them). */
function hoursOf(v: Volunteer): TemplateResult | string {
  const hours = v.profile?.weeklyHours ?? [];
  if (hours.length === 0) return t('supervisor:volunteers.notGiven');
  return html`<ul class="plain">
    ${hours.map((s) => html`<li>${slotText(s.day, s.start, s.day, s.end)}</li>`)}
  </ul>`;
}

const contactOf = (v: Volunteer) => v.profile?.contact ?? t('supervisor:volunteers.notGiven');

/** The cells every row has after the name: contact, languages with levels, weekly hours. */
const detailCells = (v: Volunteer) =>
  html`<td class="contact">${contactOf(v)}</td>
    <td>${languagesOf(v)}</td>
    <td class="hours">${hoursOf(v)}</td>`;

function actionButton(v: Volunteer, approve: boolean, busy: boolean, act: SetApproval): TemplateResult {
  // The visible word starts the accessible name (WCAG 2.5.3), the name tells rows apart.
  const label = t(approve ? 'supervisor:volunteers.approveNamed' : 'supervisor:volunteers.revokeNamed', {
    name: v.displayName,
  });
  const text = t(approve ? 'supervisor:volunteers.approve' : 'supervisor:volunteers.revoke');
  // One line, so the button's text is the word alone (no formatter whitespace around it).
  // prettier-ignore
  return html`<button type="button" class=${approve ? 'primary' : ''} data-volunteer-id=${v.id} data-action=${approve ? 'approve' : 'revoke'} aria-label=${label} ?disabled=${busy} @click=${() => act(v, approve)}>${text}</button>`;
}

const nameCell = (v: Volunteer) =>
  html`<th scope="row">
    <span class="name">${v.displayName}</span> <span class="username">(${v.username})</span>
  </th>`;

function table(
  id: 'pending' | 'others',
  volunteers: Volunteer[],
  third: string,
  emptyKey: TranslationKey,
  row: (v: Volunteer) => TemplateResult,
): TemplateResult {
  const title =
    id === 'pending' ? t('supervisor:volunteers.pendingCaption') : t('supervisor:volunteers.othersCaption');
  // Six columns (contact and hours among them) are wider than a phone: the table scrolls, the page does not.
  return scrollBox(
    title,
    html`<table id="${id}-table" class="volunteers">
      ${caption(title)}
      <thead>
        <tr>
          <th scope="col">${t('supervisor:volunteers.name')}</th>
          <th scope="col">${t('supervisor:volunteers.contact')}</th>
          <th scope="col">${t('supervisor:volunteers.languages')}</th>
          <th scope="col">${t('supervisor:volunteers.hours')}</th>
          <th scope="col">${third}</th>
          <th scope="col">${t('supervisor:volunteers.action')}</th>
        </tr>
      </thead>
      <tbody id="${id}-body">
        ${
          volunteers.length === 0
            ? html`<tr class="empty">
                <td colspan="6">${t(emptyKey)}</td>
              </tr>`
            : repeat(volunteers, (v) => v.id, row)
        }
      </tbody>
    </table>`,
  );
}

export function volunteerApproval(state: VolunteersState, act: SetApproval): TemplateResult {
  const all = state.volunteers ?? [];
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const pending = all.filter(isPending);
  const others = all.filter((v) => !isPending(v));
  return html`<section aria-labelledby="volunteers-heading">
    <h2 id="volunteers-heading" tabindex="-1">${t('supervisor:volunteers.heading')}</h2>
    <p id="volunteers-failed" class="error" ?hidden=${!state.failed}>
      ${t('supervisor:volunteers.loadFailed')}
    </p>
    ${table(
      'pending',
      pending,
      t('supervisor:volunteers.registered'),
      'supervisor:volunteers.noPending',
      (v) =>
        html`<tr>
          ${nameCell(v)} ${detailCells(v)}
          <td>${date.format(v.createdAt)}</td>
          <td>${actionButton(v, true, state.busy === v.id, act)}</td>
        </tr>`,
    )}
    ${table(
      'others',
      others,
      t('supervisor:volunteers.status'),
      'supervisor:volunteers.noOthers',
      (v) =>
        html`<tr>
          ${nameCell(v)} ${detailCells(v)}
          <td>${t(`supervisor:volunteers.state.${v.disabled ? 'disabled' : 'approved'}`)}</td>
          <td>
            ${
              v.disabled
                ? t('supervisor:volunteers.noAction')
                : actionButton(v, false, state.busy === v.id, act)
            }
          </td>
        </tr>`,
    )}
  </section>`;
}
