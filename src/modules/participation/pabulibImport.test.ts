import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { prng } from '../../platform/demo/population';
import { importPabulib } from './pabulibImport';
import { parsePabulib, type PbFile } from './pabulib';
import { compareResults, getResults, resultsCsv, resultsPabulib } from './results';
import type { EqualSharesSummary, Explanation } from './rules';
import type { PbIssue } from './pabulib';

interface Results {
  questions: { choices: { id: number; points: number; explanation: Explanation }[] }[];
  budget: { rule: string; winners: { id: number }[]; equalShares: EqualSharesSummary[] };
}

const M = '0793';
const platform = await testPlatform();
const { ctx, ownerUrl } = platform;
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
const results = async (id: string) => (await getResults(ctx, actor, M, id)) as unknown as Results;
const explanations = (r: Results) => (id: number) => r.questions[0]!.choices.find((c) => c.id === id)!.explanation;
const resources = path.resolve(import.meta.dirname, '../../../resources/pabulib');

/** A file's content as data: META, project cells, and the votes as a multiset (voter ids aside). */
function content(f: PbFile) {
  const votes = f.votes
    .map((v) => JSON.stringify([v.projects.map((j) => f.projects[j]!.id), v.points, v.extra, v.raw]))
    .sort();
  return {
    meta: f.meta,
    projectHeader: f.projectHeader,
    projects: f.projects.map((p) => p.cells),
    voteHeader: f.voteHeader,
    votes,
  };
}

/** Imports, exports and reads back: the same META, projects and votes. */
async function roundTrip(text: string, filename: string) {
  const original = parsePabulib(text);
  assert.equal(original.errors, 0, JSON.stringify(original.issues.slice(0, 5)));
  const report = await importPabulib(ctx, actor, M, text, { filename });
  assert.equal(report.imported, true);
  assert.equal(report.votes, original.votes.length);
  const exported = await resultsPabulib(ctx, actor, M, report.voteId!);
  const again = parsePabulib(exported.text);
  assert.equal(again.errors, 0, JSON.stringify(again.issues.slice(0, 5)));
  assert.deepEqual(content(again), content(original));
  return { report, original, again, exported };
}

const streamOf = (text: string) =>
  (async function* () {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i += 1 << 16) yield bytes.subarray(i, i + (1 << 16));
  })();

/** A generated file of Wrocław size and shape: META without the key;value line, voter metadata. */
function wroclawSize(votes: number) {
  const rand = prng(2015);
  const P = 60;
  const lines = [
    'META',
    'description;Wrocławski Budżet Obywatelski 2015 (generated, same size)',
    'country;Poland',
    'unit;Wrocław',
    'instance;2015',
    `num_projects;${P}`,
    `num_votes;${votes}`,
    'budget;20000000',
    'vote_type;approval',
    'rule;greedy',
    'date_begin;01.09.2015',
    'date_end;20.09.2015',
    'max_length;1',
    'PROJECTS',
    'project_id;cost;votes;name;category;latitude;longitude',
  ];
  const counts = new Array(P).fill(0);
  const chosen: number[] = [];
  const popularity = Array.from({ length: P }, () => rand() ** 3);
  const total = popularity.reduce((a, b) => a + b, 0);
  for (let v = 0; v < votes; v++) {
    let r = rand() * total;
    let j = 0;
    while ((r -= popularity[j]!) > 0 && j < P - 1) j++;
    chosen.push(j);
    counts[j]++;
  }
  for (let j = 0; j < P; j++)
    lines.push(
      `${100 + j};${(250 + Math.floor(rand() * 1750)) * 1000};${counts[j]};"Projekt ${j}; etap ${1 + (j % 3)}";${['zieleń', 'drogi', 'sport'][j % 3]};51.1${j};17.0${j}`,
    );
  lines.push('VOTES', 'voter_id;age;sex;vote');
  for (let v = 0; v < votes; v++) lines.push(`w${v};${18 + (v % 70)};${v % 2 ? 'M' : 'K'};${100 + chosen[v]!}`);
  return lines.join('\n') + '\n';
}

test('a Wrocław-size file (131,778 votes, META without "key;value") imports from a stream and exports back unchanged', async () => {
  const text = wroclawSize(131_778);
  const original = parsePabulib(text);
  const report = await importPabulib(ctx, actor, M, streamOf(text), { filename: 'wroclaw-2015-generated.pb' });
  assert.equal(report.imported, true);
  assert.equal(report.votes, 131_778);
  assert.equal(report.projects, 60);
  const exported = await resultsPabulib(ctx, actor, M, report.voteId!);
  const again = parsePabulib(exported.text);
  assert.equal(again.errors, 0);
  assert.deepEqual(content(again), content(original));
  assert.equal(again.metaMap.country, 'Poland');
  assert.equal(again.metaMap.instance, '2015');
  assert.equal(exported.filename, 'wroclaw_2015_generated.pb');
});

test('every vote type round-trips through import and export: approval with voter metadata, cumulative (a project given points twice), scoring, ordinal', async () => {
  const head = (vt: string, extra: string) =>
    `META\nkey;value\ndescription;Generated ${vt}\ncountry;Poland\nunit;Zabrze\nsubunit;Centrum\ndistrict;Śródmieście\ninstance;2021\nedition;7\ncomment;#1: generated for the tests\nbudget;1000\nvote_type;${vt}\nrule;greedy\ndate_begin;15.10.2020\ndate_end;31.10.2020\n${extra}` +
    'PROJECTS\nproject_id;cost;votes;score;name;category;target;selected\n' +
    '1;400;3;;Park;green;children;1\n2;300;2;;"Road; north";roads;;1\n3;500;1;;School;education;youth;0\n579;100;2;;Bench;green,space;seniors;2\n';
  const cases = {
    approval:
      head('approval', 'min_length;1\nmax_length;3\n') +
      'VOTES\nvoter_id;age;sex;voting_method;vote\n1;34;f;internet;1,2\n2;51;m;paper;579,1\n3;;;;3\n4;70;m;paper;1,2,579\n',
    cumulative:
      head('cumulative', 'max_sum_points;5\nmax_points;4\n') +
      'VOTES\nvoter_id;vote;points;sex\n1;579,579,579,579;1,1,1,1;F\n2;1,2;3,2;M\n3;3;1;\n',
    scoring:
      head('scoring', 'min_points;-1\nmax_points;2\n') + 'VOTES\nvoter_id;vote;points\n1;1,2,3;2,0,-1\n2;579;1\n',
    ordinal: head('ordinal', 'max_length;3\n') + 'VOTES\nvoter_id;vote;age\n1;3,1,2;20\n2;2,579;40\n3;1;60\n',
  };
  for (const [kind, text] of Object.entries(cases)) {
    const { report, again } = await roundTrip(text, `${kind}.pb`);
    assert.equal(report.voteType, kind);
    assert.deepEqual(again.meta.map(([k]) => k).slice(0, 9), [
      'description',
      'country',
      'unit',
      'subunit',
      'district',
      'instance',
      'edition',
      'comment',
      'budget',
    ]);
    assert.equal(again.metaMap.instance, '2021'); // not the year of date_begin
    assert.equal(again.projects.find((p) => p.id === '579')!.selected, '2');
  }
  // Ordinal ballots are counted by position (first of three places 3 points, second 2, third 1).
  const ordinal = await importPabulib(ctx, actor, M, cases.ordinal, { filename: 'o.pb' });
  const res = await results(ordinal.voteId!);
  const points = Object.fromEntries(res.questions[0]!.choices.map((c) => [c.id, c.points]));
  assert.deepEqual(points, { 1: 2 + 3, 2: 1 + 3, 3: 3, 579: 2 });
});

test('real Pabulib files from resources/pabulib import, count and export unchanged', async () => {
  const toulouse = readFileSync(path.join(resources, 'France_Toulouse_2022_6_-_Saint-Cyprien.pb'), 'utf8');
  const t = await roundTrip(toulouse, 'France_Toulouse_2022_6_-_Saint-Cyprien.pb');
  assert.equal(t.report.counting.rule, 'greedy');
  assert.equal(t.report.countingNote, null);
  // Greedy with skipping on €400,000: 34 (206 votes, €175,000; €225,000 left), 38 (161,
  // €110,000; €115,000 left), 39 (€150,000) and 32 (€192,000) do not fit, 40 (€100,000; €15,000
  // left), 36 (€80,000) does not fit, 35 (€14,000) does.
  assert.deepEqual(t.report.winners, ['34', '38', '40', '35']);
  assert.equal(t.again.metaMap.budget, '400000.0');
  const dieppe = readFileSync(path.join(resources, 'Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb'), 'utf8');
  const d = await roundTrip(dieppe, 'Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb');
  assert.match(d.report.countingNote!, /rule "unknown" is not one the platform counts by/);
  assert.equal(d.again.metaMap.acknowledgments, parsePabulib(dieppe).metaMap.acknowledgments);
});

test('bad input: each a 422 naming the line, and nothing stored', async () => {
  const rows = () =>
    asOwner(ownerUrl, async (c) => {
      const n = async (table: string) =>
        Number((await c.query(`SELECT count(*) AS n FROM ${table} WHERE municipality_code = $1`, [M])).rows[0].n);
      return {
        votes: await n('pv_vote'),
        boxes: await n('bb_box'),
        ballots: await n('bb_ballot'),
        ideas: await n('pv_idea'),
        sources: await n('pv_pabulib_source'),
      };
    });
  const before = await rows();
  const good =
    'META\nkey;value\nbudget;150\nvote_type;cumulative\nnum_votes;3\nmax_sum_points;3\nmax_points;2\nPROJECTS\nproject_id;cost;name\n1;100;A\n2;100;B\n3;50;C\nVOTES\nvoter_id;vote;points\n1;1,2;1,1\n2;1,3;2,1\n3;3;2\n';
  const bad: [string, string, number, RegExp][] = [
    ['budget smaller than every project', good.replace('budget;150', 'budget;40'), 3, /smaller than every project/],
    ['duplicate project ids', good.replace('3;50;C', '2;50;C'), 12, /project 2 is listed twice/],
    ['a vote for an unknown project', good.replace('2;1,3;2,1', '2;1,7;2,1'), 16, /unknown project 7/],
    ['points over the limit', good.replace('3;3;2', '3;3;3'), 17, /over the limit of 2/],
    ['a truncated file', good.slice(0, good.indexOf('3;3;2')), 16, /seems truncated/],
  ];
  const boundary = 'x-kov-boundary';
  const upload = (text: string, fields: Record<string, string> = {}) =>
    platform.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${M}/pabulib-imports`,
      headers: { ...official.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        Object.entries(fields)
          .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
          .join('') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pb"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`,
    });
  for (const [what, text, line, message] of bad) {
    const res = await upload(text);
    assert.equal(res.statusCode, 422, `${what}: ${res.body}`);
    assert.equal(res.json().type, '/problems/pabulib-invalid', what);
    const errors = (res.json().report.issues as PbIssue[]).filter((i) => i.severity === 'error');
    assert.ok(
      errors.some((i) => i.line === line && message.test(i.message)),
      `${what}: ${JSON.stringify(errors)}`,
    );
  }
  assert.deepEqual(await rows(), before);
  // The same file without its mistakes imports, counted as the official chose.
  const ok = await upload(good, { rule: 'greedy-stop' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().counting, { rule: 'greedy', greedy: 'stop', utility: 'cost' });
  const after = await rows();
  assert.equal(after.votes, before.votes + 1);
  assert.equal(after.ballots, before.ballots + 3);
  // A choice the platform does not know is refused before anything is read.
  const wrong = await upload(good, { rule: 'borda' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().errors[0].pointer, '/body/rule');
});

test('results people can follow: greedy place and money left, equal shares round and price, in the API, the CSV and the comparison', async () => {
  // Budget €200; A €100 ← v1, v2; B €120 ← v1, v3, v5; C €50 ← v4; nobody wants D.
  // Greedy order: B (3 votes), A (2), C (1).
  const text =
    'META\nkey;value\nbudget;200\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;name;selected\n1;100;A;0\n2;120;B;1\n3;50;C;1\n4;10;Nobody;0\nVOTES\nvoter_id;vote\n1;1,2\n2;1\n3;2\n4;3\n5;2\n';
  // Without skipping (Poznań): B (€200 left) funded; A (€80 left) does not fit: funding stops.
  const stop = await importPabulib(ctx, actor, M, text, { counting: { rule: 'greedy', greedy: 'stop' } });
  assert.deepEqual(stop.winners, ['2']);
  assert.deepEqual(stop.unsupported, ['4']);
  assert.equal(stop.matchesFileSelection, false);
  assert.match(stop.differences[0]!, /project 3 .*the file says selected \(1\), the greedy rule \(stop\) does not/);
  const ex = explanations(await results(stop.voteId!));
  assert.deepEqual([ex(2).reason, ex(2).place, ex(2).moneyLeftCents], ['funded', 1, 200_00]);
  assert.deepEqual([ex(1).reason, ex(1).place, ex(1).moneyLeftCents], ['did-not-fit', 2, 80_00]);
  assert.deepEqual([ex(3).reason, ex(3).place], ['after-stop', 3]);
  assert.equal(ex(4).reason, 'no-support');
  const csv = await resultsCsv(ctx, actor, M, stop.voteId!, 'choices');
  const [header, ...lines] = csv.trim().split('\r\n');
  assert.match(header!, /,rule,reason,place,money_left_eur,round,price_per_unit_eur,/);
  assert.ok(lines.some((l) => l.startsWith('1,') && l.includes(',1,A,') && l.includes(',greedy,did-not-fit,2,80.00,')));
  // The same closed ballots under the other rules, side by side.
  const cmp = await compareResults(ctx, actor, M, stop.voteId!);
  const by = (rule: string, v: string) =>
    cmp.variants.find((x) => x.rule === rule && (rule === 'greedy' ? x.greedy === v : x.utility === v))!;
  assert.equal(by('greedy', 'stop').current, true);
  assert.deepEqual(by('greedy', 'skip').winners, [2, 3]);
  assert.deepEqual(by('greedy', 'skip').added, [3]);
  assert.equal(by('greedy', 'stop').votersWithFundedPercent, 60); // v1, v3, v5
  assert.equal(by('greedy', 'skip').votersWithFundedPercent, 80);
  assert.equal(by('greedy', 'skip').spentCents, 170_00);
  // Equal shares: €40 each. Round 1: B's three supporters pay €40 each (ρ = 40/120); A's have
  // €80 < €100, C's €40 < €50. Add-one raises the shares to €50: then C is funded in round 2
  // (its supporter pays €50), and A's supporters, after B, hold €10 + €50 < €100.
  const esImport = await importPabulib(ctx, actor, M, text, { counting: { rule: 'equal-shares' } });
  assert.deepEqual(esImport.winners, ['2', '3']);
  const er = await results(esImport.voteId!);
  assert.equal(er.budget.rule, 'equal-shares');
  assert.deepEqual(
    [er.budget.equalShares[0]!.baseShareCents, er.budget.equalShares[0]!.shareCents, er.budget.equalShares[0]!.steps],
    [40_00, 50_00, 10],
  );
  const ec = explanations(er);
  assert.deepEqual(
    [ec(2).reason, ec(2).round, ec(2).pricePerUnitCents, ec(2).supportersHadCents, ec(2).payers],
    ['funded', 1, 40_00, 150_00, 3],
  );
  assert.deepEqual(
    [ec(3).reason, ec(3).round, ec(3).pricePerUnitCents, ec(3).supportersHadCents],
    ['funded', 2, 50_00, 50_00],
  );
  assert.deepEqual(
    [ec(1).reason, ec(1).round, ec(1).supportersHadCents, ec(1).moneyLeftCents],
    ['did-not-fit', 2, 60_00, 30_00],
  );
  const esCsv = await resultsCsv(ctx, actor, M, esImport.voteId!, 'choices');
  assert.ok(
    esCsv
      .split('\r\n')
      .some((l) => l.includes(',2,B,') && l.includes(',equal-shares,funded,,,1,40.00,40.00,150.00,3,0')),
  );
  // A resident sees none of it before publication; the comparison is the officials'.
  const resident = await makePerson(ctx);
  const residentSession = await sessionFor(ctx, resident.id);
  const denied = await platform.app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${M}/votes/${stop.voteId}/results/compare`,
    headers: residentSession.headers,
  });
  assert.equal(denied.statusCode, 409);
});
