import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { AppContext } from '../../platform/context';
import { RESOURCES_DIR } from '../../platform/places/ehak';
import type { PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { makePerson } from '../../../test/support/app';
import { createDataset } from './createDataset';
import { addFileDistribution, addLinkDistribution } from './addDistribution';
import { submitForReview } from './submitForReview';
import { publishDataset } from './publishDataset';
import { updateCatalogue } from './catalogue';
import type { DatasetCreate } from './schemas';

/** Test helpers: an actor with roles, and a small published catalogue. */
export const actorOf = (personId: string, roles: [string, Role][]): PersonActor => ({
  kind: 'person',
  personId,
  givenName: 'T',
  familyName: 'T',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: roles.map(([municipalityCode, role]) => ({ municipalityCode, role })),
  acr: 'high',
});

export async function publishTestDataset(
  ctx: AppContext,
  admin: PersonActor,
  code: string,
  input: DatasetCreate,
  files: { name: string; content: string }[] = [],
  links: { url: string; format: string }[] = [],
) {
  const d = await createDataset(ctx, admin, code, input);
  for (const f of files)
    await addFileDistribution(ctx, admin, code, d.id, { filename: f.name, content: Buffer.from(f.content, 'utf8') });
  for (const l of links)
    await addLinkDistribution(ctx, admin, code, d.id, {
      url: l.url,
      format: l.format,
      titleEt: 'Link',
      titleEn: 'Link',
    });
  await submitForReview(ctx, admin, code, d.id);
  return publishDataset(ctx, admin, code, d.id);
}

const base = (n: number) => ({
  titleEn: `Dataset ${n}`,
  descriptionEt: `Andmestiku ${n} kirjeldus, mis on piisavalt pikk.`,
  descriptionEn: `Description of dataset ${n}, long enough to pass.`,
  contactEmail: 'avaandmed@example.ee',
});

/** Three published datasets in `code` (files, a link, a period, a quality note) and one in ELVL. */
export async function testCatalogue(ctx: AppContext, code: string) {
  const p = await makePerson(ctx, { givenName: 'Kati', familyName: 'Kataloog' });
  const admin = actorOf(p.id, [
    [code, 'admin'],
    ['0000', 'admin'],
  ]);
  await updateCatalogue(ctx, admin, code, {
    titleEt: 'Testkataloog',
    titleEn: 'Test catalogue',
    descriptionEt: 'Testkataloogi kirjeldus.',
    descriptionEn: 'Test catalogue description.',
    contactName: 'Avaandmed',
    contactEmail: 'avaandmed@example.ee',
    homepage: 'https://example.ee/avaandmed',
  });
  const budget = await publishTestDataset(
    ctx,
    admin,
    code,
    {
      titleEt: 'Eelarve 2024',
      shortName: 'eelarve-2024',
      ...base(1),
      themes: ['ECON', 'GOVE'],
      keywordsEt: ['eelarve', 'raha'],
      keywordsEn: ['budget'],
      frequency: 'ANNUAL',
      temporalStart: '2024-01-01',
      temporalEnd: '2024-12-31',
      qualityNote: 'Esialgne täitmine.',
    },
    [{ name: 'eelarve.csv', content: 'valdkond;summa\nHaridus;1000,5\nKultuur;200\n' }],
  );
  const lights = await publishTestDataset(
    ctx,
    admin,
    code,
    {
      titleEt: 'Tänavavalgustus',
      shortName: 'valgustus',
      ...base(2),
      themes: ['TRAN'],
      keywordsEt: ['valgustus'],
      frequency: 'MONTHLY',
    },
    [
      { name: 'valgustus.csv', content: 'kuu,teated\n2024-01,5\n' },
      { name: 'valgustus.json', content: '{"kuu":"2024-01","teated":5}' },
    ],
  );
  const transport = await publishTestDataset(
    ctx,
    admin,
    code,
    {
      titleEt: 'Ühistransport',
      shortName: 'transport',
      ...base(3),
      themes: ['TRAN'],
      licenseId: 'CC0-1.0',
      frequency: 'WEEKLY',
    },
    [],
    [{ url: 'https://www.peatus.ee/', format: 'HTML' }],
  );
  const national = await publishTestDataset(
    ctx,
    admin,
    '0000',
    { titleEt: 'Omavalitsuste kontaktid', shortName: 'kontaktid', ...base(4), themes: ['GOVE'], frequency: 'IRREG' },
    [{ name: 'kontaktid.csv', content: 'kood,nimi\n0793,Tartu linn\n' }],
  );
  return { admin, budget, lights, transport, national };
}

/**
 * JSON-Schema validators of the official Data Package profiles shipped in resources/standards/
 * (v1 is draft-04, so it is compiled by ajv's draft-04 class).
 */
export function dataPackageValidators() {
  const profile = (file: string) =>
    JSON.parse(readFileSync(path.join(RESOURCES_DIR, 'standards', file), 'utf8')) as Record<string, unknown>;
  const v1 = new Ajv04({ strict: false, allErrors: true, formats: { textarea: true } });
  (addFormats as unknown as (a: Ajv04) => void)(v1);
  return { v1: v1.compile(profile('datapackage-1.0.json')) };
}
