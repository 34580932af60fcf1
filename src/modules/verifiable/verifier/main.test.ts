import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exampleElection, simulateElection } from '../crypto/simulate';
import { readRecord, runVerifier } from './main';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-verify-'));
const { record } = simulateElection({
  election: exampleElection({ trustees: 2, threshold: 2, choices: 3, max: 2 }),
  voters: [
    { slot: 'a', ballots: [[[0]], [[1, 2]]] },
    { slot: 'b', ballots: [[[2]]] },
  ],
  audits: [[[0]]],
});

function run(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runVerifier(
    [file],
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('kov verify reads a record compact, pretty-printed, or with ballots before the head, and says VALID', () => {
  const { ballots, ...rest } = record;
  const layouts = {
    compact: JSON.stringify(record),
    pretty: JSON.stringify(record, null, 2),
    reordered: JSON.stringify({ ballots, ...rest }),
  };
  for (const [name, text] of Object.entries(layouts)) {
    const file = path.join(tmp, `${name}.json`);
    writeFileSync(file, text);
    const r = run(file);
    assert.equal(r.code, 0, `${name}: ${r.out}${r.err}`);
    assert.match(r.out, /^VALID/);
    assert.match(r.out, /3 ballot\(s\) on the board \(2 counted, 1 superseded, 0 cancelled/);
  }
  const parsed = readRecord(Buffer.from(JSON.stringify(record, null, 1)));
  assert.equal([...parsed.ballots()].length, 3);
  assert.equal((parsed.head as { publicKey: string }).publicKey, record.publicKey);
});

test('kov verify: a changed byte → INVALID naming the item (exit 1); broken JSON → cannot read (exit 2); --json', () => {
  const bad = structuredClone(record);
  const s = bad.ballots[2]!.ballot.answers[0]!.choices[0]!.proof[0]!.s;
  bad.ballots[2]!.ballot.answers[0]!.choices[0]!.proof[0]!.s = s.slice(0, 3) + (s[3] === '0' ? '1' : '0') + s.slice(4);
  const file = path.join(tmp, 'bad.json');
  writeFileSync(file, JSON.stringify(bad, null, 2));
  const r = run(file);
  assert.equal(r.code, 1);
  assert.match(r.out, /^INVALID/);
  assert.match(r.out, /✖ ballots\[2\] \(slot b, version 1, tracker [0-9a-f]{12}…\)\.(tracker|ballot)/);
  const broken = path.join(tmp, 'broken.json');
  writeFileSync(broken, JSON.stringify(record).slice(0, -20));
  const b = run(broken);
  assert.equal(b.code, 2);
  assert.match(b.err, /cannot read .*not valid JSON at byte/);
  const out: string[] = [];
  assert.equal(
    runVerifier(
      [file, '--json'],
      (l) => out.push(l),
      () => {},
    ),
    1,
  );
  const v = JSON.parse(out.join('\n'));
  assert.equal(v.valid, false);
  assert.ok(v.failures.length >= 1);
  assert.equal(
    runVerifier(
      [],
      () => {},
      () => {},
    ),
    2,
  );
});
