import {
  type AdminDesk,
  errorSchema,
  inboxInput,
  inboxUpdateInput,
  inboxViewSchema,
  settingIdInput,
  webhookInput,
  webhookUpdateInput,
  webhookViewSchema,
  webhookWithSecretSchema,
} from '@lightbox/desk';
import { z } from 'zod';
import type { Operation, RouteRegistrar } from '../openapi/operation.js';
import { deskActor } from './actor.js';

type Op = Omit<Operation, 'tag' | 'caller'>;
const op = (o: Op): Operation => ({ ...o, tag: 'admin', caller: 'admin' });

/** One setting kind's list, create, update and delete (admins only), over the admin desk. */
function settingRoutes(
  route: RouteRegistrar,
  kind: { path: string; noun: string; name: string },
  schemas: { input: z.ZodType; update: z.ZodType; view: z.ZodType; created: z.ZodType; updated: z.ZodType },
  handlers: {
    list: () => Promise<unknown>;
    create: (body: unknown, by: ReturnType<typeof deskActor>) => Promise<unknown>;
    update: (id: string, body: unknown, by: ReturnType<typeof deskActor>) => Promise<unknown>;
    remove: (id: string, by: ReturnType<typeof deskActor>) => Promise<void>;
  },
  notes: { create: string; update: string },
): void {
  const item = `${kind.path}/:id`;
  const refused = {
    description: 'validation_error: the input or the target is refused',
    schema: errorSchema,
  };
  route(
    op({
      method: 'GET',
      path: kind.path,
      operationId: `list${kind.name}s`,
      summary: `${kind.noun}s (those from the environment too; secrets never shown)`,
      responses: { 200: { description: `Every ${kind.noun}`, schema: z.array(schemas.view) } },
    }),
    async () => handlers.list(),
  );
  route(
    op({
      method: 'POST',
      path: kind.path,
      operationId: `create${kind.name}`,
      summary: `Add a ${kind.noun}; running processes pick it up within seconds (audited)`,
      description: notes.create,
      body: { schema: schemas.input },
      responses: {
        201: { description: `The ${kind.noun}`, schema: schemas.created },
        400: refused,
        409: { description: 'conflict: the id is taken', schema: errorSchema },
      },
    }),
    async (request, reply) =>
      reply.code(201).send(await handlers.create(request.body ?? {}, deskActor(request))),
  );
  route(
    op({
      method: 'PATCH',
      path: item,
      operationId: `update${kind.name}`,
      summary: `Change a ${kind.noun} (audited)`,
      description: notes.update,
      params: settingIdInput,
      body: { schema: schemas.update },
      responses: {
        200: { description: `The ${kind.noun} as changed`, schema: schemas.updated },
        400: refused,
        404: { description: `not_found: no such ${kind.noun}`, schema: errorSchema },
        409: { description: 'conflict: changed meanwhile', schema: errorSchema },
      },
    }),
    async (request) =>
      handlers.update((request.params as { id: string }).id, request.body ?? {}, deskActor(request)),
  );
  route(
    op({
      method: 'DELETE',
      path: item,
      operationId: `delete${kind.name}`,
      summary: `Delete a ${kind.noun} (audited)`,
      params: settingIdInput,
      responses: {
        204: { description: 'Deleted' },
        404: { description: `not_found: no such ${kind.noun}`, schema: errorSchema },
      },
    }),
    async (request, reply) => {
      await handlers.remove((request.params as { id: string }).id, deskActor(request));
      return reply.code(204).send();
    },
  );
}

/** `/v1/admin/webhooks` and `/v1/admin/inboxes`: runtime settings, thin over the admin desk. */
export function adminSettingsRoutes(route: RouteRegistrar, admin: AdminDesk): void {
  settingRoutes(
    route,
    { path: '/v1/admin/webhooks', noun: 'webhook subscriber', name: 'WebhookSubscriber' },
    {
      input: webhookInput,
      update: webhookUpdateInput,
      view: webhookViewSchema,
      created: webhookWithSecretSchema,
      updated: z.union([webhookWithSecretSchema, webhookViewSchema]),
    },
    {
      list: () => admin.webhooks(),
      create: (body, by) => admin.createWebhook(body as never, by),
      update: (id, body, by) => admin.updateWebhook({ id, body }, by),
      remove: (id, by) => admin.deleteWebhook({ id }, by),
    },
    {
      create:
        'The URL must be http(s) and pass the webhook target rules (no loopback, private, link-local or metadata address unless LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS lists it; LIGHTBOX_WEBHOOK_ALLOWED_HOSTS when set). Without `secret` one is generated; either way the answer is the only time it is shown.',
      update:
        '`rotateSecret: true` generates a new secret (shown in this answer only); `secret` sets one. Deliveries already queued go to the subscriber as it is when they are sent.',
    },
  );
  settingRoutes(
    route,
    { path: '/v1/admin/inboxes', noun: 'S3 inbox', name: 'S3Inbox' },
    {
      input: inboxInput,
      update: inboxUpdateInput,
      view: inboxViewSchema,
      created: inboxViewSchema,
      updated: inboxViewSchema,
    },
    {
      list: () => admin.inboxes(),
      create: (body, by) => admin.createInbox(body as never, by),
      update: (id, body, by) => admin.updateInbox({ id, body }, by),
      remove: (id, by) => admin.deleteInbox({ id }, by),
    },
    {
      create:
        'The ingest service polls `s3://bucket/prefix` for the feed (objects move to `_processed/` or `_error/`). `endpoint`, `accessKeyId` and `secretAccessKey` reach another S3 (an agency bucket); the secret is never shown again. `priority: bulk` for an archive inbox.',
      update:
        'Any field; `null` clears `endpoint`, `region` or the credentials. The poller restarts with the change.',
    },
  );
}
