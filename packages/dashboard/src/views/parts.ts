import type { Photo } from '@lightbox/contracts';
import { STATUS_LABELS } from '../format.js';
import { html } from '../html.js';

/** A status badge: text and colour (never colour alone). */
export const badge = (status: string) =>
  html`<span class="badge status-${status}">${STATUS_LABELS[status as Photo['status']] ?? status}</span>`;

/** A thumbnail; a sensitive picture's is blurred (its photo page shows it on request). */
export const thumb = (url: string | undefined, alt: string, sensitive = false) =>
  url
    ? html`<img class="thumb${sensitive ? ' blurred' : ''}" src="${url}" alt="${alt}" loading="lazy" width="96" height="64">`
    : html`<span class="thumb none" aria-hidden="true"></span>`;
