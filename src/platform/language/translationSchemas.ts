import { Type } from 'typebox';

/** TypeBox schemas of `translations.ts` (server only: the web app imports the types, not these). */
export const TranslatedTextSchema = (maxLength: number) =>
  Type.Object(
    {
      ru: Type.Optional(Type.String({ maxLength })),
      en: Type.Optional(Type.String({ maxLength })),
    },
    { additionalProperties: false, description: 'The Russian and English text (empty or absent: Estonian only)' },
  );

/** `translations` of an object whose translatable fields and their limits are given. */
export const TranslationsSchema = (fields: Record<string, number>) =>
  Type.Object(
    Object.fromEntries(Object.entries(fields).map(([f, max]) => [f, Type.Optional(TranslatedTextSchema(max))])),
    { additionalProperties: false },
  );
