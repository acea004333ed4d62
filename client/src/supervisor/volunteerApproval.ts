// Volunteer approval: those awaiting it first (with Approve), then approved and disabled ones
// (with Revoke). Rows are keyed by volunteer, so a refresh keeps the focused button where it is.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { i18n, t, type TranslationKey } from '../i18n';
import type { Volunteer } from './contract';
import { languageName } from './names';
import { caption } from './tables';

export interface VolunteersState {
  volunteers: Volunteer[] | null;
  failed: boolean;
  /** Volunteer whose approval is being changed now (their button is disabled meanwhile). */
  busy: string | null;
}

export type SetApproval = (v: Volunteer, approved: boolean) => void;

export const isPending = (v: Volunteer) => !v.approved && !v.disabled;

function languagesOf(v: Volunteer): string {
  return new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' }).format(
    v.languages.map(languageName),
  );
}

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
  return html`<table id="${id}-table" class="volunteers">
    ${caption(t(`supervisor:volunteers.${id}Caption`))}
    <thead>
      <tr>
        <th scope="col">${t('supervisor:volunteers.name')}</th>
        <th scope="col">${t('supervisor:volunteers.languages')}</th>
        <th scope="col">${third}</th>
        <th scope="col">${t('supervisor:volunteers.action')}</th>
      </tr>
    </thead>
    <tbody id="${id}-body">
      ${
        volunteers.length === 0
          ? html`<tr class="empty">
              <td colspan="4">${t(emptyKey)}</td>
            </tr>`
          : repeat(volunteers, (v) => v.id, row)
      }
    </tbody>
  </table>`;
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
          ${nameCell(v)}
          <td>${languagesOf(v)}</td>
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
          ${nameCell(v)}
          <td>${languagesOf(v)}</td>
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
