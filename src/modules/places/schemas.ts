import { Type } from 'typebox';

export const PlaceCode = Type.String({
  pattern: '^[0-9]{4}$',
  description: 'EHAK code (4 digits)',
  examples: ['0793'],
});

export const PlaceSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal('county'), Type.Literal('municipality'), Type.Literal('settlement')]),
  kind: Type.String({ description: 'maakond, linn, vald, küla, alevik, alev, linnaosa' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  municipalityCode: Type.Union([Type.String(), Type.Null()]),
});

export const MunicipalitySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'linn or vald' }),
  county: Type.Object({ code: Type.String(), name: Type.String() }),
  settlementCount: Type.Integer(),
});
