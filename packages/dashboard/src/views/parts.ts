import type { Photo } from '@lightbox/contracts';
import { STATUS_LABELS } from '../format.js';
import { html } from '../html.js';

/** A status badge: text and colour (never colour alone). */
export const badge = (status: string) =>
  html`<span class="badge status-${status}">${STATUS_LABELS[status as Photo['status']] ?? status}</span>`;

export const thumb = (url: string | undefined, alt: string) =>
  url
    ? html`<img class="thumb" src="${url}" alt="${alt}" loading="lazy" width="96" height="64">`
    : html`<span class="thumb none" aria-hidden="true"></span>`;
