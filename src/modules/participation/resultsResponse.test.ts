/**
 * The typed results schema (resultSchemas.ts) leaves nothing out: the HTTP answers of
 * GET …/results (closed, then published) and POST …/publish equal `getResults` as JSON, for a
 * greedy and an equal-shares budget whose explanations fill every field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { importPabulib } from './pabulibImport';
import { getResults } from './results';

const M = '0793';
const { ctx, app } = await testPlatform();
const officialP = await makePerson(ctx);
await grantRole(ctx, M, officialP.id, 'admin');
const official = await sessionFor(ctx, officialP.id);
const actor = {
  kind: 'person' as const,
  personId: officialP.id,
  givenName: 'A',
  familyName: 'B',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode: M, role: 'admin' as const }],
  acr: 'high',
};
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const text =
  'META\nkey;value\nbudget;200\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;name;selected\n1;100;A;0\n2;120;B;1\n3;50;C;1\n4;10;Nobody;0\nVOTES\nvoter_id;vote\n1;1,2\n2;1\n3;2\n4;3\n5;2\n';

test('budget results answer in full over HTTP: closed, published, and the publish answer', async () => {
  for (const counting of [{ rule: 'greedy', greedy: 'stop' }, { rule: 'equal-shares' }] as const) {
    const { voteId } = await importPabulib(ctx, actor, M, text, { counting });
    const url = `/api/v1/municipalities/${M}/votes/${voteId}`;
    const closed = await getResults(ctx, actor, M, voteId!);
    assert.equal(closed.status, 'closed');
    assert.ok(
      closed.questions[0]!.choices.every((c) => c.explanation),
      'every idea explained',
    );
    const res = await app.inject({ method: 'GET', url: `${url}/results`, headers: official.headers });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), asJson(closed), counting.rule);

    const pub = await app.inject({ method: 'POST', url: `${url}/publish`, headers: official.headers });
    assert.equal(pub.statusCode, 200, pub.body);
    const published = await getResults(ctx, actor, M, voteId!);
    assert.equal(published.status, 'published');
    assert.deepEqual(pub.json(), asJson(published));
    const open = await app.inject({ method: 'GET', url: `${url}/results` });
    assert.deepEqual(open.json(), asJson(published));
  }
});
