import type { DeadLetter } from '@lightbox/queue';
import { timeAgo } from '../format.js';
import { type Html, html } from '../html.js';

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
