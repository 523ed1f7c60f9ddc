import type { AdminDesk } from '@lightbox/desk';
import { DeskError } from '@lightbox/story-desk';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { ZodError } from 'zod';
import { html } from '../html.js';
import { page } from '../views/layout.js';
import {
  inboxesPage,
  inboxesSection,
  type SettingsNotice,
  webhooksPage,
  webhooksSection,
} from '../views/settings.js';
import type { PageKit } from './kit.js';

type Form = Record<string, string | string[] | undefined>;

/** A form's fields without the empty ones (an empty optional field means "not given"). */
function given(form: Form | undefined, fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = form?.[f];
    const text = Array.isArray(v) ? v[0] : v;
    if (typeof text === 'string' && text.trim() !== '') out[f] = text.trim();
  }
  return out;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** What a refused action says, and its status. */
function refusal(err: unknown): { status: number; notice: SettingsNotice } {
  if (err instanceof DeskError)
    return {
      status: { not_found: 404, conflict: 409, invalid: 400 }[err.code],
      notice: { ok: false, message: err.message },
    };
  if (err instanceof ZodError)
    return {
      status: 400,
      notice: {
        ok: false,
        message: err.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; '),
      },
    };
  throw err;
}

/**
 * The Settings pages (admins only): webhook subscribers and S3 inboxes, over the admin desk.
 * Actions are htmx posts, CSRF-checked by `requireAdmin`, audited by the desk; each answers with
 * the section to swap in (a created subscriber's secret shown this once).
 */
export function settingsRoutes(
  app: FastifyInstance,
  admin: AdminDesk,
  kit: PageKit,
  requireAdmin: preHandlerHookHandler,
): void {
  const adminOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await kit.signedIn(request, reply);
    if (!principal) return false;
    if (principal.kind === 'admin') return true;
    await kit.send(
      reply.code(403),
      page(kit.ctx(request, 'Forbidden', 'settings'), html`<h1>Settings are for admins</h1>`),
    );
    return false;
  };
  app.get('/dashboard/settings', async (_request, reply) =>
    reply.redirect('/dashboard/settings/webhooks', 303),
  );
  app.get('/dashboard/settings/webhooks', async (request, reply) => {
    if (!(await adminOnly(request, reply))) return;
    const [hooks, changes] = await Promise.all([admin.webhooks(), admin.changes()]);
    return kit.send(
      reply,
      page(kit.ctx(request, 'Webhook subscribers', 'settings'), webhooksPage(hooks, changes)),
    );
  });
  app.get('/dashboard/settings/inboxes', async (request, reply) => {
    if (!(await adminOnly(request, reply))) return;
    const [inboxes, changes] = await Promise.all([admin.inboxes(), admin.changes()]);
    return kit.send(reply, page(kit.ctx(request, 'S3 inboxes', 'settings'), inboxesPage(inboxes, changes)));
  });

  const guarded = { preHandler: requireAdmin };
  const act =
    (kind: 'webhooks' | 'inboxes', run: (request: FastifyRequest) => Promise<SettingsNotice>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let status = 200;
      let notice: SettingsNotice;
      try {
        notice = await run(request);
      } catch (err) {
        ({ status, notice } = refusal(err));
      }
      const changes = await admin.changes();
      const section =
        kind === 'webhooks'
          ? webhooksSection(await admin.webhooks(), changes, notice)
          : inboxesSection(await admin.inboxes(), changes, notice);
      return kit.fragment(reply.code(status), section);
    };
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;
  const form = (request: FastifyRequest) => request.body as Form | undefined;

  app.post(
    '/dashboard/actions/settings/webhooks',
    guarded,
    act('webhooks', async (request) => {
      const f = form(request);
      const events = list(f?.events);
      const created = await admin.createWebhook(
        { ...given(f, ['id', 'url', 'secret']), ...(events.length ? { events } : {}) } as never,
        kit.actor(request),
      );
      return { ok: true, message: `Subscriber ${created.id} added.`, secret: created.secret };
    }),
  );
  app.post(
    '/dashboard/actions/settings/webhooks/:id',
    guarded,
    act('webhooks', async (request) => {
      const f = form(request);
      const events = list(f?.events);
      await admin.updateWebhook(
        { id: id(request), body: { ...given(f, ['url']), ...(events.length ? { events } : {}) } },
        kit.actor(request),
      );
      return { ok: true, message: `Subscriber ${id(request)} saved.` };
    }),
  );
  app.post(
    '/dashboard/actions/settings/webhooks/:id/rotate',
    guarded,
    act('webhooks', async (request) => {
      const done = await admin.updateWebhook(
        { id: id(request), body: { rotateSecret: true } },
        kit.actor(request),
      );
      return {
        ok: true,
        message: `Subscriber ${id(request)} has a new secret.`,
        secret: 'secret' in done ? done.secret : undefined,
      };
    }),
  );
  app.post(
    '/dashboard/actions/settings/webhooks/:id/delete',
    guarded,
    act('webhooks', async (request) => {
      await admin.deleteWebhook({ id: id(request) }, kit.actor(request));
      return { ok: true, message: `Subscriber ${id(request)} deleted.` };
    }),
  );
  app.post(
    '/dashboard/actions/settings/inboxes',
    guarded,
    act('inboxes', async (request) => {
      const fields = ['feed', 'bucket', 'prefix', 'priority', 'endpoint', 'accessKeyId', 'secretAccessKey'];
      const created = await admin.createInbox(given(form(request), fields) as never, kit.actor(request));
      return { ok: true, message: `S3 inbox ${created.id} added: polled within seconds.` };
    }),
  );
  app.post(
    '/dashboard/actions/settings/inboxes/:id',
    guarded,
    act('inboxes', async (request) => {
      const f = form(request);
      const body = { ...given(f, ['feed', 'bucket', 'priority']), prefix: given(f, ['prefix']).prefix ?? '' };
      await admin.updateInbox({ id: id(request), body }, kit.actor(request));
      return { ok: true, message: `S3 inbox ${id(request)} saved.` };
    }),
  );
  app.post(
    '/dashboard/actions/settings/inboxes/:id/delete',
    guarded,
    act('inboxes', async (request) => {
      await admin.deleteInbox({ id: id(request) }, kit.actor(request));
      return { ok: true, message: `S3 inbox ${id(request)} deleted: no longer polled.` };
    }),
  );
}
