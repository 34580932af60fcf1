import { Type, type Static } from 'typebox';
import { TranslationsSchema } from '../../platform/language/translationSchemas';

/** What of an event officials may give in Russian and English, with the Estonian fields' limits. */
const EventTranslations = TranslationsSchema({ title: 200, description: 10_000 });

export const EventKind = Type.Union([
  Type.Literal('webinar'),
  Type.Literal('seminar'),
  Type.Literal('workshop'),
  Type.Literal('training_meeting'),
]);
export const EventInput = Type.Object(
  {
    kind: EventKind,
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    translations: Type.Optional(EventTranslations),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    location: Type.Optional(Type.String({ maxLength: 300 })),
    onlineUrl: Type.Optional(Type.String({ maxLength: 1000, pattern: '^(https?://.*)?$' })),
    capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()])),
    visibility: Type.Union([Type.Literal('officials'), Type.Literal('public')]),
    groupId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    topics: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInput>;

export const EventSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  description: Type.String(),
  translations: EventTranslations,
  startsAt: Type.String(),
  endsAt: Type.String(),
  location: Type.String(),
  onlineUrl: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  visibility: Type.String(),
  status: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()]),
  topics: Type.Array(Type.String()),
  registered: Type.Integer(),
  waitlisted: Type.Integer(),
  placesLeft: Type.Union([Type.Integer(), Type.Null()]),
  myStatus: Type.Union([Type.String(), Type.Null()], { description: 'registered, waitlisted, cancelled or null' }),
  myWaitlistPosition: Type.Union([Type.Integer(), Type.Null()]),
});

export const RegistrationResult = Type.Object({
  eventId: Type.String(),
  status: Type.Union([Type.Literal('registered'), Type.Literal('waitlisted'), Type.Literal('cancelled')]),
  waitlistPosition: Type.Union([Type.Integer(), Type.Null()]),
});

const RegStatus = Type.Union([Type.Literal('registered'), Type.Literal('waitlisted'), Type.Literal('cancelled')]);

/** One row of an event's participants and waiting list (manageEvents.ts listParticipants). */
export const ParticipantSchema = Type.Object({
  personId: Type.String(),
  name: Type.String(),
  municipality: Type.Union([Type.String(), Type.Null()]),
  status: RegStatus,
  attended: Type.Union([Type.Boolean(), Type.Null()]),
});

/** My registrations and notifications (readEvents.ts myEvents). */
export const MyEventsSchema = Type.Object({
  registrations: Type.Array(
    Type.Object({
      eventId: Type.String(),
      title: Type.String(),
      translations: EventTranslations,
      startsAt: Type.String(),
      endsAt: Type.String(),
      eventStatus: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
      status: RegStatus,
      waitlistPosition: Type.Union([Type.Integer(), Type.Null()]),
      attended: Type.Union([Type.Boolean(), Type.Null()]),
    }),
  ),
  notifications: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('reminder'), Type.Literal('promoted'), Type.Literal('cancelled')]),
      eventId: Type.String(),
      title: Type.String(),
      startsAt: Type.String(),
      at: Type.String(),
    }),
  ),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A training group with its sessions, members, attendance and completion (training.ts readGroup). */
export const GroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  regionCode: NullableString,
  programme: Type.Object({ id: Type.String(), title: Type.String(), requiredSessions: Type.Integer() }),
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      startsAt: Type.String(),
      status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
    }),
  ),
  members: Type.Array(
    Type.Object({
      personId: Type.String(),
      name: Type.String(),
      municipality: NullableString,
      attended: Type.Integer({ description: 'sessions of this group attended' }),
      completed: Type.Boolean(),
      completedAt: NullableString,
    }),
  ),
});

/** A training programme with its groups' completion (training.ts listProgrammes). */
export const ProgrammeSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  requiredSessions: Type.Integer(),
  groups: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      regionCode: NullableString,
      members: Type.Integer(),
      completed: Type.Integer(),
      sessions: Type.Integer(),
    }),
  ),
});

export const ProgrammeInput = Type.Object(
  {
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    requiredSessions: Type.Integer({ minimum: 1, maximum: 100 }),
  },
  { additionalProperties: false },
);
export type ProgrammeInput = Static<typeof ProgrammeInput>;
export const GroupInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 200 }),
    regionCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{4}$' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type GroupInput = Static<typeof GroupInput>;
