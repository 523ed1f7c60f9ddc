// Lightbox dashboard, in the browser. Hand-written ES module, no build step: the live feed (SSE,
// DOM updates batched per animation frame), stage cards and charts (uPlot), and gallery ordering.
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const MAX_ROWS = 100;
/** Badge text per event kind, from the server (src/format.ts), so both render the same words. */
const LABELS = JSON.parse(
  document.querySelector('meta[name="event-labels"]')?.getAttribute('content') ?? '{}',
);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// ---------------------------------------------------------------- live feed
let pending = [];
let scheduled = false;

function feedRow(e) {
  const thumb = e.thumbnail
    ? el('img', { class: 'thumb', src: e.thumbnail, alt: '', loading: 'lazy', width: 96, height: 64 })
    : el('span', { class: 'thumb none', 'aria-hidden': 'true' });
  const status = e.kind === 'failed' ? 'rejected' : e.kind;
  const badge = el('span', { class: `badge status-${status}` }, LABELS[e.kind] ?? e.kind);
  const caption = e.photoId
    ? el('a', { href: `/dashboard/photos/${encodeURIComponent(e.photoId)}` }, e.caption ?? e.photoId)
    : (e.reason ?? '');
  const story = el('td');
  if (e.storySlug)
    story.append(el('a', { href: `/dashboard/stories/${encodeURIComponent(e.storyId)}` }, e.storySlug));
  if (typeof e.score === 'number')
    story.append(' ', el('span', { class: 'score' }, `${Math.round(e.score * 100)}%`));
  return el(
    'tr',
    { 'data-photo-id': e.photoId ?? '', class: `kind-${e.kind}` },
    el('td', {}, thumb),
    el('td', {}, el('time', { datetime: e.at }, e.at.slice(11, 19))),
    el('td', {}, badge, e.kind === 'failed' ? ` failed (${e.stage})` : ''),
    el('td', { class: 'caption' }, caption),
    el('td', {}, e.credit ?? ''),
    story,
  );
}

function flush() {
  scheduled = false;
  const events = pending;
  pending = [];
  const feed = document.getElementById('live-feed');
  if (feed) {
    const rows = events.filter((e) => e.kind !== 'gallery').slice(-MAX_ROWS);
    const fragment = document.createDocumentFragment();
    for (let i = rows.length - 1; i >= 0; i--) fragment.append(feedRow(rows[i]));
    feed.prepend(fragment);
    while (feed.rows.length > MAX_ROWS) feed.deleteRow(-1);
  }
  const published = document.getElementById('published');
  if (published) {
    for (const e of events) {
      if (e.kind !== 'gallery' || e.storyId !== published.dataset.storyId) continue;
      if (Number(e.version) <= Number(published.dataset.version)) continue;
      published.dataset.version = String(e.version);
      published.replaceChildren(
        'Published version ',
        el('strong', { id: 'published-version' }, String(e.version)),
        ` at ${e.at}`,
      );
      const state = document.getElementById('save-state');
      if (state?.dataset.waiting === 'true') {
        state.dataset.waiting = 'false';
        state.textContent = `Published as version ${e.version}.`;
      }
    }
  }
}

function onActivity(events) {
  pending.push(...events);
  if (pending.length > 5000) pending = pending.slice(-MAX_ROWS);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(flush);
  }
}

// ---------------------------------------------------------------- stats, banner, charts
let charts;

function chartData(stats) {
  const perMinute = stats?.perMinute ?? [];
  const latency = stats?.latency?.perMinute ?? [];
  return {
    throughput: [
      perMinute.map((m) => m.minute / 1000),
      perMinute.map((m) => m.received),
      perMinute.map((m) => m.published),
      perMinute.map((m) => m.failed),
    ],
    latency: [latency.map((m) => m.minute / 1000), latency.map((m) => m.p50), latency.map((m) => m.p95)],
  };
}

function makeCharts(stats) {
  const uPlot = window.uPlot;
  const tp = document.getElementById('chart-throughput');
  const lt = document.getElementById('chart-latency');
  if (!uPlot || !tp || !lt) return undefined;
  const width = Math.max(280, Math.min(560, tp.clientWidth || 480));
  const data = chartData(stats);
  return {
    throughput: new uPlot(
      {
        width,
        height: 180,
        series: [
          {},
          { label: 'received', stroke: '#1f5fae', width: 2 },
          { label: 'published', stroke: '#237a3b', width: 2 },
          { label: 'failed', stroke: '#b3261e', width: 2, dash: [6, 4] },
        ],
        axes: [{}, { label: 'photos/min' }],
      },
      data.throughput,
      tp,
    ),
    latency: new uPlot(
      {
        width,
        height: 180,
        series: [
          {},
          { label: 'p50 ms', stroke: '#1f5fae', width: 2 },
          { label: 'p95 ms', stroke: '#8a4b00', width: 2, dash: [6, 4] },
        ],
        axes: [{}, { label: 'ms' }],
      },
      data.latency,
      lt,
    ),
  };
}

function renderBanner(problems) {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.replaceChildren(
    ...(problems ?? []).map((p) => el('p', { class: 'problem' }, el('strong', {}, 'Problem: '), p)),
  );
  banner.classList.toggle('on', (problems ?? []).length > 0);
}

function onStats(o) {
  renderBanner(o.problems);
  for (const s of o.stages ?? []) {
    const card = document.querySelector(`.card[data-stage="${s.name}"]`);
    if (!card) continue;
    for (const field of ['waiting', 'active', 'delayed', 'failed', 'completedLastHour']) {
      const dd = card.querySelector(`[data-field="${field}"]`);
      if (dd && dd.textContent !== String(s[field])) dd.textContent = String(s[field]);
    }
    const state = card.querySelector('[data-field="state"]');
    if (state)
      state.textContent = s.paused
        ? 'paused'
        : s.workers === 0
          ? 'no worker'
          : `${s.workers} worker${s.workers === 1 ? '' : 's'}`;
    card.classList.toggle('paused', s.paused);
  }
  if (o.stats) {
    charts ??= makeCharts(o.stats);
    if (charts) {
      const data = chartData(o.stats);
      charts.throughput.setData(data.throughput);
      charts.latency.setData(data.latency);
    }
    const p50 = document.getElementById('latency-p50');
    const p95 = document.getElementById('latency-p95');
    if (p50) p50.textContent = o.stats.latency.p50 ?? '—';
    if (p95) p95.textContent = o.stats.latency.p95 ?? '—';
  }
}

function connect() {
  const state = document.getElementById('live-state');
  const source = new EventSource('/dashboard/events');
  source.addEventListener('open', () => {
    if (state) state.textContent = 'live';
    document.body.dataset.connected = 'true';
  });
  source.addEventListener('error', () => {
    if (state) state.textContent = 'reconnecting…';
    document.body.dataset.connected = 'false';
  });
  source.addEventListener('activity', (e) => onActivity(JSON.parse(e.data)));
  source.addEventListener('stats', (e) => onStats(JSON.parse(e.data)));
  // The session ended (signed out, expired or revoked): stop, and say so instead of reconnecting.
  source.addEventListener('session-ended', () => {
    source.close();
    if (state) state.textContent = 'signed out';
    document.body.dataset.connected = 'false';
  });
}

// ---------------------------------------------------------------- gallery ordering
function galleryEditor() {
  const list = document.getElementById('gallery');
  const save = document.getElementById('save-order');
  const state = document.getElementById('save-state');
  if (!list || !save || !state) return;
  const storyId = list.dataset.storyId;
  let dragged;

  const refreshButtons = () => {
    const tiles = [...list.querySelectorAll('li.tile[data-photo-id]')];
    tiles.forEach((t, i) => {
      t.querySelector('[data-move="up"]')?.toggleAttribute('disabled', i === 0);
      t.querySelector('[data-move="down"]')?.toggleAttribute('disabled', i === tiles.length - 1);
    });
  };
  const put = async (body, message) => {
    state.textContent = 'Saving…';
    const res = await fetch(`/v1/stories/${encodeURIComponent(storyId)}/gallery`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      state.textContent = `Not saved: ${err.error?.message ?? res.status}`;
      return;
    }
    state.dataset.waiting = 'true';
    state.textContent = message;
  };

  list.addEventListener('dragstart', (e) => {
    dragged = e.target.closest('li.tile');
    e.dataTransfer.effectAllowed = 'move';
  });
  list.addEventListener('dragover', (e) => {
    const over = e.target.closest('li.tile');
    if (!dragged || !over || over === dragged) return;
    e.preventDefault();
    const box = over.getBoundingClientRect();
    over.parentNode.insertBefore(
      dragged,
      e.clientY > box.top + box.height / 2 || e.clientX > box.left + box.width / 2 ? over.nextSibling : over,
    );
  });
  list.addEventListener('dragend', () => {
    dragged = undefined;
    refreshButtons();
    state.textContent = 'Order changed: Save order to publish it.';
  });
  list.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    const tile = e.target.closest('li.tile');
    if (!button || !tile) return;
    if (button.dataset.move === 'up' && tile.previousElementSibling)
      tile.parentNode.insertBefore(tile, tile.previousElementSibling);
    else if (button.dataset.move === 'down' && tile.nextElementSibling)
      tile.parentNode.insertBefore(tile.nextElementSibling, tile);
    else if (button.hasAttribute('data-cover')) {
      for (const t of list.querySelectorAll('li.tile')) t.classList.toggle('cover', t === tile);
      void put({ cover: tile.dataset.photoId }, `Cover set to ${tile.dataset.photoId}; publishing…`);
      return;
    } else return;
    refreshButtons();
    button.focus();
    state.textContent = 'Order changed: Save order to publish it.';
  });
  save.addEventListener('click', () => {
    const order = [...list.querySelectorAll('li.tile[data-photo-id]')].map((t) => t.dataset.photoId);
    void put({ order }, 'Saved; publishing…');
  });
}

document.addEventListener('DOMContentLoaded', () => {
  const initial = document.getElementById('initial-stats');
  if (initial) onStats(JSON.parse(initial.textContent));
  if (document.body.dataset.live === 'true') connect();
  galleryEditor();
  document.body.dataset.ready = 'true';
});
