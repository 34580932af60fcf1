import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import {
  EventInput,
  EventKind,
  EventSchema,
  GroupInput,
  GroupSchema,
  MyEventsSchema,
  ParticipantSchema,
  ProgrammeInput,
  ProgrammeSchema,
  RegistrationResult,
} from './schemas';
import { listEvents, myEvents, readEvent } from './readEvents';
import { cancelRegistration, registerForEvent } from './registration';
import { addMaterial, cancelEvent, createEvent, listParticipants, updateEvent } from './manageEvents';
import { addMember, createGroup, createProgramme, listProgrammes, readGroup, recordAttendance } from './training';
import { eventIcs, personalFeed, publicFeed, rotateFeedToken } from './calendar';

const SESSION = [{ session: [] }];
const OPTIONAL_SESSION: Record<string, string[]>[] = [{ session: [] }, {}];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ICS = 'text/calendar; charset=utf-8';

export function communityRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/community/events',
    {
      schema: {
        security: OPTIONAL_SESSION,
        summary: 'Coming events (the public: public events only)',
        querystring: Type.Object({ kind: Type.Optional(EventKind), includePast: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Array(EventSchema) },
      },
    },
    (request) => listEvents(ctx, request.actor, request.query),
  );
  app.post(
    '/community/events',
    {
      schema: {
        security: SESSION,
        summary: 'Create an event (ELVL organisers)',
        body: EventInput,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await createEvent(ctx, request.actor, request.body)),
  );
  app.get(
    '/community/events/:id',
    {
      schema: {
        security: OPTIONAL_SESSION,
        summary: 'One event with places left, my registration and materials',
        params: Id,
        response: {
          200: Type.Object({
            ...EventSchema.properties,
            materials: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() })),
          }),
        },
      },
    },
    (request) => readEvent(ctx, request.actor, request.params.id),
  );
  app.put(
    '/community/events/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Change an event; more capacity promotes from the waiting list (organisers)',
        params: Id,
        body: EventInput,
        response: { 200: Type.Object({ id: Type.String(), promoted: Type.Integer() }) },
      },
    },
    (request) => updateEvent(ctx, request.actor, request.params.id, request.body),
  );
  app.post(
    '/community/events/:id/cancel',
    {
      schema: {
        security: SESSION,
        summary: 'Cancel an event and tell the participants (organisers)',
        params: Id,
        response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) },
      },
    },
    (request) => cancelEvent(ctx, request.actor, request.params.id),
  );
  app.get(
    '/community/events/:id/event.ics',
    { schema: { security: OPTIONAL_SESSION, summary: 'The event as iCalendar', params: Id } },
    async (request, reply) => reply.type(ICS).send(await eventIcs(ctx, request.actor, request.params.id)),
  );
  app.post(
    '/community/events/:id/registration',
    {
      schema: {
        security: SESSION,
        summary: 'Register; beyond capacity you join the waiting list (not an error)',
        params: Id,
        response: { 200: RegistrationResult },
      },
    },
    (request) => registerForEvent(ctx, request.actor, request.params.id),
  );
  app.delete(
    '/community/events/:id/registration',
    {
      schema: {
        security: SESSION,
        summary: 'Cancel my registration; the first on the waiting list gets the place',
        params: Id,
        response: { 200: RegistrationResult },
      },
    },
    (request) => cancelRegistration(ctx, request.actor, request.params.id),
  );
  app.get(
    '/community/events/:id/participants',
    {
      schema: {
        security: SESSION,
        summary: 'Participants and waiting list (organisers)',
        params: Id,
        response: { 200: Type.Array(ParticipantSchema) },
      },
    },
    (request) => listParticipants(ctx, request.actor, request.params.id),
  );
  app.put(
    '/community/events/:id/attendance',
    {
      schema: {
        security: SESSION,
        summary: 'Record attendance (organisers); updates training completion',
        params: Id,
        body: Type.Object(
          {
            marks: Type.Array(
              Type.Object(
                { personId: Type.String({ format: 'uuid' }), attended: Type.Boolean() },
                { additionalProperties: false },
              ),
              { maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ eventId: Type.String(), marked: Type.Integer(), groupCompleted: Type.Integer() }),
        },
      },
    },
    (request) => recordAttendance(ctx, request.actor, request.params.id, request.body.marks),
  );
  app.post(
    '/community/events/:id/materials',
    {
      schema: {
        security: SESSION,
        summary: 'Add material (a link) after the event (organisers)',
        params: Id,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addMaterial(ctx, request.actor, request.params.id, request.body)),
  );
  app.get(
    '/community/me',
    { schema: { security: SESSION, summary: 'My registrations and notifications', response: { 200: MyEventsSchema } } },
    (request) => myEvents(ctx, request.actor),
  );
  app.post(
    '/community/me/feed',
    {
      schema: {
        security: SESSION,
        summary: 'A new secret address of my calendar feed',
        response: { 200: Type.Object({ url: Type.String() }) },
      },
    },
    (request) => rotateFeedToken(ctx, request.actor),
  );

  app.get(
    '/training/programmes',
    {
      schema: {
        security: SESSION,
        summary: 'Training programmes with their groups and completion (officials)',
        response: { 200: Type.Array(ProgrammeSchema) },
      },
    },
    (request) => listProgrammes(ctx, request.actor),
  );
  app.post(
    '/training/programmes',
    {
      schema: {
        security: SESSION,
        summary: 'Create a training programme (organisers)',
        body: ProgrammeInput,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await createProgramme(ctx, request.actor, request.body)),
  );
  app.post(
    '/training/programmes/:id/groups',
    {
      schema: {
        security: SESSION,
        summary: 'Create a regional group (organisers)',
        params: Id,
        body: GroupInput,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createGroup(ctx, request.actor, request.params.id, request.body)),
  );
  app.get(
    '/training/groups/:id',
    {
      schema: {
        security: SESSION,
        summary: 'A group: sessions, members, attendance and completion',
        params: Id,
        response: { 200: GroupSchema },
      },
    },
    (request) => readGroup(ctx, request.actor, request.params.id),
  );
  app.post(
    '/training/groups/:id/members',
    {
      schema: {
        security: SESSION,
        summary: 'Add an official to a group (organisers)',
        params: Id,
        body: Type.Object({ personId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ groupId: Type.String(), personId: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addMember(ctx, request.actor, request.params.id, request.body.personId)),
  );
}

/** iCalendar feeds at fixed paths (calendar apps cannot log in: the personal feed has a secret token). */
export function communityRootRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/ical/community/public.ics',
    { schema: { summary: 'Public events as an iCalendar feed' } },
    async (_request, reply) =>
      reply
        .type(ICS)
        .header('cache-control', 'public, max-age=300')
        .send(await publicFeed(ctx)),
  );
  app.get(
    '/ical/community/me/:token',
    {
      schema: {
        summary: "A person's own events as an iCalendar feed (secret address from POST /api/v1/community/me/feed)",
        params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,64}\\.ics$' }) }),
      },
    },
    async (request, reply) =>
      reply
        .type(ICS)
        .header('cache-control', 'private, max-age=300')
        .send(await personalFeed(ctx, request.params.token.replace(/\.ics$/, ''))),
  );
}
