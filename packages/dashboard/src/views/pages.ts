import type { ActivityEvent } from '@lightbox/activity';
import type { AuditEntry } from '@lightbox/catalog';
import type { GalleryLayout, GalleryManifest, Photo, PhotoVersion, Story } from '@lightbox/contracts';
import type { DeadLetter } from '@lightbox/queue';
import { pct, STATUS_LABELS, timeAgo } from '../format.js';
import { type Html, html, jsonAttr, raw } from '../html.js';
import type { Overview } from '../overview.js';
import { dl } from './meta-table.js';
import { photoLabels, previewFigure, previewKey, provenanceSection } from './provenance.js';

const badge = (status: string) =>
  html`<span class="badge status-${status}">${STATUS_LABELS[status as Photo['status']] ?? status}</span>`;

/** A thumbnail; a sensitive picture's is blurred (its photo page shows it on request). */
const thumb = (url: string | undefined, alt: string, sensitive = false) =>
  url
    ? html`<img class="thumb${sensitive ? ' blurred' : ''}" src="${url}" alt="${alt}" loading="lazy" width="96" height="64">`
    : html`<span class="thumb none" aria-hidden="true"></span>`;

/** One row of the live feed; the browser builds the same markup from SSE events (dashboard.js). */
export function feedRow(e: ActivityEvent): Html {
  return html`<tr data-photo-id="${e.photoId ?? ''}" class="kind-${e.kind}">
    <td>${thumb(e.thumbnail, '')}</td>
    <td><time datetime="${e.at}">${e.at.slice(11, 19)}</time></td>
    <td>${badge(e.kind === 'failed' ? 'rejected' : e.kind)}${e.kind === 'failed' ? html` <span>failed (${e.stage})</span>` : ''}</td>
    <td class="caption">${e.photoId ? html`<a href="/dashboard/photos/${e.photoId}">${e.caption ?? e.photoId}</a>` : (e.reason ?? '')}</td>
    <td>${e.credit ?? ''}</td>
    <td>${e.storySlug ? html`<a href="/dashboard/stories/${e.storyId}">${e.storySlug}</a>` : ''}${e.score !== undefined ? html` <span class="score">${pct(e.score)}</span>` : ''}</td>
  </tr>`;
}

function stageCard(s: Overview['stages'][number]): Html {
  const label = s.name === 'webhook' ? 'webhooks' : s.name;
  return html`<section class="card" data-stage="${s.name}" aria-labelledby="card-${s.name}">
    <h3 id="card-${s.name}">${label} <span class="state" data-field="state">${s.paused ? 'paused' : s.workers === 0 ? 'no worker' : `${s.workers} worker${s.workers === 1 ? '' : 's'}`}</span></h3>
    <dl>
      <div><dt>waiting</dt><dd data-field="waiting">${s.waiting}</dd></div>
      <div><dt>active</dt><dd data-field="active">${s.active}</dd></div>
      <div><dt>delayed</dt><dd data-field="delayed">${s.delayed}</dd></div>
      <div><dt>failed</dt><dd data-field="failed">${s.failed}</dd></div>
      <div><dt>done, last hour</dt><dd data-field="completedLastHour">${s.completedLastHour}</dd></div>
    </dl>
  </section>`;
}

export function overviewPage(o: Overview, recent: ActivityEvent[]): Html {
  return html`<h1>Overview</h1>
  <div id="problems" data-problems="${jsonAttr(o.problems)}">${o.problems.map((p) => html`<p class="problem"><strong>Problem:</strong> ${p}</p>`)}</div>
  <p class="summary">
    <a href="/dashboard/review">${o.photos.review ?? 0} need review</a> ·
    <a href="/dashboard/photos?status=held">${o.photos.held ?? 0} held for an editor</a> ·
    <a href="/dashboard/photos?status=unmatched">${o.photos.unmatched ?? 0} unmatched</a> ·
    <a href="/dashboard/photos?status=rejected">${o.photos.rejected ?? 0} rejected</a> ·
    ${o.photos.published ?? 0} published · Redis ${o.redis ? 'up' : 'DOWN'} · S3 ${o.s3 ? 'up' : 'DOWN'}
  </p>
  <h2>Pipeline</h2>
  <div class="cards" id="stage-cards">${o.stages.map(stageCard)}</div>
  <div class="charts">
    <figure><figcaption>Photos per minute, last 60 minutes</figcaption><div id="chart-throughput" class="chart" role="img" aria-label="Photos received and published per minute"></div></figure>
    <figure><figcaption>Arrival → published, last 15 minutes (p50 <span id="latency-p50">${o.stats?.latency.p50 ?? '—'}</span> ms, p95 <span id="latency-p95">${o.stats?.latency.p95 ?? '—'}</span> ms)</figcaption><div id="chart-latency" class="chart" role="img" aria-label="Latency p50 and p95 per minute"></div></figure>
  </div>
  <script type="application/json" id="initial-stats">${raw(JSON.stringify(o).replace(/</g, '\\u003c'))}</script>
  <h2 id="live-heading">Live arrivals <span class="live-state" id="live-state">connecting…</span></h2>
  <table class="feed" aria-labelledby="live-heading">
    <thead><tr><th scope="col"><span class="visually-hidden">Thumbnail</span></th><th scope="col">Time</th><th scope="col">Status</th><th scope="col">Caption</th><th scope="col">Credit</th><th scope="col">Story</th></tr></thead>
    <tbody id="live-feed">${recent.filter((e) => e.kind !== 'gallery').map(feedRow)}</tbody>
  </table>`;
}

function candidates(p: Photo, stories: Map<string, Story>): Html {
  const list = p.match?.candidates ?? [];
  if (list.length === 0) return html`<p>No candidate story.</p>`;
  return html`<ol class="candidates">${list.map((c) => {
    const s = stories.get(c.storyId);
    return html`<li>
      <strong>${s?.headline ?? c.storyId}</strong> <span class="score">${pct(c.score)}</span>${s?.status === 'closed' ? ' (closed)' : ''}
      <ul class="reasons">${c.reasons.map((r) => html`<li>${r}</li>`)}</ul>
      <button type="button" hx-post="/dashboard/actions/photos/${p.photoId}/assign" hx-vals="${jsonAttr({ storyId: c.storyId })}" hx-target="closest article" hx-swap="outerHTML" aria-label="Assign ${p.photoId} to ${s?.slug ?? c.storyId}">Assign to ${s?.slug ?? c.storyId}</button>
    </li>`;
  })}</ol>`;
}

export function reviewCard(
  p: Photo,
  stories: Map<string, Story>,
  openStories: Story[],
  thumbUrl?: string,
): Html {
  return html`<article class="review" data-photo-id="${p.photoId}" aria-labelledby="t-${p.photoId}">
    ${thumb(thumbUrl, p.metadata?.caption ?? '', p.sensitive !== undefined)}
    <div class="body">
      <h3 id="t-${p.photoId}"><a href="/dashboard/photos/${p.photoId}">${p.metadata?.headline ?? p.metadata?.caption?.slice(0, 90) ?? p.photoId}</a></h3>
      <p class="caption">${p.metadata?.caption ?? ''}</p>
      <p class="meta">${p.metadata?.creditLine ?? p.metadata?.credit ?? ''} · ${p.metadata?.dateCreated ?? 'no date'} · ${badge(p.status)} ${photoLabels(p)}</p>
      <p class="why"><strong>Why:</strong> ${p.match?.reasons.join('; ') ?? ''}</p>
      ${candidates(p, stories)}
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
  rows: { photo: Photo; thumb?: string }[],
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
      ({ photo: p, thumb: t }) => html`<tr data-photo-id="${p.photoId}">
        <td>${thumb(t, '', p.sensitive !== undefined)}</td>
        <td class="caption"><a href="/dashboard/photos/${p.photoId}">${p.metadata?.caption?.slice(0, 160) ?? p.filename ?? p.photoId}</a> ${photoLabels(p)}</td>
        <td>${p.metadata?.creditLine ?? p.metadata?.credit ?? ''}</td>
        <td>${p.metadata?.dateCreated ?? '—'}</td>
        <td>${badge(p.status)}</td>
        <td>${p.status === 'rejected' ? (p.error ?? '') : p.storyId ? html`<a href="/dashboard/stories/${p.storyId}">${p.storyId}</a>` : (p.match?.reasons[0] ?? '')}</td>
      </tr>`,
    )}</tbody>
  </table>
  ${pagerHtml}`;
}

export function photoPage(
  p: Photo,
  versions: PhotoVersion[],
  audit: AuditEntry[],
  stories: Map<string, Story>,
  urlFor: (key: string) => string,
): Html {
  const m = p.metadata;
  const preview = previewKey(p);
  return html`<h1>Photo ${p.photoId} ${badge(p.status)} ${photoLabels(p)}</h1>
  <div class="photo-detail">
    ${previewFigure(p, preview ? urlFor(preview) : undefined)}
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
    ${provenanceSection(p, urlFor)}
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
      ${p.storyId ? html`<p>In <a href="/dashboard/stories/${p.storyId}">${stories.get(p.storyId)?.headline ?? p.storyId}</a></p>` : html`<p>In no story.</p>`}
      ${
        p.match
          ? html`<p><strong>${p.match.decision}</strong> ${pct(p.match.score)}${p.match.manual ? html` — decided by ${p.match.manual.by} (${p.match.manual.action}) ${timeAgo(p.match.manual.at)}` : ''}</p>
        <ul>${p.match.reasons.map((r) => html`<li>${r}</li>`)}</ul>
        <h3>Candidates</h3>
        <ol>${p.match.candidates.map((c) => html`<li>${stories.get(c.storyId)?.slug ?? c.storyId} ${pct(c.score)}<ul>${c.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`)}</ol>`
          : ''
      }
    </section>
    <section aria-labelledby="h-rend"><h2 id="h-rend">Renditions</h2>
      <ul>${(p.renditions ?? []).map((r) => html`<li><a href="${urlFor(r.key)}">${r.name}</a> ${r.width}×${r.height} ${r.format} ${Math.round(r.bytes / 1024)} KB</li>`)}</ul>
    </section>
    <section aria-labelledby="h-versions"><h2 id="h-versions">Versions</h2>
      <ol>${versions.map((v) => html`<li>v${v.version} ${v.kind}${v.outcome && v.outcome !== 'current' ? html` (${v.outcome})` : ''} · ${v.receivedAt} · ${v.feed}${v.reason ? html` · ${v.reason}` : ''}${v.caption ? html`<br><q>${v.caption}</q>` : ''}</li>`)}</ol>
    </section>
    <section aria-labelledby="h-audit"><h2 id="h-audit">Audit trail</h2>
      ${audit.length === 0 ? html`<p>No editor actions.</p>` : html`<ol class="audit">${audit.map((a) => html`<li><time datetime="${a.at}">${a.at}</time> <strong>${a.actor}</strong> ${a.action}${a.detail ? html` — ${a.detail}` : ''}</li>`)}</ol>`}
    </section>
  </div>`;
}

export interface FailedJobView {
  id: string;
  stage: string;
  photoId?: string;
  storyId?: string;
  reason: string;
  attempts: number;
  maxAttempts: number;
  failedAt?: number;
}

/** Retry and Discard for a failed job or a dead letter (the server decides whether each is allowed). */
function jobButtons(stage: string, jobId: string): Html {
  const path = `/dashboard/actions/jobs/${stage}/${encodeURIComponent(jobId)}`;
  return html`<button type="button" hx-post="${path}/retry" hx-target="closest tr" hx-swap="outerHTML" aria-label="Retry job ${jobId}">Retry</button>
    <button type="button" class="danger" hx-post="${path}/discard" hx-target="closest tr" hx-swap="outerHTML" hx-confirm="Discard job ${jobId}? It will not run again." aria-label="Discard job ${jobId}">Discard</button>`;
}

export function failuresPage(
  stages: { name: string; paused: boolean; failed: number; jobs: FailedJobView[] }[],
  dead: { total: number; letters: DeadLetter[] } = { total: 0, letters: [] },
): Html {
  return html`<h1>Failures</h1>
  <section class="dead-letters" aria-labelledby="dl-h">
    <h2 id="dl-h">Dead letters <span class="count">(${dead.total})</span></h2>
    <p>Jobs that failed for good. They stay here until retried successfully or discarded; nothing just disappears.</p>
    ${
      dead.letters.length > 0
        ? html`<table class="jobs"><thead><tr><th scope="col">Stage</th><th scope="col">Job</th><th scope="col">Photo / story</th><th scope="col">Error</th><th scope="col">Attempts</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
        ${dead.letters.map(
          (
            d,
          ) => html`<tr data-dead-letter="${d.stage}:${d.jobId}"><td>${d.stage}</td><td>${d.jobId}</td><td>${d.photoId ? html`<a href="/dashboard/photos/${d.photoId}">${d.photoId}</a>` : (d.storyId ?? '')}</td><td class="error">${d.badInput ? 'bad input: ' : ''}${d.error}</td><td>${d.attempts}</td><td>${timeAgo(d.failedAt)}</td>
          <td>${jobButtons(d.stage, d.jobId)}</td></tr>`,
        )}
      </tbody></table>`
        : html`<p class="empty">None.</p>`
    }
  </section>
  ${stages.map(
    (s) => html`<section class="stage-failures" data-stage="${s.name}" aria-labelledby="f-${s.name}">
      <h2 id="f-${s.name}">${s.name} <span class="count">${s.failed} failed</span> <span class="state">${s.paused ? 'paused' : 'running'}</span></h2>
      <div class="actions">
        ${
          s.paused
            ? html`<button type="button" hx-post="/dashboard/actions/queues/${s.name}/resume" hx-target="closest section" hx-swap="outerHTML" hx-select="section[data-stage='${s.name}']">Resume ${s.name}</button>`
            : html`<button type="button" hx-post="/dashboard/actions/queues/${s.name}/pause" hx-target="closest section" hx-swap="outerHTML" hx-select="section[data-stage='${s.name}']">Pause ${s.name}</button>`
        }
        ${s.failed > 0 ? html`<button type="button" hx-post="/dashboard/actions/queues/${s.name}/retry-all" hx-target="closest section" hx-swap="outerHTML" hx-select="section[data-stage='${s.name}']">Retry all ${s.failed} in ${s.name}</button>` : ''}
      </div>
      ${
        s.jobs.length > 0
          ? html`<table class="jobs"><thead><tr><th scope="col">Job</th><th scope="col">Photo / story</th><th scope="col">Error</th><th scope="col">Attempts</th><th scope="col">Failed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
          ${s.jobs.map(
            (j) => html`<tr data-job-id="${j.id}">
              <td>${j.id}</td>
              <td>${j.photoId ? html`<a href="/dashboard/photos/${j.photoId}">${j.photoId}</a>` : j.storyId ? html`<a href="/dashboard/stories/${j.storyId}">${j.storyId}</a>` : ''}</td>
              <td class="error">${j.reason}</td>
              <td>${j.attempts} of ${j.maxAttempts}</td>
              <td>${j.failedAt ? timeAgo(j.failedAt) : ''}</td>
              <td>${jobButtons(s.name, j.id)}</td>
            </tr>`,
          )}</tbody></table>`
          : html`<p class="empty">No failed jobs.</p>`
      }
    </section>`,
  )}`;
}

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
    <p class="help" id="g-help">Drag photos to reorder, or use the Up and Down buttons; then Save order. The cover is shown first by downstream pages.</p>
    <ol class="gallery" id="gallery" data-story-id="${story.id}" aria-describedby="g-help">
      ${photos.map(
        (
          p,
          i,
        ) => html`<li class="tile${p.photoId === manifest?.cover ? ' cover' : ''}" draggable="true" data-photo-id="${p.photoId}">
          <img${p.sensitive ? raw(' class="blurred"') : ''} src="${[...p.renditions].sort((a, b) => a.width - b.width)[0]?.url ?? ''}" alt="${p.alt ?? ''}" width="160" height="107" loading="lazy">
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
          ${p.alternates.length > 0 ? html`<details><summary>${p.alternates.length} alternate${p.alternates.length === 1 ? '' : 's'}</summary>${p.alternates.map((a) => html`<img src="${[...a.renditions].sort((x, y) => x.width - y.width)[0]?.url ?? ''}" alt="Alternate ${a.photoId}" width="80" loading="lazy">`)}</details>` : ''}
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
