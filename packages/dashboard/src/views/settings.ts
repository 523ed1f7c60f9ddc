import type { AuditEntry } from '@lightbox/catalog';
import { WEBHOOK_EVENTS } from '@lightbox/contracts';
import type { InboxView, WebhookView } from '@lightbox/desk';
import { type Html, html, raw } from '../html.js';

/** What the last action said: done (and a secret shown this once), or why it was refused. */
export interface SettingsNotice {
  ok: boolean;
  message: string;
  secret?: string;
}

function notice(n: SettingsNotice | undefined): Html {
  if (!n) return html``;
  return html`<div class="${n.ok ? 'notice' : 'error'}" role="status"><p>${n.message}</p>${
    n.secret
      ? html`<p>Signing secret, shown this once — store it now: <code class="secret">${n.secret}</code></p>`
      : ''
  }</div>`;
}

const subnav = (current: 'webhooks' | 'inboxes') =>
  html`<nav class="subnav" aria-label="Settings"><a href="/dashboard/settings/webhooks"${current === 'webhooks' ? raw(' aria-current="page"') : ''}>Webhook subscribers</a> · <a href="/dashboard/settings/inboxes"${current === 'inboxes' ? raw(' aria-current="page"') : ''}>S3 inboxes</a></nav>`;

function eventBoxes(chosen: readonly string[], name = 'events'): Html {
  return html`<fieldset class="events"><legend>Events</legend>${WEBHOOK_EVENTS.map(
    (e) =>
      html`<label><input type="checkbox" name="${name}" value="${e}"${chosen.includes(e) ? raw(' checked') : ''}> ${e}</label>`,
  )}</fieldset>`;
}

function changesList(changes: AuditEntry[]): Html {
  return html`<section aria-labelledby="changes-h"><h2 id="changes-h">Changes</h2>
    ${
      changes.length === 0
        ? html`<p class="empty">None yet.</p>`
        : html`<ol class="audit">${changes.map((a) => html`<li><time datetime="${a.at}">${a.at}</time> <strong>${a.actor}</strong> ${a.action}${a.detail ? html` — ${a.detail}` : ''}</li>`)}</ol>`
    }</section>`;
}

/** The webhook subscribers section (swapped whole after each action). */
export function webhooksSection(hooks: WebhookView[], changes: AuditEntry[], last?: SettingsNotice): Html {
  return html`<div id="settings">${notice(last)}
  <table class="settings"><thead><tr><th scope="col">Id</th><th scope="col">URL</th><th scope="col">Events</th><th scope="col">From</th><th scope="col">Changed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${hooks.map(
    (w) => html`<tr data-webhook="${w.id}">
      <th scope="row">${w.id}</th><td>${w.url}</td><td>${w.events.join(', ')}</td><td>${w.source}</td>
      <td><time datetime="${w.updatedAt}">${w.updatedAt.slice(0, 16).replace('T', ' ')}</time> by ${w.updatedBy}</td>
      <td>
        <details><summary>Edit</summary>
          <form hx-post="/dashboard/actions/settings/webhooks/${w.id}" hx-target="#settings" hx-swap="outerHTML">
            <label>URL <input name="url" type="url" value="${w.url}" required size="40"></label>
            ${eventBoxes(w.events)}
            <button type="submit">Save ${w.id}</button>
          </form>
        </details>
        <button type="button" hx-post="/dashboard/actions/settings/webhooks/${w.id}/rotate" hx-target="#settings" hx-swap="outerHTML" hx-confirm="Give ${w.id} a new signing secret? The old one stops working at once.">Rotate secret</button>
        <button type="button" class="danger" hx-post="/dashboard/actions/settings/webhooks/${w.id}/delete" hx-target="#settings" hx-swap="outerHTML" hx-confirm="Delete subscriber ${w.id}?">Delete</button>
      </td>
    </tr>`,
  )}</tbody></table>
  ${hooks.length === 0 ? html`<p class="empty">No subscribers.</p>` : ''}
  <details class="new-setting"><summary>New subscriber</summary>
    <form hx-post="/dashboard/actions/settings/webhooks" hx-target="#settings" hx-swap="outerHTML" class="filters">
      <label>Id (optional) <input name="id" pattern="[A-Za-z0-9_.\\-]{1,64}"></label>
      <label>URL <input name="url" type="url" required size="40" placeholder="https://cms.example.com/hooks/lightbox"></label>
      <label>Secret (optional: generated) <input name="secret" type="password" minlength="16" autocomplete="new-password"></label>
      ${eventBoxes(['gallery.published', 'gallery.updated', 'photo.killed', 'photo.expired'])}
      <button type="submit">Add subscriber</button>
    </form>
  </details>
  ${changesList(changes)}
  </div>`;
}

export function webhooksPage(hooks: WebhookView[], changes: AuditEntry[]): Html {
  return html`<h1>Settings</h1>${subnav('webhooks')}
  <p class="help">Where Lightbox POSTs signed events (docs/webhooks.md). Changes reach every worker within seconds; the environment's <code>LIGHTBOX_WEBHOOKS</code> seeds this list at start. Targets on private, loopback or metadata addresses are refused unless <code>LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS</code> lists them. Secrets are shown once.</p>
  ${webhooksSection(hooks, changes)}`;
}

function inboxFields(i?: InboxView): Html {
  return html`<label>Feed <input name="feed" required pattern="[A-Za-z0-9_.\\-]{1,64}" value="${i?.feed ?? ''}"></label>
    <label>Bucket <input name="bucket" required value="${i?.bucket ?? ''}"></label>
    <label>Prefix <input name="prefix" value="${i?.prefix ?? ''}" placeholder="incoming/afp/"></label>
    <label>Priority <select name="priority"><option value="live"${i?.priority !== 'bulk' ? raw(' selected') : ''}>live</option><option value="bulk"${i?.priority === 'bulk' ? raw(' selected') : ''}>bulk (archive)</option></select></label>`;
}

/** The S3 inboxes section (swapped whole after each action). */
export function inboxesSection(inboxes: InboxView[], changes: AuditEntry[], last?: SettingsNotice): Html {
  return html`<div id="settings">${notice(last)}
  <table class="settings"><thead><tr><th scope="col">Id</th><th scope="col">Feed</th><th scope="col">Location</th><th scope="col">Priority</th><th scope="col">Credentials</th><th scope="col">From</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${inboxes.map(
    (i) => html`<tr data-inbox="${i.id}">
      <th scope="row">${i.id}</th><td>${i.feed}</td><td>${i.endpoint ? html`${i.endpoint} ` : ''}s3://${i.bucket}/${i.prefix}</td><td>${i.priority}</td>
      <td>${i.accessKeyId ?? "Lightbox's own"}</td><td>${i.source}</td>
      <td>
        <details><summary>Edit</summary>
          <form hx-post="/dashboard/actions/settings/inboxes/${i.id}" hx-target="#settings" hx-swap="outerHTML">
            ${inboxFields(i)}
            <button type="submit">Save ${i.id}</button>
          </form>
        </details>
        <button type="button" class="danger" hx-post="/dashboard/actions/settings/inboxes/${i.id}/delete" hx-target="#settings" hx-swap="outerHTML" hx-confirm="Stop polling and delete inbox ${i.id}?">Delete</button>
      </td>
    </tr>`,
  )}</tbody></table>
  ${inboxes.length === 0 ? html`<p class="empty">No S3 inboxes.</p>` : ''}
  <details class="new-setting"><summary>New S3 inbox</summary>
    <form hx-post="/dashboard/actions/settings/inboxes" hx-target="#settings" hx-swap="outerHTML" class="filters">
      ${inboxFields()}
      <label>Endpoint (optional: another S3) <input name="endpoint" type="url"></label>
      <label>Access key id (optional) <input name="accessKeyId"></label>
      <label>Secret access key <input name="secretAccessKey" type="password" autocomplete="new-password"></label>
      <button type="submit">Add inbox</button>
    </form>
  </details>
  ${changesList(changes)}
  </div>`;
}

export function inboxesPage(inboxes: InboxView[], changes: AuditEntry[]): Html {
  return html`<h1>Settings</h1>${subnav('inboxes')}
  <p class="help">Buckets and prefixes the ingest service polls for a feed's pictures (objects move to <code>_processed/</code> or <code>_error/</code>). Changes are picked up within seconds, without a restart; <code>LIGHTBOX_S3_INBOXES</code> seeds this list at start. Secret access keys are never shown again.</p>
  ${inboxesSection(inboxes, changes)}`;
}
