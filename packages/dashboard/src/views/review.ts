import type { Story } from '@lightbox/contracts';
import type { ReviewItem } from '@lightbox/desk';
import { pct } from '../format.js';
import { type Html, html, jsonAttr } from '../html.js';
import { badge, thumb } from './parts.js';
import { photoLabels } from './provenance.js';

function candidates(p: ReviewItem): Html {
  const list = p.match?.candidates ?? [];
  if (list.length === 0) return html`<p>No candidate story.</p>`;
  return html`<ol class="candidates">${list.map(
    (c) => html`<li>
      <strong>${c.headline ?? c.storyId}</strong> <span class="score">${pct(c.score)}</span>${c.storyStatus === 'closed' ? ' (closed)' : ''}
      <ul class="reasons">${c.reasons.map((r) => html`<li>${r}</li>`)}</ul>
      <button type="button" hx-post="/dashboard/actions/photos/${p.photoId}/assign" hx-vals="${jsonAttr({ storyId: c.storyId })}" hx-target="closest article" hx-swap="outerHTML" aria-label="Assign ${p.photoId} to ${c.slug ?? c.storyId}">Assign to ${c.slug ?? c.storyId}</button>
    </li>`,
  )}</ol>`;
}

/** One photo of the inbox: why the matcher was unsure, its candidates, and the stories near it. */
export function reviewCard(p: ReviewItem, openStories: Story[]): Html {
  return html`<article class="review" data-photo-id="${p.photoId}" aria-labelledby="t-${p.photoId}">
    ${thumb(p.thumbnail ?? undefined, p.caption ?? '', p.sensitive !== null)}
    <div class="body">
      <h3 id="t-${p.photoId}"><a href="/dashboard/photos/${p.photoId}">${p.headline ?? p.caption?.slice(0, 90) ?? p.photoId}</a></h3>
      <p class="caption">${p.caption ?? ''}</p>
      <p class="meta">${p.credit ?? ''} · ${p.dateCreated ?? 'no date'} · ${badge(p.status)} ${photoLabels(p)}</p>
      <p class="why"><strong>Why:</strong> ${p.match?.reasons.join('; ') ?? ''}</p>
      ${candidates(p)}
      <form class="inline" hx-post="/dashboard/actions/photos/${p.photoId}/assign" hx-target="closest article" hx-swap="outerHTML">
        <label for="s-${p.photoId}">Another story</label>
        <select id="s-${p.photoId}" name="storyId">${openStories.map((s) => html`<option value="${s.id}">${s.slug}</option>`)}</select>
        <button type="submit">Assign</button>
      </form>
      <button type="button" class="danger" hx-post="/dashboard/actions/photos/${p.photoId}/reject" hx-target="closest article" hx-swap="outerHTML" aria-label="Reject ${p.photoId} for every story">Reject</button>
    </div>
  </article>`;
}

export function decidedCard(photoId: string, message: string): Html {
  return html`<article class="review decided" data-photo-id="${photoId}" role="status"><p>${message}</p></article>`;
}

export function reviewPage(cards: Html[], pagerHtml: Html, total: number): Html {
  return html`<h1>Needs review <span class="count">(${total})</span></h1>
  <p>Photos the matcher was unsure about, newest first, with the candidate stories and its reasons.</p>
  ${cards.length === 0 ? html`<p class="empty">Nothing to review.</p>` : cards}
  ${pagerHtml}`;
}
