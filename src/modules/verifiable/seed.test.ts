import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, grantRole } from '../../../test/support/app';
import { person } from '../register/testSupport';
import { verifyRecord } from './crypto/verify';
import type { ElectionRecord } from './crypto/record';
import { seedVerifiableDemo } from './seed';

const platform = await testPlatform();
const { ctx, app } = platform;

test('demo data: a published verifiable vote whose record verifies, and one waiting for its trustees', async () => {
  const officials: Record<string, { admin: string; editor: string; analyst: string }> = {
    '0793': { admin: '', editor: '', analyst: '' },
  };
  for (const role of ['admin', 'editor', 'analyst'] as const) {
    const p = await person(ctx, '1971-07-07', 'female', { givenName: 'Demo', familyName: role });
    await grantRole(ctx, '0793', p.id, role);
    officials['0793']![role] = p.id;
  }
  const population = [];
  for (let i = 0; i < 30; i++) {
    const p = await person(ctx, '1989-09-09', i % 2 ? 'male' : 'female');
    population.push({
      idCode: p.idCode,
      givenName: 'Demo',
      familyName: `Resident${i}`,
      sex: 'female' as const,
      birthDate: '1989-09-09',
      residence: { municipalityCode: '0793', settlementCode: '0793', address: 'Demo 1', since: '2010-01-01' },
      personId: p.id,
    });
  }
  const lines: string[] = [];
  await seedVerifiableDemo(ctx, { seed: 7, log: (l) => lines.push(l), population, officials });
  assert.ok(
    lines.some((l) => /published verifiable vote with 24 encrypted ballots/.test(l)),
    lines.join('\n'),
  );
  const list = (await app.inject({ method: 'GET', url: '/api/v1/municipalities/0793/verifiable-votes' })).json() as {
    id: string;
    phase: string;
  }[];
  assert.deepEqual(list.map((v) => v.phase).sort(), ['ceremony', 'published']);
  const published = list.find((v) => v.phase === 'published')!;
  const record = (
    await app.inject({ method: 'GET', url: `/api/v1/municipalities/0793/verifiable-votes/${published.id}/record` })
  ).json() as ElectionRecord;
  const v = verifyRecord(record);
  assert.deepEqual(v.failures, []);
  assert.equal(v.checked.counted, 24);
  assert.equal(
    v.result?.[0]?.counts.reduce((s, c) => s + c.count, 0),
    24 + 8,
    '16 voters chose one project, 8 chose two',
  );
});
