import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext, makePerson } from '../support/app';
import { asOwner } from '../support/db';
import type { PersonActor } from '../../src/platform/auth/actor';
import type { Role } from '../../src/platform/db/tables';
import { anonymous, makeCouncil, makeSitting } from '../../src/modules/council/testkit';
import { changeSittingStatus } from '../../src/modules/council/sittings';
import { generateMinutes, getMinutesStatus, readMinutesHtml, signMinutes } from '../../src/modules/council/minutes';
import { getSitting } from '../../src/modules/council/getSitting';
import { revokeRole } from '../../src/modules/access/revokeRole';
import { createService, updateService } from '../../src/modules/services/editService';
import { listVersions } from '../../src/modules/services/readServices';
import { updateCatalogue } from '../../src/modules/opendata/catalogue';
import { publishTestDataset } from '../../src/modules/opendata/testSupport';
import { getDataset } from '../../src/modules/opendata/getDataset';
import { grantRole } from '../../src/modules/access/grantRole';
import { listAuditEntries } from '../../src/modules/access/listAuditEntries';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';

/**
 * Names under row-level security on `person` (issue 13, migrations 0901 and 0910). The use cases
 * run as the application role `kov_app` (testContext's ctx.db), so each reader sees a person only
 * as PostgreSQL's policy lets them. An official is linked to the municipality only while they hold
 * a role there; the records they signed or wrote keep naming them (`kov_person_named`), for every
 * class of reader the record is for: the public and the council (a sitting, its approved
 * minutes) and the municipality's officials (a service's and a dataset's version history).
 */
const { ctx, ownerUrl } = await testContext({ jobs: false });

const official = async (code: string, role: Role, name: [string, string]): Promise<PersonActor> => {
  const p = await makePerson(ctx, { givenName: name[0], familyName: name[1] });
  await asOwner(ownerUrl, (c) =>
    c.query('INSERT INTO role_grant (municipality_code, person_id, role) VALUES ($1, $2, $3)', [code, p.id, role]),
  );
  return {
    kind: 'person',
    personId: p.id,
    givenName: name[0],
    familyName: name[1],
    birthDate: '1980-05-17',
    idCodeMasked: '',
    roles: [{ municipalityCode: code, role }],
    acr: 'high',
  };
};

test('the public reads the secretary and signatories of a sitting and its minutes after the secretary has left', async () => {
  const f = await makeCouncil(ctx, { code: '0171', seats: 7, substitutes: 0 });
  const { sittingId } = await makeSitting(ctx, f);
  await changeSittingStatus(ctx, f.chair.actor, f.code, sittingId, 'close');
  const m = await generateMinutes(ctx, f.secretary.actor, f.code, sittingId);
  await signMinutes(ctx, f.chair.actor, f.code, sittingId, { as: 'chair', sha256: m.sha256 });
  await signMinutes(ctx, f.secretary.actor, f.code, sittingId, { as: 'secretary', sha256: m.sha256 });
  // The secretary leaves the municipality's service: no role links them to it any more.
  await revokeRole(ctx, f.admin.actor, f.code, f.secretary.id, 'editor');

  for (const reader of [anonymous, f.members[2]!.actor]) {
    const status = await getMinutesStatus(ctx, reader, f.code, sittingId);
    assert.equal(status.approved, true);
    assert.equal(status.secretary?.name, 'Sirje Sekretär');
    assert.equal(status.chair?.name, f.chair.name);
    const sitting = await getSitting(ctx, reader, f.code, sittingId);
    assert.equal(sitting.secretary?.name, 'Sirje Sekretär');
    const html = await readMinutesHtml(ctx, reader, f.code, sittingId);
    assert.ok(!html.includes('—</'), 'no name is missing from the minutes');
    assert.equal(html.split('Sirje Sekretär').length - 1 >= 2, true, 'the secretary is named as such and as signatory');
  }
});

test('officials read who wrote each version of a service, also one written by an official who has since left', async () => {
  const TARTU = '0793';
  const admin = await official(TARTU, 'admin', ['Tiit', 'Haldur']);
  const editor = await official(TARTU, 'editor', ['Eve', 'Toimetaja']);
  const analyst = await official(TARTU, 'analyst', ['Ants', 'Analüütik']);
  const s = await createService(ctx, editor, TARTU, {
    data: {
      name: { et: 'Huviringi toetus' },
      description: { et: 'Toetus huvihariduse kuludeks.' },
      targetGroups: ['families'],
      field: 'education',
      serviceType: 'benefit',
      channels: [{ type: 'e-service', address: 'https://iseteenindus.example.ee/' }],
      feeType: 'free',
      costs: [],
      evidence: [],
      outputs: [],
      legalBasis: [],
      requirements: [],
      lifeEvents: [],
      stateServices: [],
      owner: { name: 'Haridusosakond', email: 'haridus@example.ee' },
    },
  });
  await updateService(ctx, admin, TARTU, s.id, { data: s.data, status: 'active', baseVersion: 1 });
  await revokeRole(ctx, admin, TARTU, editor.personId, 'editor');
  const versions = await listVersions(ctx, analyst, TARTU, s.id);
  assert.deepEqual(
    versions.map((v) => [v.version, v.changedByName]),
    [
      [2, 'Tiit Haldur'],
      [1, 'Eve Toimetaja'],
    ],
  );
});

test('officials read who published each version of a dataset, also one published by an official who has since left', async () => {
  const ELVA = '0171';
  const admin = await official(ELVA, 'admin', ['Helle', 'Haldur']);
  const publisher = await official(ELVA, 'admin', ['Peep', 'Avaldaja']);
  const reader = await official(ELVA, 'analyst', ['Aino', 'Lugeja']);
  await updateCatalogue(ctx, publisher, ELVA, {
    titleEt: 'Elva avaandmed',
    titleEn: 'Elva open data',
    descriptionEt: 'Elva valla avaandmete kataloog.',
    descriptionEn: 'Open data catalogue of Elva.',
    contactName: 'Avaandmed',
    contactEmail: 'avaandmed@example.ee',
    homepage: 'https://example.ee/avaandmed',
  });
  const d = await publishTestDataset(
    ctx,
    publisher,
    ELVA,
    {
      titleEt: 'Mänguväljakud',
      shortName: 'manguvaljakud',
      titleEn: 'Playgrounds',
      descriptionEt: 'Valla mänguväljakute loend, mis on piisavalt pikk.',
      descriptionEn: 'The playgrounds of the parish, long enough to pass.',
      contactEmail: 'avaandmed@example.ee',
      themes: ['EDUC'],
      keywordsEt: ['mänguväljak'],
      frequency: 'ANNUAL',
    },
    [{ name: 'valjakud.csv', content: 'nimi;kyla\nPargi;Elva\n' }],
  );
  await revokeRole(ctx, admin, ELVA, publisher.personId, 'admin');
  const seen = await getDataset(ctx, reader, ELVA, d.id);
  assert.deepEqual(
    seen.versions.map((v) => v.publishedBy),
    ['Peep Avaldaja'],
  );
});

test("a municipality's audit log names its actors: a platform admin who acted there, an official who has since left", async () => {
  const PARNU = '0624';
  const platformAdmin = await official('0000', 'admin', ['Priit', 'Platvorm']);
  const admin = await official(PARNU, 'admin', ['Anu', 'Haldur']);
  const leaver = await official(PARNU, 'admin', ['Enn', 'Lahkunu']);
  // A platform admin (an admin of ELVL's '0000') grants a role in Pärnu: no role links them to Pärnu.
  const codes = [makeIdCode('male', '1990-01-01', 321), makeIdCode('female', '1991-02-02', 322)];
  await grantRole(ctx, platformAdmin, PARNU, { idCode: codes[0]!, role: 'analyst' });
  // An official grants a role while they hold an admin's, then leaves (their roles revoked).
  await grantRole(ctx, leaver, PARNU, { idCode: codes[1]!, role: 'analyst' });
  await revokeRole(ctx, admin, PARNU, leaver.personId, 'admin');

  for (const reader of [admin, platformAdmin]) {
    const entries = await listAuditEntries(ctx, reader, PARNU, { limit: 50 });
    const nameOf = (id: string) => entries.filter((e) => e.actorId === id).map((e) => e.actorName);
    assert.deepEqual(nameOf(platformAdmin.personId), ['Priit Platvorm']);
    assert.deepEqual(nameOf(leaver.personId), ['Enn Lahkunu']);
    assert.deepEqual(nameOf(admin.personId), ['Anu Haldur']);
    for (const code of codes) assert.ok(!JSON.stringify(entries).includes(code), 'no ID code in the audit list');
  }
});
