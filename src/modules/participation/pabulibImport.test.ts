import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { prng } from '../../platform/demo/population';
import { importPabulib } from './pabulibImport';
import { parsePabulib, writePabulib } from './pabulib';
import { resultsPabulib } from './results';
import { selectBudgetWinners } from './rules';

const M = '0793';
const platform = await testPlatform();
const { ctx } = platform;
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

/** A real-sized budget: 20 projects, 50,000 approval votes (1–3 projects each), budget €200,000. */
function generate() {
  const rand = prng(42);
  const projects = Array.from({ length: 20 }, (_, i) => ({
    id: String(i + 1),
    costCents: (10 + Math.floor(rand() * 90)) * 1000_00,
    name: `Project ${i + 1}`,
    votes: 0,
    score: null,
    selected: null as boolean | null,
    category: null,
  }));
  const popularity = projects.map(() => rand() ** 2);
  const votes = [];
  for (let v = 1; v <= 50_000; v++) {
    const n = 1 + Math.floor(rand() * 3);
    const chosen = new Set<string>();
    while (chosen.size < n) {
      let r = rand() * popularity.reduce((a, b) => a + b, 0);
      let i = 0;
      while ((r -= popularity[i]!) > 0) i++;
      chosen.add(projects[Math.min(i, 19)]!.id);
    }
    votes.push({ voterId: String(v), projectIds: [...chosen], points: null });
  }
  for (const v of votes) for (const p of v.projectIds) projects[Number(p) - 1]!.votes++;
  const outcome = selectBudgetWinners(
    projects.map((p) => ({
      id: Number(p.id),
      costCents: p.costCents,
      districtId: 1,
      score: p.votes,
      supporters: p.votes,
    })),
    [{ id: 1, name: 'Tartu', budgetCents: 200_000_00, settlementCodes: [], minVoters: 0, voters: votes.length }],
    { greedy: 'skip', minSupport: 0, pooling: false },
  );
  const won = new Set(outcome.winners.map((w) => String(w.id)));
  for (const p of projects) p.selected = won.has(p.id);
  return writePabulib({
    meta: {
      description: 'Tartu kaasav eelarve (generated)',
      country: 'Estonia',
      unit: 'Tartu',
      instance: 2024,
      num_projects: 20,
      num_votes: votes.length,
      budget: 200000,
      vote_type: 'approval',
      rule: 'greedy',
      date_begin: '01.10.2024',
      date_end: '07.10.2024',
      min_length: 1,
      max_length: 3,
    },
    projects,
    votes,
  });
}

test('20 projects × 50,000 approval votes: import, export again, same projects, votes and winners', async () => {
  const text = generate();
  const original = parsePabulib(text);
  const report = await importPabulib(ctx, actor, M, text, { filename: 'tartu-2024.pb' });
  assert.equal(report.imported, true);
  assert.equal(report.errors, 0);
  assert.equal(report.votes, 50_000);
  assert.equal(report.matchesFileSelection, true, report.differences.join('\n'));
  const exported = await resultsPabulib(ctx, actor, M, report.voteId!);
  const again = parsePabulib(exported.text);
  assert.equal(again.issues.filter((i) => i.severity === 'error').length, 0);
  assert.deepEqual(
    again.projects.map((p) => [p.id, p.costCents, p.name, p.votes, p.selected]),
    original.projects.map((p) => [p.id, p.costCents, p.name, p.votes, p.selected]),
  );
  // The same votes (voters are renumbered in an order unrelated to the original: compare as multisets).
  const key = (v: { projectIds: string[] }) => [...v.projectIds].sort((a, b) => Number(a) - Number(b)).join(',');
  assert.deepEqual(again.votes.map(key).sort(), original.votes.map(key).sort());
  assert.equal(again.meta.budget, '200000');
  assert.equal(again.meta.vote_type, 'approval');
});

test('an irregular file is reported line by line and imports nothing; the officials\u2019 upload answers the same report', async () => {
  const bad =
    'META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;abc;Broken\n2;100;Fine\nVOTES\nvoter_id;vote\n1;2\n2;9\n';
  await assert.rejects(
    importPabulib(ctx, actor, M, bad),
    (e: any) =>
      e.status === 422 &&
      e.extras.report.issues.some((i: any) => i.line === 7 && i.severity === 'error') &&
      e.extras.report.issues.some((i: any) => i.line === 12 && /unknown project/.test(i.message)),
  );
  const boundary = 'x-kov-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bad.pb"\r\nContent-Type: text/plain\r\n\r\n${bad}\r\n--${boundary}--\r\n`;
  const res = await platform.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${M}/pabulib-imports`,
    headers: { ...official.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().type, '/problems/pabulib-invalid');
  assert.ok(res.json().report.issues.length >= 2);
  const good =
    'META\nkey;value\nbudget;150\nvote_type;approval\nPROJECTS\nproject_id;cost;name;selected\n1;100;A;1\n2;100;B;0\n3;50;C;1\nVOTES\nvoter_id;vote\n1;1,2\n2;1,3\n3;2,1\n4;3\n';
  const ok = await platform.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${M}/pabulib-imports`,
    headers: { ...official.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body.replace(bad, good),
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().matchesFileSelection, true);
  assert.deepEqual(ok.json().winners.sort(), ['1', '3']);
  const vote = await platform.app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${M}/votes/${ok.json().voteId}`,
  });
  assert.equal(vote.json().status, 'closed');
  assert.equal(vote.json().imported, true);
});
