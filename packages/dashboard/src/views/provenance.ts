import { chooseRendition } from '@lightbox/contracts';
import type { PhotoDetail, ReviewItem } from '@lightbox/desk';
import { mostSyntheticSourceType, photoLicenceExpiry, signerName } from '@lightbox/wire-rules';
import { timeAgo } from '../format.js';
import { type Html, html } from '../html.js';
import { dl } from './meta-table.js';

/**
 * What editors see of a photo's provenance and rights (issue 15): the AI/synthetic label, the
 * graphic-content blur with its audited reveal, the original's Content Credentials, the sender's
 * rights and the licence.
 */

/** What lists and pages know of a photo's labels (review items, search rows and details all carry it). */
export type Labelled = Pick<ReviewItem, 'digitalSourceType' | 'sensitive'>;

/** How the picture was made, when readers must be told (AI-generated, composite…): a badge. */
export function sourceLabel(p: Labelled): Html | '' {
  const reading = p.digitalSourceType ? mostSyntheticSourceType(p.digitalSourceType.value) : undefined;
  if (!reading?.disclose) return '';
  return html`<span class="badge source-label${reading.needsReview ? ' needs-editor' : ''}" title="IPTC digital source type ${reading.code ?? reading.value}">${reading.label}</span>`;
}

/** Flags next to a photo's name: how it was made, and graphic content. */
export function photoLabels(p: Labelled): Html {
  return html`${sourceLabel(p)}${p.sensitive ? html` <span class="badge sensitive-label" title="${p.sensitive.reason}">Sensitive</span>` : ''}`;
}

/** The rendition the photo page shows (the smallest at least 600 px wide). */
export function previewUrl(p: Pick<PhotoDetail, 'renditions'>): string | undefined {
  return chooseRendition(p.renditions, 600)?.url;
}

/**
 * The photo page's picture. A sensitive one is blurred, with the agency's reason and a button that
 * shows it (audited: `POST /dashboard/actions/photos/:id/reveal` answers with this, `revealed`).
 */
export function previewFigure(p: PhotoDetail, revealed = false): Html | '' {
  const url = previewUrl(p);
  if (!url) return '';
  const alt = p.metadata?.caption ?? '';
  if (!p.sensitive || revealed)
    return html`<figure class="preview-figure${p.sensitive ? ' revealed' : ''}" id="preview-${p.photoId}"><img class="preview" src="${url}" alt="${alt}"></figure>`;
  return html`<figure class="preview-figure sensitive" id="preview-${p.photoId}">
    <img class="preview" src="${url}" alt="${alt}">
    <figcaption><span>${p.sensitive.reason}</span>
      <button type="button" class="reveal" hx-post="/dashboard/actions/photos/${p.photoId}/reveal" hx-target="#preview-${p.photoId}" hx-swap="outerHTML">Show the picture</button>
    </figcaption>
  </figure>`;
}

function credentialsLine(p: PhotoDetail): Html {
  const c = p.provenance;
  if (!c)
    return html`<p class="credentials" data-state="unchecked">Content Credentials not checked (accepted before Lightbox checked them).</p>`;
  const signer = signerName(c);
  const store = c.manifestStoreUrl ? html` · <a href="${c.manifestStoreUrl}">manifest store</a>` : '';
  if (c.state === 'valid')
    return html`<p class="credentials" data-state="valid"><strong>Content Credentials verified</strong>: signed by ${signer ?? 'an unnamed signer'}, ${c.trusted ? 'on the newsroom’s trust list' : 'not on the newsroom’s trust list'}${store}</p>`;
  if (c.state === 'invalid')
    return html`<p class="credentials" data-state="invalid"><strong>Content Credentials do not verify</strong>: ${[...new Set((c.issues ?? []).map((i) => i.code))].join(', ') || 'unreadable'}${signer ? html` (claims to be signed by ${signer})` : ''}${store}</p>`;
  return html`<p class="credentials" data-state="absent">No Content Credentials${c.remoteManifestUrl ? html`; the file points to credentials at ${c.remoteManifestUrl} (not fetched)` : ''}.</p>`;
}

/** The photo page's section: credentials, how it was made, rights, licence. */
export function provenanceSection(p: PhotoDetail): Html {
  const c = p.provenance ?? undefined;
  const m = p.metadata;
  const source = p.digitalSourceType;
  const expiry = photoLicenceExpiry({
    receivedAt: p.receivedAt,
    publishedAt: p.publishedAt ?? undefined,
    licence: p.licence ?? undefined,
  });
  return html`<section class="provenance" aria-labelledby="h-prov"><h2 id="h-prov">Provenance and rights</h2>
    ${credentialsLine(p)}
    ${dl([
      ['Signed', c?.signedAt],
      ['Claim generator', c?.claimGenerator],
      ['Actions', c?.actions],
      ['Ingredients', c?.ingredients || undefined],
      ['Validation', c?.issues?.map((i) => (i.explanation ? `${i.code}: ${i.explanation}` : i.code))],
      ['Source type', source ? `${source.label} (${source.code ?? source.value})` : undefined],
      ['AI system', [m?.aiSystemUsed, m?.aiSystemVersionUsed].filter(Boolean).join(' ')],
      ['AI prompt', m?.aiPromptInformation],
      ['Prompt by', m?.aiPromptWriterName],
      ['An editor decides', p.reviewReason],
      ['Graphic content', p.sensitive?.reason],
      ['Data mining', m?.dataMining],
      ['Copyright owners', m?.copyrightOwners],
      ['Licensor', m?.licensorUrl],
      ['Web statement', m?.webStatement],
      ['Model release', m?.modelReleaseStatus],
      ['Property release', m?.propertyReleaseStatus],
      ['Distributor', m?.distributor ?? m?.parsedCredit?.distributor],
      [
        'Licence ends',
        p.expiresAt ? `${p.expiresAt} (${timeAgo(p.expiresAt)}) — ${expiry?.reason ?? ''}` : undefined,
      ],
      ['Expired', p.expired ? `${p.expired.at}: ${p.expired.reason}` : undefined],
    ])}
  </section>`;
}
