import type { FeedHealthView } from '@lightbox/desk';
import { pct, timeAgo } from '../format.js';
import { type Html, html } from '../html.js';

function state(f: FeedHealthView): Html {
  if (f.silent) return html`<span class="badge feed-silent">Silent</span>`;
  if (f.rejecting) return html`<span class="badge feed-rejecting">Rejecting</span>`;
  return html`<span class="badge feed-ok">OK</span>`;
}

function incidents(f: FeedHealthView): Html {
  const all = [...f.openIncidents, ...f.recentIncidents];
  if (all.length === 0) return html`<span class="empty">none</span>`;
  return html`<ul class="incidents">${all.map(
    (i) =>
      html`<li class="${i.closedAt ? 'closed' : 'open'}"><strong>${i.kind === 'silence' ? 'Silence' : 'Rejections'}</strong> from <time datetime="${i.openedAt}">${i.openedAt.slice(0, 16).replace('T', ' ')}</time>${i.closedAt ? html` to <time datetime="${i.closedAt}">${i.closedAt.slice(0, 16).replace('T', ' ')}</time>` : ' (open)'}: ${i.reason}</li>`,
  )}</ul>`;
}

/** Every feed: last arrival, what its cadence expects, recent transmissions and rejections, incidents. */
export function feedsPage(feeds: FeedHealthView[], now = Date.now()): Html {
  return html`<h1>Feeds</h1>
  <p class="help">A feed is <strong>silent</strong> when several arrivals its cadence expects did not come (the cadence is set in the feed rules file or learned from its arrivals per UTC hour), and <strong>rejecting</strong> when its share of bad transmissions jumped. Each incident sends one <code>feed.silent</code> or <code>feed.rejecting</code> webhook and one <code>feed.recovered</code>.</p>
  ${
    feeds.length === 0
      ? html`<p class="empty">No feed has sent anything yet.</p>`
      : html`<table class="feeds"><thead><tr><th scope="col">Feed</th><th scope="col">State</th><th scope="col">Last arrival</th><th scope="col">Expected this hour</th><th scope="col">Last hour</th><th scope="col">Rejected</th><th scope="col">Incidents</th></tr></thead>
  <tbody>${feeds.map(
    (f) => html`<tr data-feed="${f.feed}" class="${f.silent || f.rejecting ? 'alarm' : ''}">
      <th scope="row">${f.feed}</th>
      <td>${state(f)}</td>
      <td>${f.lastArrivalAt ? html`<time datetime="${f.lastArrivalAt}">${timeAgo(f.lastArrivalAt, now)}</time>` : 'never'}</td>
      <td>${f.expectedThisHour === null ? '—' : html`${Math.round(f.expectedThisHour * 10) / 10} <small>(${f.cadence})</small>`}</td>
      <td>${f.recent.transmissions}</td>
      <td>${f.recent.rejected} (${pct(f.recent.rejectionRate)})</td>
      <td>${incidents(f)}</td>
    </tr>`,
  )}</tbody></table>`
  }`;
}
