import {
  assignInput,
  type Desk,
  PHOTO_DECISIONS,
  type PhotoDecisionKind,
  photoDecisionSchema,
  photoDetailSchema,
  photoSearchInput,
  photoSearchSchema,
} from '@lightbox/desk';
import { z } from 'zod';
import type { RouteRegistrar } from '../openapi/operation.js';
import { deskActor } from './actor.js';

const idParams = z.object({ id: z.string().describe('photo id (ph_…)') });
type IdParams = { id: string };

const DECISIONS: Record<PhotoDecisionKind, { operationId: string; summary: string }> = {
  assign: {
    operationId: 'assignPhoto',
    summary: 'Put the photo in a story (or move it there); automatic re-matching never undoes it',
  },
  unassign: {
    operationId: 'unassignPhoto',
    summary: 'Take the photo out of its story; automatic re-matching never puts it back',
  },
  reject: {
    operationId: 'rejectPhoto',
    summary: 'Decide the photo belongs in no story (from the review inbox)',
  },
  'release-embargo': {
    operationId: 'releaseEmbargo',
    summary: 'Lift an embargo before its time (audited); the photo carries on to its gallery',
  },
  'release-hold': {
    operationId: 'releaseHold',
    summary: 'Clear a hold (an embargo Lightbox could not read…); the photo carries on to matching',
  },
};

/** Editors' reads and decisions on photos: adapters over the desk. */
export function photoRoutes(route: RouteRegistrar, desk: Desk): void {
  route(
    {
      method: 'GET',
      path: '/v1/photos',
      operationId: 'searchPhotos',
      tag: 'photos',
      summary: 'Search photos by words, status, agency, story and capture days, newest first',
      caller: 'editor',
      query: photoSearchInput,
      responses: { 200: { description: 'A page of results and the total', schema: photoSearchSchema } },
    },
    async (request) => desk.searchPhotos(request.query as object),
  );

  route(
    {
      method: 'GET',
      path: '/v1/photos/:id',
      operationId: 'getPhoto',
      tag: 'photos',
      summary: 'Everything about one photo: metadata, renditions, versions, the match explained, audit',
      caller: 'editor',
      params: idParams,
      responses: { 200: { description: 'The photo', schema: photoDetailSchema } },
    },
    async (request) => desk.photoDetail({ photoId: (request.params as IdParams).id }),
  );

  for (const decision of PHOTO_DECISIONS) {
    route(
      {
        method: 'POST',
        path: `/v1/photos/:id/${decision}`,
        ...DECISIONS[decision],
        tag: 'photos',
        caller: 'editor',
        params: idParams,
        ...(decision === 'assign' ? { body: { schema: assignInput } } : {}),
        responses: {
          200: { description: 'The photo after the decision', schema: photoDecisionSchema },
          404: { description: 'No such photo or story' },
          409: {
            description:
              'Killed, rejected or embargoed photos; the lifecycle refuses (reason in the message)',
          },
        },
      },
      async (request) =>
        desk.decide(
          decision,
          { photoId: (request.params as IdParams).id, body: request.body },
          deskActor(request),
        ),
    );
  }
}
