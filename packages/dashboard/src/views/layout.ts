import type { Principal } from '@lightbox/access';
import { EVENT_LABELS } from '../format.js';
import { type Html, html, raw } from '../html.js';

export interface PageContext {
  title: string;
  /** The nav entry to mark current. */
  section: 'overview' | 'review' | 'photos' | 'failures' | 'stories' | 'feeds' | 'settings' | 'none';
  principal?: Principal;
  csrf?: string;
  /** Open the live event stream on this page. */
  live?: boolean;
}

const NAV: [PageContext['section'], string, string][] = [
  ['overview', '/', 'Overview'],
  ['review', '/dashboard/review', 'Needs review'],
  ['photos', '/dashboard/photos', 'Photos'],
  ['failures', '/dashboard/failures', 'Failures'],
  ['stories', '/dashboard/stories', 'Stories'],
  ['feeds', '/dashboard/feeds', 'Feeds'],
];

export function page(ctx: PageContext, body: Html): string {
  const headers = ctx.csrf ? raw(` hx-headers='${JSON.stringify({ 'x-csrf-token': ctx.csrf })}'`) : '';
  return `<!doctype html>${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ctx.title} · Lightbox</title>
${ctx.csrf ? html`<meta name="csrf-token" content="${ctx.csrf}">` : ''}
<meta name="event-labels" content="${JSON.stringify(EVENT_LABELS)}">
<meta name="htmx-config" content='{"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"[45]..","swap":true,"error":true}]}'>
<link rel="stylesheet" href="/dashboard/assets/uPlot.min.css">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/htmx.min.js" defer></script>
<script src="/dashboard/assets/uPlot.iife.min.js" defer></script>
<script src="/dashboard/assets/dashboard.js" type="module"></script>
</head>
<body${headers} data-live="${ctx.live ? 'true' : 'false'}">
<a class="skip" href="#main">Skip to content</a>
${
  ctx.principal
    ? html`<header class="top">
  <span class="brand">Lightbox</span>
  <nav aria-label="Dashboard">
    <ul>${NAV.map(
      ([key, href, label]) =>
        html`<li><a href="${href}"${key === ctx.section ? raw(' aria-current="page"') : ''}>${label}</a></li>`,
    )}${ctx.principal.kind === 'admin' ? html`<li><a href="/dashboard/settings/webhooks"${ctx.section === 'settings' ? raw(' aria-current="page"') : ''}>Settings</a></li>` : ''}<li><a href="/admin/queues">Queues (raw)</a></li></ul>
  </nav>
  <form class="search" action="/dashboard/photos" method="get" role="search">
    <label for="q" class="visually-hidden">Search photos</label>
    <input id="q" name="q" type="search" placeholder="Search captions, credits…">
  </form>
  <form action="/logout" method="post" class="signout">
    <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">
    <span class="who">${ctx.principal.name} (${ctx.principal.kind})</span>
    <button type="submit">Sign out</button>
  </form>
</header>`
    : ''
}
<div id="banner" role="alert" aria-live="assertive"></div>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`.value
  }`;
}

export function pager(
  base: string,
  params: URLSearchParams,
  page: number,
  pageSize: number,
  total: number,
): Html {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number, label: string) => {
    const q = new URLSearchParams(params);
    q.set('page', String(p));
    return html`<a href="${base}?${q.toString()}">${label}</a>`;
  };
  return html`<nav class="pager" aria-label="Pages">
    ${page > 1 ? link(page - 1, '← Newer') : ''}
    <span>Page ${page} of ${pages} · ${total} in all</span>
    ${page < pages ? link(page + 1, 'Older →') : ''}
  </nav>`;
}
