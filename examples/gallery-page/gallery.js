// Renders a Lightbox gallery manifest (docs/gallery.schema.json) as a page. No framework, no build.
// Query parameters: manifest=<URL of gallery.json> (required; this page's origin or one listed in its
// lightbox-manifest-origins meta tag), poll=<seconds between refreshes, 0 = off>.
import { thumbHashToDataURL } from './vendor/thumbhash.js';

const SUPPORTED_SCHEMA = 1;
const params = new URLSearchParams(location.search);
const manifestUrl = params.get('manifest');
/** This page's origin, and the origins its <meta name="lightbox-manifest-origins"> lists. */
const trustedOrigins = [
  location.origin,
  ...(document.querySelector('meta[name="lightbox-manifest-origins"]')?.getAttribute('content') ?? '')
    .split(/[\s,]+/)
    .filter(Boolean),
];

/** Only manifests from a trusted origin: the page must not show a gallery anyone could write. */
function manifestOrigin(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
const pollSeconds = Number(params.get('poll') ?? 15);
const main = document.getElementById('gallery');
let shownVersion = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = v;
    else if (k === 'style') Object.assign(node.style, v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function showStatus(text, isError = false) {
  main.replaceChildren(el('p', { className: `status${isError ? ' error' : ''}`, id: 'status' }, text));
}

/** The placeholder: the ThumbHash as a tiny blurred image over the dominant colour. */
function placeholderStyle(placeholder) {
  if (!placeholder) return {};
  const style = { backgroundColor: placeholder.dominantColor };
  try {
    const bytes = Uint8Array.from(atob(placeholder.thumbhash), (c) => c.charCodeAt(0));
    style.backgroundImage = `url(${thumbHashToDataURL(bytes)})`;
  } catch {
    // The colour alone will do.
  }
  return style;
}

const srcset = (renditions) => renditions.map((r) => `${r.url} ${r.width}w`).join(', ');
const SIZES = '(max-width: 860px) 100vw, 860px';

/** A <picture>: one <source> per extra format (WebP, AVIF), JPEG in the <img> as the fallback. */
function picture(photo) {
  const byFormat = new Map();
  for (const r of photo.renditions) byFormat.set(r.format, [...(byFormat.get(r.format) ?? []), r]);
  const fallback = byFormat.get('jpeg') ?? photo.renditions;
  const middle = [...fallback].sort((a, b) => a.width - b.width)[Math.floor(fallback.length / 2)];
  const img = el('img', {
    src: middle?.url,
    srcset: srcset(fallback),
    sizes: SIZES,
    alt: photo.alt ?? '',
    width: photo.width,
    height: photo.height,
    loading: 'lazy',
    decoding: 'async',
  });
  img.addEventListener('load', () => img.classList.add('loaded'));
  const sources = [...byFormat.entries()]
    .filter(([format]) => format !== 'jpeg' && byFormat.has('jpeg'))
    .map(([format, list]) => el('source', { type: `image/${format}`, srcset: srcset(list), sizes: SIZES }));
  return el('picture', {}, ...sources, img);
}

/** Sensitive (graphic) photos stay blurred until the reader chooses to see them. */
function sensitiveCover(photo, frame) {
  const button = el(
    'button',
    { type: 'button', className: 'reveal' },
    el('strong', {}, 'Sensitive content'),
    el('span', {}, photo.sensitiveReason ?? 'This photo may be disturbing.'),
    el('span', { className: 'reveal-action' }, 'Show photo'),
  );
  button.addEventListener('click', () => {
    frame.classList.remove('sensitive');
    button.remove();
  });
  return button;
}

/** The original's Content Credentials, said honestly: they belong to the original, not this rendition. */
function credentials(photo) {
  const p = photo.provenance;
  if (!p || p.state === 'absent') return null;
  const text =
    p.state === 'invalid'
      ? 'Content Credentials of the original could not be verified'
      : `Content Credentials of the original: signed by ${p.signer ?? 'an unknown signer'}${p.trusted ? '' : ' (signer not on our trust list)'}`;
  const link = p.manifestStoreUrl ? el('a', { href: p.manifestStoreUrl }, 'manifest') : null;
  return el('p', { className: `credentials ${p.state}` }, text, link ? ' · ' : null, link);
}

function figure(photo, isCover) {
  const frame = el(
    'div',
    {
      className: `frame${photo.sensitive ? ' sensitive' : ''}`,
      style: { aspectRatio: `${photo.width} / ${photo.height}`, ...placeholderStyle(photo.placeholder) },
    },
    picture(photo),
    photo.digitalSourceType ? el('span', { className: 'source-label' }, photo.digitalSourceType.label) : null,
  );
  if (photo.sensitive) frame.append(sensitiveCover(photo, frame));
  const restrictions = photo.restrictions.length
    ? el('p', { className: 'restrictions' }, `Restrictions: ${photo.restrictions.join('; ')}`)
    : null;
  const alternates = photo.alternates.length
    ? el(
        'details',
        { className: 'alternates' },
        el(
          'summary',
          {},
          `${photo.alternates.length} similar frame${photo.alternates.length === 1 ? '' : 's'}`,
        ),
        ...photo.alternates.map((a) => {
          const smallest = [...a.renditions].sort((x, y) => x.width - y.width)[0];
          return el('img', {
            src: smallest?.url,
            alt: '',
            loading: 'lazy',
            'data-photo-id': a.photoId,
            className: a.sensitive ? 'sensitive' : undefined,
          });
        }),
      )
    : null;
  return el(
    'figure',
    { 'data-photo-id': photo.photoId, className: isCover ? 'cover' : undefined },
    frame,
    el(
      'figcaption',
      {},
      photo.caption ? el('p', { className: 'caption' }, photo.caption) : null,
      photo.credit ? el('p', { className: 'credit' }, photo.credit) : null,
      credentials(photo),
      restrictions,
      alternates,
    ),
  );
}

function render(manifest) {
  if (manifest.schemaVersion !== SUPPORTED_SCHEMA) {
    showStatus(
      `This page understands gallery schema ${SUPPORTED_SCHEMA}, not ${manifest.schemaVersion}.`,
      true,
    );
    return;
  }
  document.title = manifest.headline;
  const updated = new Date(manifest.updatedAt).toLocaleString();
  const meta = el(
    'p',
    { className: 'meta' },
    `${manifest.photos.length} photo${manifest.photos.length === 1 ? '' : 's'} · updated ${updated}`,
    manifest.final ? el('span', { className: 'final' }, 'Final') : null,
  );
  // The cover leads; the rest keep the manifest's (editor's) order.
  const cover = manifest.photos.find((p) => p.photoId === manifest.cover);
  const ordered = cover ? [cover, ...manifest.photos.filter((p) => p !== cover)] : manifest.photos;
  main.replaceChildren(el('h1', {}, manifest.headline), meta, ...ordered.map((p) => figure(p, p === cover)));
  main.dataset.version = String(manifest.version);
  shownVersion = manifest.version;
}

async function load() {
  // no-cache: revalidate with the ETag every time (a 304 costs nothing).
  const res = await fetch(manifestUrl, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${manifestUrl}`);
  const manifest = await res.json();
  if (manifest.version !== shownVersion) render(manifest);
}

if (!manifestUrl) {
  showStatus('Add ?manifest=<URL of a gallery.json> to the address.', true);
} else if (!trustedOrigins.includes(manifestOrigin(manifestUrl))) {
  showStatus(
    `This page only shows galleries from ${trustedOrigins.join(', ')}; ${manifestOrigin(manifestUrl) ?? manifestUrl} is not one of them (lightbox-manifest-origins in index.html).`,
    true,
  );
} else {
  load()
    .catch((err) => showStatus(`Could not load the gallery: ${err.message}`, true))
    .finally(() => {
      if (pollSeconds > 0) setInterval(() => load().catch(() => undefined), pollSeconds * 1000);
    });
}
