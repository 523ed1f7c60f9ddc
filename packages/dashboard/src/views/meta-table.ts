import { type Html, html } from '../html.js';

/** A definition list of a record's fields; empty values are left out. */
export function dl(entries: [string, unknown][]): Html {
  return html`<dl class="meta-table">${entries
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(
      ([k, v]) =>
        html`<div><dt>${k}</dt><dd>${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>`,
    )}</dl>`;
}
