import { Type, type Static } from 'typebox';

export const RoleName = Type.Union(
  [Type.Literal('admin'), Type.Literal('editor'), Type.Literal('analyst'), Type.Literal('council_member')],
  {
    description:
      'admin: manages roles and settings; editor: edits content; analyst: reads analytics; council_member: member of the council',
  },
);

export const GrantInput = Type.Object(
  {
    idCode: Type.String({ pattern: '^[0-9]{11}$', description: 'Personal ID code of the person receiving the role' }),
    role: RoleName,
  },
  { additionalProperties: false },
);
export type GrantInput = Static<typeof GrantInput>;

export const RoleGrantSchema = Type.Object({
  municipalityCode: Type.String(),
  personId: Type.String({ format: 'uuid' }),
  givenName: Type.Union([Type.String(), Type.Null()]),
  familyName: Type.Union([Type.String(), Type.Null()]),
  idCodeMasked: Type.String(),
  role: RoleName,
  grantedAt: Type.String({ format: 'date-time' }),
});

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String({ description: 'hex SHA-256 of this entry and the previous hash' }),
});
