import type { AuditEntry } from '@lightbox/catalog';
import { chooseRendition, type GalleryLayout, type GalleryManifest, type Story } from '@lightbox/contracts';
import { type Html, html, jsonAttr, raw } from '../html.js';

export function storiesPage(
  rows: { story: Story; photoCount: number; version?: number }[],
  pagerHtml: Html,
): Html {
  return html`<h1>Stories</h1>
  <details class="new-story"><summary>New story</summary>
    <form hx-post="/dashboard/actions/stories" hx-target="#new-story-result" class="filters">
      <label>Slug <input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" placeholder="super-bowl-lix"></label>
      <label>Headline <input name="headline" required size="40"></label>
      <label>Event name <input name="name" required></label>
      <label>Aliases (comma-separated) <input name="aliases"></label>
      <label>Venue <input name="venue"></label>
      <label>City <input name="city"></label>
      <label>Country <input name="country"></label>
      <label>Start (with offset) <input name="start" required placeholder="2025-02-09T17:30:00-06:00"></label>
      <label>End, or duration <input name="end" required placeholder="2025-02-09T21:30:00-06:00 or PT4H"></label>
      <label>Keywords (comma-separated) <input name="keywords"></label>
      <button type="submit">Create story</button>
    </form>
    <div id="new-story-result" role="status"></div>
  </details>
  <table class="stories"><thead><tr><th scope="col">Story</th><th scope="col">Event</th><th scope="col">When</th><th scope="col">Photos</th><th scope="col">Status</th></tr></thead>
  <tbody>${rows.map(
    ({ story: s, photoCount }) => html`<tr data-story-id="${s.id}">
      <td><a href="/dashboard/stories/${s.id}">${s.headline}</a><br><small>${s.slug}</small></td>
      <td>${s.event.name}${s.event.city ? html`, ${s.event.city}` : ''}</td>
      <td>${s.event.start} – ${s.event.end}</td>
      <td>${photoCount}</td>
      <td><span class="badge story-${s.status}">${s.status}</span></td>
    </tr>`,
  )}</tbody></table>
  ${pagerHtml}`;
}

export function storyPage(
  story: Story,
  manifest: GalleryManifest | undefined,
  layout: GalleryLayout,
  links: { manifest: string; jsonFeed: string; rssFeed: string },
  audit: AuditEntry[],
): Html {
  const photos = manifest?.photos ?? [];
  return html`<h1>${story.headline}</h1>
  <p class="meta">${story.event.name} · ${story.event.start} – ${story.event.end} · <span class="badge story-${story.status}">${story.status}</span></p>
  <p class="published" id="published" data-story-id="${story.id}" data-version="${manifest?.version ?? 0}" role="status">
    ${manifest ? html`Published version <strong id="published-version">${manifest.version}</strong> at <time datetime="${manifest.updatedAt}">${manifest.updatedAt}</time>${manifest.final ? ' (final)' : ''}` : 'Not published yet'}
  </p>
  <p class="links"><a href="${links.manifest}">Manifest (S3)</a> · <a href="${links.jsonFeed}">JSON Feed</a> · <a href="${links.rssFeed}">RSS</a> · <a href="/examples/gallery-page/?manifest=${encodeURIComponent(links.manifest)}">Example page</a></p>
  <section aria-labelledby="g-h">
    <h2 id="g-h">Gallery (${photos.length} photos)</h2>
    <p class="help" id="g-help">Drag photos to reorder, or use the Up and Down buttons; then Save order. Near-duplicates move as one group; Make lead shows an alternate in its group's place. The cover is shown first by downstream pages.</p>
    <ol class="gallery" id="gallery" data-story-id="${story.id}" aria-describedby="g-help">
      ${photos.map(
        (
          p,
          i,
        ) => html`<li class="tile${p.photoId === manifest?.cover ? ' cover' : ''}" draggable="true" data-photo-id="${p.photoId}">
          <img${p.sensitive ? raw(' class="blurred"') : ''} src="${chooseRendition(p.renditions)?.url ?? ''}" alt="${p.alt ?? ''}" width="160" height="107" loading="lazy">
          ${p.digitalSourceType ? html`<span class="badge source-label">${p.digitalSourceType.label}</span>` : ''}${p.sensitive ? html` <span class="badge sensitive-label" title="${p.sensitiveReason ?? ''}">Sensitive</span>` : ''}
          <p class="caption">${p.caption?.slice(0, 120) ?? ''}</p>
          <p class="credit">${p.credit ?? ''}</p>
          ${p.photoId === manifest?.cover ? html`<p class="cover-label">Cover</p>` : ''}
          <div class="tile-actions">
            <button type="button" data-move="up" aria-label="Move ${p.photoId} up"${i === 0 ? raw(' disabled') : ''}>Up</button>
            <button type="button" data-move="down" aria-label="Move ${p.photoId} down"${i === photos.length - 1 ? raw(' disabled') : ''}>Down</button>
            <button type="button" data-cover aria-label="Make ${p.photoId} the cover">Pin cover</button>
            <button type="button" class="danger" hx-post="/dashboard/actions/photos/${p.photoId}/unassign" hx-target="closest li" hx-swap="outerHTML" aria-label="Remove ${p.photoId} from the gallery">Remove</button>
          </div>
          ${p.alternates.length > 0 ? html`<details><summary>${p.alternates.length} alternate${p.alternates.length === 1 ? '' : 's'}</summary>${p.alternates.map((a) => html`<figure class="alternate" data-photo-id="${a.photoId}"><img src="${[...a.renditions].sort((x, y) => x.width - y.width)[0]?.url ?? ''}" alt="Alternate ${a.photoId}" width="80" loading="lazy"><button type="button" hx-post="/dashboard/actions/stories/${story.id}/leads/${a.photoId}" hx-target="#save-state" hx-swap="innerHTML" aria-label="Show ${a.photoId} instead of ${p.photoId}">Make lead</button></figure>`)}</details>` : ''}
        </li>`,
      )}
    </ol>
    <button type="button" id="save-order" data-layout="${jsonAttr(layout)}">Save order</button>
    <span id="save-state" role="status" aria-live="polite"></span>
  </section>
  <section aria-labelledby="a-h"><h2 id="a-h">Audit trail</h2>
    <ol class="audit">${audit.map((a) => html`<li><time datetime="${a.at}">${a.at}</time> <strong>${a.actor}</strong> ${a.action}${a.detail ? html` — ${a.detail}` : ''}</li>`)}</ol>
  </section>`;
}

export function loginPage(error?: string, next = '/'): Html {
  return html`<div class="login">
    <h1>Lightbox</h1>
    <form method="post" action="/login">
      <input type="hidden" name="next" value="${next}">
      <label for="token">Editor or admin token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
      <button type="submit">Sign in</button>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    </form>
  </div>`;
}
