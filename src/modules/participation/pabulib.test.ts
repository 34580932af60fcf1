import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PabulibReader, parsePabulib, parsePabulibStream, writePabulib, type PbFile } from './pabulib';

const errorsOf = (f: PbFile) => f.issues.filter((i) => i.severity === 'error');
const ids = (f: PbFile, v: PbFile['votes'][number]) => v.projects.map((j) => f.projects[j]!.id);

test('real-world irregularities: BOM, CRLF, quoted fields with ; "" and a line break, extra columns kept cell by cell', () => {
  const text =
    '\uFEFFMETA\r\nkey;value\r\ndescription;"Test; with semicolon"\r\ncomment;"#1: two\r\nlines"\r\nbudget;100.50\r\nvote_type;approval\r\nnum_votes;3\r\n' +
    'PROJECTS\r\nproject_id;cost;votes;name;category;latitude;selected\r\n1;60;2;Park;"green,sport";58.38;1\r\n2;50,5;1;"Road ""A""";roads;;2\r\n' +
    'VOTES\r\nvoter_id;age;sex;vote;voting_method\r\nx1;34;f;1,2;internet\r\nx2;51;m;2, 1;paper\r\nx3;;;1;\r\n';
  const f = parsePabulib(text);
  assert.deepEqual(errorsOf(f), []);
  assert.deepEqual(f.meta, [
    ['description', 'Test; with semicolon'],
    ['comment', '#1: two\r\nlines'.replace('\r', '')],
    ['budget', '100.50'],
    ['vote_type', 'approval'],
    ['num_votes', '3'],
  ]);
  assert.equal(f.budgetCents, 100_50);
  assert.deepEqual(
    f.projects.map((p) => [p.id, p.costCents, p.name, p.selected]),
    [
      ['1', 60_00, 'Park', '1'],
      ['2', 50_50, 'Road "A"', '2'],
    ],
  );
  assert.deepEqual(f.projects[0]!.cells, ['1', '60', '2', 'Park', 'green,sport', '58.38', '1']);
  assert.deepEqual(f.voteExtra, ['age', 'sex', 'voting_method']);
  assert.deepEqual(
    f.votes.map((v) => [ids(f, v), v.extra]),
    [
      [
        ['1', '2'],
        ['34', 'f', 'internet'],
      ],
      [
        ['2', '1'],
        ['51', 'm', 'paper'],
      ],
      [['1'], ['', '', '']],
    ],
  );
});

test('META with or without the "key;value" line reads the same', () => {
  const body = 'budget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;60\nVOTES\nvoter_id;vote\n1;1\n';
  const a = parsePabulib(`META\nkey;value\n${body}`);
  const b = parsePabulib(`META\n${body}`);
  assert.deepEqual(errorsOf(b), []);
  assert.deepEqual(b.meta, a.meta);
  assert.deepEqual(b.meta[0], ['budget', '100']);
});

test('every vote type: approval (choose-1), cumulative (a project listed twice adds up), scoring (negative points), ordinal (order kept)', () => {
  const head = (vt: string, extra = '') =>
    `META\nkey;value\nbudget;1000\nvote_type;${vt}\n${extra}PROJECTS\nproject_id;cost\n1;100\n2;200\n3;300\n579;50\n`;
  const cum = parsePabulib(
    head('cumulative', 'max_sum_points;10\nmax_points;5\n') +
      'VOTES\nvoter_id;vote;points\n1;579,579,579,579;1,1,1,1\n2;3,1;5,2\n',
  );
  assert.deepEqual(errorsOf(cum), []);
  assert.equal(cum.voteType, 'cumulative');
  assert.deepEqual(ids(cum, cum.votes[0]!), ['579']);
  assert.deepEqual(cum.votes[0]!.points, [4]);
  assert.deepEqual(cum.votes[0]!.raw, { vote: '579,579,579,579', points: '1,1,1,1' });
  assert.deepEqual(cum.votes[1]!.points, [5, 2]);
  assert.equal(cum.votes[1]!.raw, null);
  const sc = parsePabulib(
    head('scoring', 'min_points;-1\nmax_points;1\n') + 'VOTES\nvoter_id;vote;points\n1;1,2,3;1,0,-1\n',
  );
  assert.deepEqual(errorsOf(sc), []);
  assert.deepEqual(sc.votes[0]!.points, [1, 0, -1]);
  const ord = parsePabulib(head('ordinal', 'max_length;3\n') + 'VOTES\nvoter_id;vote\n1;3,1,2\n2;2\n');
  assert.deepEqual(errorsOf(ord), []);
  assert.equal(ord.voteType, 'ordinal');
  assert.deepEqual(ids(ord, ord.votes[0]!), ['3', '1', '2']);
  assert.equal(ord.votes[0]!.points, null);
  const one = parsePabulib(head('choose-1') + 'VOTES\nvoter_id;vote\n1;2\n2;1,2\n');
  assert.equal(one.voteType, 'approval');
  assert.ok(one.issues.some((i) => i.line === 14 && i.severity === 'warning' && /max_length 1/.test(i.message)));
  // An ordinal ranking cannot name a project twice.
  const twice = parsePabulib(head('ordinal') + 'VOTES\nvoter_id;vote\n1;3,1,3\n');
  assert.deepEqual(
    errorsOf(twice).map((i) => i.line),
    [13],
  );
});

test('bad input: every problem an error naming its line', () => {
  const base = (meta: string, projects: string, votes: string, vt = 'approval') =>
    `META\nkey;value\nbudget;${meta}\nvote_type;${vt}\nmax_sum_points;6\nmax_points;3\nPROJECTS\nproject_id;cost\n${projects}VOTES\nvoter_id;vote${vt === 'cumulative' ? ';points' : ''}\n${votes}`;
  const first = (text: string) => errorsOf(parsePabulib(text))[0]!;
  // The budget is smaller than every project: the META budget line.
  let e = first(base('50', '1;60\n2;70\n', '1;1\n'));
  assert.equal(e.line, 3);
  assert.match(e.message, /budget \(50\) is smaller than every project's cost: the cheapest, project 1, costs 60/);
  // A project listed twice.
  e = first(base('500', '1;60\n2;70\n1;80\n', '1;1\n'));
  assert.equal(e.line, 11);
  assert.match(e.message, /project 1 is listed twice \(first on line 9\)/);
  // A vote for a project that is not in the file.
  e = first(base('500', '1;60\n2;70\n', '1;1\n2;2,9\n'));
  assert.equal(e.line, 14);
  assert.match(e.message, /voter 2: unknown project 9/);
  // Points over the limits.
  e = first(base('500', '1;60\n2;70\n', '1;1,2;3,3\n2;1;4\n', 'cumulative'));
  assert.equal(e.line, 14);
  assert.match(e.message, /4 points for project 1, over the limit of 3 \(META max_points\)/);
  e = first(base('500', '1;60\n2;70\n', '1;1,2,1;2,3,2\n', 'cumulative'));
  assert.equal(e.line, 13);
  assert.match(e.message, /4 points for project 1|7 points in all/);
  // A voter twice.
  e = first(base('500', '1;60\n', '7;1\n7;1\n'));
  assert.equal(e.line, 13);
  assert.match(e.message, /voter 7 votes twice \(first on line 12\)/);
});

test('truncated files: cut in the votes, before the votes, inside a quoted field', () => {
  const full =
    'META\nkey;value\nbudget;500\nvote_type;approval\nnum_votes;4\nPROJECTS\nproject_id;cost;name\n1;60;"Park"\n2;70;Road\nVOTES\nvoter_id;vote\n1;1\n2;2\n3;1,2\n4;2\n';
  assert.deepEqual(errorsOf(parsePabulib(full)), []);
  const cut = full.slice(0, full.indexOf('3;1,2'));
  const e = errorsOf(parsePabulib(cut));
  assert.equal(e.length, 1);
  assert.match(
    e[0]!.message,
    /META num_votes \(line 5\) says 4 votes, the file ends on line 13 after 2: it seems truncated/,
  );
  const noVotes = errorsOf(parsePabulib(full.slice(0, full.indexOf('VOTES'))));
  assert.match(noVotes[0]!.message, /without a VOTES section: it seems truncated/);
  const inQuote = errorsOf(parsePabulib(full.slice(0, full.indexOf('Park') + 2)));
  assert.ok(inQuote.some((i) => i.line === 8 && /ends inside a quoted field/.test(i.message)));
});

test('read as a stream: byte chunks splitting lines and multi-byte letters give the same file', async () => {
  const text =
    'META\nkey;value\ndescription;Õismäe ja Žõžaa\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost;name\n1;60;Pärnu mnt\n2;40;Šveitsi\nVOTES\nvoter_id;vote;points\n1;1,2;2,1\n2;2;3\n';
  const whole = parsePabulib(text);
  const bytes = new TextEncoder().encode(text);
  async function* drip() {
    for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
  }
  const streamed = await parsePabulibStream(drip());
  assert.deepEqual(streamed, whole);
  const r = new PabulibReader();
  for (const ch of text) r.push(ch);
  assert.deepEqual(r.end(), whole);
});

test('writing and reading gives the same META, project cells and votes', () => {
  const text =
    'META\nkey;value\ndescription;"A; B"\nbudget;1000\nvote_type;cumulative\nmax_sum_points;5\nPROJECTS\nproject_id;cost;name;target\n1;100;"Say ""hi""";seniors\n2;200;Two;\nVOTES\nvoter_id;vote;points;age\n1;1,2;3,2;40\n';
  const f = parsePabulib(text);
  const again = parsePabulib(
    writePabulib({
      meta: f.meta,
      projectHeader: f.projectHeader,
      projects: f.projects.map((p) => p.cells),
      voteHeader: f.voteHeader,
      votes: f.votes.map((v, i) => [String(i + 1), ids(f, v).join(','), v.points!.join(','), ...v.extra!]),
    }),
  );
  assert.deepEqual(again.meta, f.meta);
  assert.deepEqual(
    again.projects.map((p) => p.cells),
    f.projects.map((p) => p.cells),
  );
  assert.deepEqual(again.votes, f.votes);
});
