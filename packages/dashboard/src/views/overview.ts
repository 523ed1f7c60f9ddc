import type { ActivityEvent } from '@lightbox/activity';
import { pct } from '../format.js';
import { type Html, html, jsonAttr, raw } from '../html.js';
import type { Overview } from '../overview.js';
import { badge, thumb } from './parts.js';

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
    <figure><figcaption>Arrival → published, last 15 minutes, embargo and editor waits excluded (p50 <span id="latency-p50">${o.stats?.latency.p50 ?? '—'}</span> ms, p95 <span id="latency-p95">${o.stats?.latency.p95 ?? '—'}</span> ms; waits included: p95 ${o.stats?.latency.withWaits?.p95 ?? '—'} ms)</figcaption><div id="chart-latency" class="chart" role="img" aria-label="Latency p50 and p95 per minute"></div></figure>
  </div>
  <script type="application/json" id="initial-stats">${raw(JSON.stringify(o).replace(/</g, '\\u003c'))}</script>
  <h2 id="live-heading">Live arrivals <span class="live-state" id="live-state">connecting…</span></h2>
  <table class="feed" aria-labelledby="live-heading">
    <thead><tr><th scope="col"><span class="visually-hidden">Thumbnail</span></th><th scope="col">Time</th><th scope="col">Status</th><th scope="col">Caption</th><th scope="col">Credit</th><th scope="col">Story</th></tr></thead>
    <tbody id="live-feed">${recent.filter((e) => e.kind !== 'gallery').map(feedRow)}</tbody>
  </table>`;
}
