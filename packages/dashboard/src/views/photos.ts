import type { Story } from '@lightbox/contracts';
import type { PhotoDetail, PhotoSummary } from '@lightbox/desk';
import { pct, STATUS_LABELS, timeAgo } from '../format.js';
import { type Html, html, raw } from '../html.js';
import { dl } from './meta-table.js';
import { badge, thumb } from './parts.js';
import { photoLabels, previewFigure, provenanceSection } from './provenance.js';

export interface PhotoQueryView {
  q: string;
  status: string;
  agency: string;
  story: string;
  from: string;
  to: string;
}

export function photosPage(
  query: PhotoQueryView,
  rows: PhotoSummary[],
  pagerHtml: Html,
  total: number,
  stories: Story[],
): Html {
  const opt = (value: string, label: string, current: string) =>
    html`<option value="${value}"${value === current ? raw(' selected') : ''}>${label}</option>`;
  return html`<h1>Photos</h1>
  <form class="filters" method="get" action="/dashboard/photos" role="search" aria-label="Search photos">
    <label>Words <input type="search" name="q" value="${query.q}"></label>
    <label>Status <select name="status">${opt('', 'any', query.status)}${Object.entries(STATUS_LABELS).map(([v, l]) => opt(v, l, query.status))}</select></label>
    <label>Agency <input name="agency" value="${query.agency}" size="10"></label>
    <label>Story <select name="story">${opt('', 'any', query.story)}${stories.map((s) => opt(s.id, s.slug, query.story))}</select></label>
    <label>Taken from <input type="date" name="from" value="${query.from}"></label>
    <label>to <input type="date" name="to" value="${query.to}"></label>
    <button type="submit">Search</button>
  </form>
  <p class="count" role="status">${total} photo${total === 1 ? '' : 's'}</p>
  <table class="photos">
    <thead><tr><th scope="col"><span class="visually-hidden">Thumbnail</span></th><th scope="col">Caption</th><th scope="col">Credit</th><th scope="col">Taken</th><th scope="col">Status</th><th scope="col">Story / reason</th></tr></thead>
    <tbody>${rows.map(
      (p) => html`<tr data-photo-id="${p.photoId}">
        <td>${thumb(p.thumbnail ?? undefined, '', p.sensitive !== null)}</td>
        <td class="caption"><a href="/dashboard/photos/${p.photoId}">${p.caption?.slice(0, 160) ?? p.filename ?? p.photoId}</a> ${photoLabels(p)}</td>
        <td>${p.credit ?? ''}</td>
        <td>${p.dateCreated ?? '—'}</td>
        <td>${badge(p.status)}</td>
        <td>${p.status !== 'rejected' && p.storyId ? html`<a href="/dashboard/stories/${p.storyId}">${p.storyId}</a>` : (p.reason ?? '')}</td>
      </tr>`,
    )}</tbody>
  </table>
  ${pagerHtml}`;
}

/** The photo page: everything `Desk.photoDetail` returns (the same as `GET /v1/photos/:id`). */
export function photoPage(p: PhotoDetail): Html {
  const m = p.metadata;
  const { versions, audit } = p;
  return html`<h1>Photo ${p.photoId} ${badge(p.status)} ${photoLabels(p)}</h1>
  <div class="photo-detail">
    ${previewFigure(p)}
    <section aria-labelledby="h-meta"><h2 id="h-meta">Metadata</h2>
      ${dl([
        ['Caption', m?.caption],
        ['Headline', m?.headline],
        ['Credit', m?.creditLine ?? m?.credit],
        ['Byline', m?.byline],
        [
          'Taken',
          m?.dateCreated ? `${m.dateCreated}${m.dateZone === 'unknown' ? ' (zone unknown)' : ''}` : undefined,
        ],
        ['Event', m?.event],
        ['Place', [m?.sublocation, m?.city, m?.provinceState, m?.country].filter(Boolean).join(', ')],
        ['Keywords', m?.keywords],
        ['Object name', m?.objectName],
        ['Source', m?.source],
        ['Copyright', m?.copyright],
        ['Usage terms', m?.usageTerms],
        ['Special instructions', m?.specialInstructions],
        ['Size', m?.width ? `${m.width} × ${m.height}` : undefined],
        ['Feed', p.feed],
        ['File', p.filename],
        ['Received', p.receivedAt],
        ['Restrictions', p.restrictions],
        ['Goes live', p.embargoUntil ? `${p.embargoUntil} (${timeAgo(p.embargoUntil)})` : undefined],
        [
          'Embargo released',
          p.embargoReleased ? `${p.embargoReleased.at} by ${p.embargoReleased.by}` : undefined,
        ],
        ['Held', p.hold],
        ['Killed', p.killed ? `${p.killed.at}: ${p.killed.reason}` : undefined],
        ['Error', p.error],
      ])}
    </section>
    ${provenanceSection(p)}
    ${
      p.status === 'embargoed' || p.status === 'held'
        ? html`<section class="waiting" aria-labelledby="h-wait"><h2 id="h-wait">${p.status === 'embargoed' ? 'Embargoed' : 'Held for an editor'}</h2>
      <p>${p.status === 'embargoed' ? html`Not rendered and in no gallery until <time datetime="${p.embargoUntil ?? ''}">${p.embargoUntil ?? ''}</time>.` : html`Held: ${p.hold ?? ''}`}</p>
      <div class="decision" id="decision-${p.photoId}">
        <button hx-post="/dashboard/actions/photos/${p.photoId}/${p.status === 'embargoed' ? 'release-embargo' : 'release-hold'}" hx-target="#decision-${p.photoId}" hx-swap="outerHTML">${p.status === 'embargoed' ? 'Lift the embargo now' : 'Clear the hold'}</button>
      </div></section>`
        : ''
    }
    <section aria-labelledby="h-match"><h2 id="h-match">Story</h2>
      ${p.storyId ? html`<p>In <a href="/dashboard/stories/${p.storyId}">${p.story?.headline ?? p.storyId}</a></p>` : html`<p>In no story.</p>`}
      ${
        p.match
          ? html`<p><strong>${p.match.decision}</strong> ${pct(p.match.score)}${p.match.manual ? html` — decided by ${p.match.manual.by} (${p.match.manual.action}) ${timeAgo(p.match.manual.at)}` : ''}</p>
        <ul>${p.match.reasons.map((r) => html`<li>${r}</li>`)}</ul>
        <h3>Candidates</h3>
        <ol>${p.match.candidates.map((c) => html`<li>${c.slug ?? c.storyId} ${pct(c.score)}<ul>${c.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`)}</ol>`
          : ''
      }
    </section>
    <section aria-labelledby="h-rend"><h2 id="h-rend">Renditions</h2>
      <ul>${(p.renditions ?? []).map((r) => html`<li><a href="${r.url}">${r.name}</a> ${r.width}×${r.height} ${r.format} ${Math.round(r.bytes / 1024)} KB</li>`)}</ul>
    </section>
    <section aria-labelledby="h-versions"><h2 id="h-versions">Versions</h2>
      <ol>${versions.map((v) => html`<li>v${v.version} ${v.kind}${v.outcome && v.outcome !== 'current' ? html` (${v.outcome})` : ''} · ${v.receivedAt} · ${v.feed}${v.reason ? html` · ${v.reason}` : ''}${v.rejection ? html` · refused: ${v.rejection}` : ''}${v.caption ? html`<br><q>${v.caption}</q>` : ''}</li>`)}</ol>
    </section>
    <section aria-labelledby="h-audit"><h2 id="h-audit">Audit trail</h2>
      ${audit.length === 0 ? html`<p>No editor actions.</p>` : html`<ol class="audit">${audit.map((a) => html`<li><time datetime="${a.at}">${a.at}</time> <strong>${a.actor}</strong> ${a.action}${a.detail ? html` — ${a.detail}` : ''}</li>`)}</ol>`}
    </section>
  </div>`;
}
