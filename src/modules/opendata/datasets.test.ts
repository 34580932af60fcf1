import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext, makePerson } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import type { PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { Problem } from '../../platform/http/problems';
import { createDataset } from './createDataset';
import { updateDataset } from './updateDataset';
import { addFileDistribution, addLinkDistribution, removeDistribution } from './addDistribution';
import { submitForReview } from './submitForReview';
import { publishDataset } from './publishDataset';
import { returnToDraft } from './returnToDraft';
import { withdrawDataset } from './withdrawDataset';
import { deleteDataset } from './deleteDataset';
import { getDataset } from './getDataset';
import { findPublished, searchPublished } from './search';
import { publicDataset, publicVersion, downloadFile, previewDistribution } from './publicDataset';
import { assignGovernanceRole } from './governanceRoles';

/** The catalogue's rules as use cases, without HTTP: drafts → review → publish, versions, bad input. */
const M = '0793';
const { ctx, ownerUrl } = await testContext();
const actor = (personId: string, roles: [string, Role][]): PersonActor => ({
  kind: 'person',
  personId,
  givenName: 'T',
  familyName: 'T',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: roles.map(([municipalityCode, role]) => ({ municipalityCode, role })),
  acr: 'high',
});
const editorP = await makePerson(ctx, { givenName: 'Eda', familyName: 'Toimetaja' });
const adminP = await makePerson(ctx, { givenName: 'Ants', familyName: 'Admin' });
const ownerP = await makePerson(ctx, { givenName: 'Olga', familyName: 'Omanik' });
const analystP = await makePerson(ctx, { givenName: 'Anu', familyName: 'Analüütik' });
const editor = actor(editorP.id, [[M, 'editor']]);
const admin = actor(adminP.id, [[M, 'admin']]);
const analyst = actor(analystP.id, [[M, 'analyst']]);
const dataOwner = actor(ownerP.id, []);
const otherAdmin = actor(adminP.id, [['0784', 'admin']]);

const CSV = Buffer.from('kuu,teated\n2024-01,12\n2024-02,15\n2024-03,9\n');
const complete = {
  titleEn: 'Street lighting faults',
  descriptionEt: 'Tänavavalgustuse rikketeated kuude kaupa aastal 2024.',
  descriptionEn: 'Street lighting fault reports by month in 2024.',
  themes: ['TRAN'],
  contactEmail: 'avaandmed@tartu.example',
  keywordsEt: ['valgustus'],
  keywordsEn: ['lighting'],
};

async function rejects(p: Promise<unknown>, status: number, match?: RegExp): Promise<Problem> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Problem, `expected a Problem, got ${(err as Error).stack}`);
    assert.equal(err.status, status, err.detail);
    if (match) assert.match(JSON.stringify(err.toJSON()), match);
    return err;
  }
  assert.fail('expected an error');
}

test('a dataset goes draft → review → published; every published version is kept and readable', async () => {
  const d = await createDataset(ctx, editor, M, { titleEt: 'Tänavavalgustuse rikked' });
  assert.equal(d.state, 'draft');
  assert.equal(d.name, 'tartu-linn-tanavavalgustuse-rikked');
  assert.equal(d.licenseId, 'CC-BY-4.0', 'CC BY 4.0 by default');
  assert.deepEqual(d.spatial, [M], 'the municipality is the default coverage');
  assert.deepEqual(d.missing.map((m) => m.code).sort(), [
    'contact-missing',
    'description-en-missing',
    'description-et-missing',
    'distribution-missing',
    'themes-missing',
    'title-en-missing',
  ]);
  const err = await rejects(submitForReview(ctx, editor, M, d.id), 400, /title-en-missing/);
  assert.match(err.detail, /Write a title in English/);

  await updateDataset(ctx, editor, M, d.id, complete);
  const withFile = await addFileDistribution(ctx, editor, M, d.id, { filename: 'rikked-2024.csv', content: CSV });
  const dist = withFile.distributions[0]!;
  assert.equal(dist.format, 'CSV');
  assert.equal(dist.mediaType, 'text/csv');
  assert.equal(dist.byteSize, CSV.length);
  assert.match(dist.sha256!, /^[0-9a-f]{64}$/);
  assert.equal(dist.csv!.rowCount, 3);
  assert.deepEqual(withFile.missing, []);

  await rejects(publishDataset(ctx, admin, M, d.id), 409, /review first/);
  const inReview = await submitForReview(ctx, editor, M, d.id);
  assert.equal(inReview.state, 'review');
  await rejects(publishDataset(ctx, editor, M, d.id), 403, /admin role/);
  const v1 = await publishDataset(ctx, admin, M, d.id);
  assert.equal(v1.state, 'published');
  assert.equal(v1.currentVersion, 1);

  const pub = await findPublished(ctx, d.name);
  assert.equal(pub?.version, 1);
  assert.equal(pub?.title.en, 'Street lighting faults');
  const file = await downloadFile(ctx, d.name, 1, dist.id);
  assert.deepEqual(file.content, CSV);
  const preview = await previewDistribution(ctx, d.name, dist.id);
  assert.deepEqual(preview.header, ['kuu', 'teated']);
  assert.deepEqual(preview.rows[0], ['2024-01', '12']);

  // Editing a published dataset: the published version stays public until the next one.
  const edited = await updateDataset(ctx, editor, M, d.id, {
    titleEt: 'Tänavavalgustuse rikketeated',
    changeNote: 'Uus pealkiri',
  });
  assert.equal(edited.state, 'draft');
  assert.equal((await findPublished(ctx, d.name))?.title.et, 'Tänavavalgustuse rikked');
  await removeDistribution(ctx, editor, M, d.id, dist.id);
  await addFileDistribution(ctx, editor, M, d.id, {
    filename: 'rikked-2024-v2.csv',
    content: Buffer.from('kuu,teated\n2024-01,13\n'),
  });
  await submitForReview(ctx, editor, M, d.id);
  const v2 = await publishDataset(ctx, admin, M, d.id);
  assert.equal(v2.currentVersion, 2);
  assert.deepEqual(
    v2.versions.map((v) => [v.version, v.changeNote]),
    [
      [2, 'Uus pealkiri'],
      [1, null],
    ],
  );
  const pub2 = await publicDataset(ctx, d.name);
  assert.equal(pub2.dataset.title.et, 'Tänavavalgustuse rikketeated');
  assert.equal(pub2.versions.length, 2);
  const old = await publicVersion(ctx, d.name, 1);
  assert.equal(old.title.et, 'Tänavavalgustuse rikked', 'version 1 is kept as it was published');
  assert.deepEqual(
    (await downloadFile(ctx, d.name, 1, dist.id)).content,
    CSV,
    'the files of version 1 stay downloadable',
  );
  await rejects(downloadFile(ctx, d.name, 2, dist.id), 404);

  // Versions cannot be rewritten, not even by a bug: the application role has no UPDATE on them.
  await asOwner(ownerUrl, async (c) => {
    await c.query('SET ROLE kov_app');
    await c.query(`SELECT set_config('kov.tenant', '${M}', false)`);
    await assert.rejects(c.query(`UPDATE opendata_dataset_version SET change_note = 'x'`), /permission denied/);
  });

  const w = await withdrawDataset(ctx, admin, M, d.id);
  assert.equal(w.state, 'withdrawn');
  assert.equal(await findPublished(ctx, d.name), undefined);
  await rejects(deleteDataset(ctx, editor, M, d.id), 409, /withdraw it instead/);
});

test('bad input: unknown licence, broken CSV encoding, ragged rows, unknown file type, bad link — nothing stored', async () => {
  await rejects(createDataset(ctx, editor, M, { titleEt: 'Litsents', licenseId: 'WTFPL' }), 400, /unknown-licence/);
  const d = await createDataset(ctx, editor, M, { titleEt: 'Halb fail', ...complete });
  const e1 = await rejects(
    updateDataset(ctx, editor, M, d.id, { licenseId: 'CC-BY-3.0' }),
    400,
    /CC-BY-4.0 \(Creative Commons Attribution 4.0\)/,
  );
  assert.equal((e1.extras.errors as { pointer: string }[])[0]!.pointer, '/body/licenseId');

  const broken = Buffer.concat([Buffer.from('nimi,vanus\nMari,'), Buffer.from([0xe4]), Buffer.from('\n')]);
  const e2 = await rejects(
    addFileDistribution(ctx, editor, M, d.id, { filename: 'andmed.csv', content: broken }),
    422,
    /not in UTF-8/,
  );
  assert.equal((e2.extras.report as { code: string; line: number }[])[0]!.line, 2);
  const e3 = await rejects(
    addFileDistribution(ctx, editor, M, d.id, { filename: 'andmed.csv', content: Buffer.from('a,b\n1,2\n3\n') }),
    422,
    /Line 3 has 1 value but the first line names 2 columns/,
  );
  assert.equal((e3.extras.report as { code: string }[])[0]!.code, 'ragged');
  await rejects(
    addFileDistribution(ctx, editor, M, d.id, { filename: 'andmed.docx', content: Buffer.from('x') }),
    400,
    /unknown-format/,
  );
  await rejects(
    addFileDistribution(ctx, editor, M, d.id, { filename: 'andmed.json', content: Buffer.from('{"a":') }),
    422,
    /not valid JSON/,
  );
  await rejects(
    addLinkDistribution(ctx, editor, M, d.id, { url: 'ftp://x', titleEt: 'x', titleEn: 'x', format: 'CSV' }),
    400,
    /bad-url/,
  );
  await rejects(updateDataset(ctx, editor, M, d.id, { spatial: ['0784'] }), 400, /foreign-place/);
  await rejects(
    updateDataset(ctx, editor, M, d.id, { temporalStart: '2024-02-01', temporalEnd: '2024-01-01' }),
    400,
    /period-order/,
  );
  const after = await getDataset(ctx, editor, M, d.id);
  assert.equal(after.distributions.length, 0, 'no bad file was stored');
  assert.equal(after.licenseId, 'CC-BY-4.0');
  const stored = await asOwner(ownerUrl, (c) =>
    c.query(
      `SELECT count(*)::int AS n FROM stored_file WHERE purpose = 'opendata.distribution' AND filename = 'andmed.csv'`,
    ),
  );
  assert.equal(stored.rows[0].n, 0);
  await rejects(submitForReview(ctx, editor, M, d.id), 400, /distribution-missing/);
  assert.equal((await searchPublished(ctx, { q: 'Halb', rows: 10, start: 0 })).count, 0, 'nothing published');
});

test('roles: analysts read, editors edit, data owners publish, other municipalities see nothing', async () => {
  const d = await createDataset(ctx, editor, M, { titleEt: 'Rollid', ...complete });
  await rejects(createDataset(ctx, analyst, M, { titleEt: 'x' }), 403);
  assert.equal((await getDataset(ctx, analyst, M, d.id)).id, d.id);
  await rejects(getDataset(ctx, otherAdmin, M, d.id), 403);
  await addFileDistribution(ctx, editor, M, d.id, { filename: 'a.csv', content: CSV });
  await submitForReview(ctx, editor, M, d.id);
  await rejects(publishDataset(ctx, dataOwner, M, d.id), 403);
  await assignGovernanceRole(ctx, admin, M, { idCode: ownerP.idCode, role: 'data_owner' });
  const r = await returnToDraft(ctx, dataOwner, M, d.id, 'Lisa kvaliteedimärkus');
  assert.equal(r.state, 'draft');
  await updateDataset(ctx, editor, M, d.id, { qualityNote: 'Kontrollitud käsitsi.' });
  await submitForReview(ctx, editor, M, d.id);
  const p = await publishDataset(ctx, dataOwner, M, d.id);
  assert.equal(p.state, 'published');
  assert.equal((await findPublished(ctx, d.name))?.qualityNote, 'Kontrollitud käsitsi.');
});

test('a draft that was never published can be deleted; names stay unique', async () => {
  const a = await createDataset(ctx, editor, M, { titleEt: 'Sama nimi' });
  const b = await createDataset(ctx, editor, M, { titleEt: 'Sama nimi' });
  assert.equal(b.name, `${a.name}-2`);
  await deleteDataset(ctx, editor, M, a.id);
  await rejects(getDataset(ctx, editor, M, a.id), 404);
});
