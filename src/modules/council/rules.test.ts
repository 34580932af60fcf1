import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decide, decideElection, hasQuorum, quorumNeeded, validQualifiedFraction } from './rules';

test('quorum: more than half of the composition; exactly half is not a quorum (every size 7–79)', () => {
  for (let seats = 7; seats <= 79; seats++) {
    const needed = quorumNeeded(seats);
    assert.equal(needed, Math.floor(seats / 2) + 1, `seats ${seats}`);
    assert.equal(hasQuorum(needed, seats), true);
    assert.equal(hasQuorum(needed - 1, seats), false);
    if (seats % 2 === 0) assert.equal(hasQuorum(seats / 2, seats), false, `exactly half of ${seats}`);
  }
  assert.equal(quorumNeeded(21), 11);
  assert.equal(quorumNeeded(20), 11);
  assert.equal(hasQuorum(10, 20), false);
});

test('quorum: a configured share (e.g. more than 2/3) at its boundary', () => {
  const rule = { num: 2, den: 3 };
  assert.equal(quorumNeeded(21, rule), 15);
  assert.equal(hasQuorum(14, 21, rule), false, 'exactly 2/3 is not more than 2/3');
  assert.equal(hasQuorum(15, 21, rule), true);
  fc.assert(
    fc.property(
      fc.integer({ min: 7, max: 79 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 2, max: 10 }),
      (seats, num, den) => {
        fc.pre(num < den);
        const r = { num, den };
        const n = quorumNeeded(seats, r);
        return (
          hasQuorum(n, seats, r) && !hasQuorum(n - 1, seats, r) && n / seats > num / den && (n - 1) / seats <= num / den
        );
      },
    ),
  );
});

test('majority of votes cast: more for than against; a tie fails; abstentions count for neither', () => {
  const cast = { kind: 'cast' } as const;
  assert.deepEqual(decide({ for: 5, against: 4, abstain: 9 }, 21, cast), { passed: true, needed: 5, tie: false });
  assert.deepEqual(decide({ for: 4, against: 4, abstain: 0 }, 21, cast), { passed: false, needed: 5, tie: true });
  assert.equal(decide({ for: 3, against: 4, abstain: 0 }, 21, cast).passed, false);
  assert.equal(decide({ for: 0, against: 0, abstain: 11 }, 21, cast).passed, false, 'nobody for');
  assert.equal(decide({ for: 1, against: 0, abstain: 10 }, 21, cast).passed, true);
  fc.assert(
    fc.property(
      fc.nat(79),
      fc.nat(79),
      fc.nat(79),
      (f, a, x) => decide({ for: f, against: a, abstain: x }, 79, cast).passed === f > a,
    ),
  );
});

test('majority of the full composition: more than half of the seats, whoever is present', () => {
  const comp = { kind: 'composition' } as const;
  assert.equal(decide({ for: 11, against: 0, abstain: 0 }, 21, comp).passed, true);
  assert.equal(decide({ for: 10, against: 0, abstain: 0 }, 21, comp).passed, false);
  assert.equal(decide({ for: 10, against: 0, abstain: 0 }, 20, comp).passed, false, 'exactly half of 20');
  assert.equal(decide({ for: 11, against: 9, abstain: 0 }, 20, comp).passed, true);
  assert.equal(decide({ for: 11, against: 0, abstain: 0 }, 21, comp).needed, 11);
  fc.assert(
    fc.property(
      fc.integer({ min: 7, max: 79 }),
      fc.nat(79),
      fc.nat(79),
      (seats, f, a) => decide({ for: f, against: a, abstain: 0 }, seats, comp).passed === f > seats / 2,
    ),
  );
});

test('qualified majority: at least 2/3 of the composition, or of the votes for and against', () => {
  const ofSeats = { kind: 'qualified', num: 2, den: 3, base: 'composition' } as const;
  assert.equal(decide({ for: 14, against: 0, abstain: 0 }, 21, ofSeats).passed, true, '14 = 2/3 of 21');
  assert.equal(decide({ for: 13, against: 0, abstain: 0 }, 21, ofSeats).passed, false);
  assert.equal(decide({ for: 14, against: 0, abstain: 0 }, 20, ofSeats).passed, true, '14 ≥ 13.33');
  assert.equal(decide({ for: 13, against: 0, abstain: 0 }, 20, ofSeats).passed, false);
  assert.equal(decide({ for: 13, against: 0, abstain: 0 }, 20, ofSeats).needed, 14);
  const ofCast = { kind: 'qualified', num: 2, den: 3, base: 'cast' } as const;
  assert.equal(decide({ for: 10, against: 5, abstain: 6 }, 21, ofCast).passed, true, 'exactly 2/3 of 15');
  assert.equal(decide({ for: 9, against: 5, abstain: 6 }, 21, ofCast).passed, false);
  assert.equal(decide({ for: 0, against: 0, abstain: 21 }, 21, ofCast).passed, false, 'no votes for or against');
  fc.assert(
    fc.property(fc.integer({ min: 7, max: 79 }), fc.nat(79), fc.nat(79), (seats, f, a) => {
      const d1 = decide({ for: f, against: a, abstain: 0 }, seats, ofSeats);
      const d2 = decide({ for: f, against: a, abstain: 0 }, seats, ofCast);
      return d1.passed === f * 3 >= seats * 2 && d2.passed === (f + a > 0 && f * 3 >= (f + a) * 2);
    }),
  );
  assert.equal(validQualifiedFraction(2, 3), true);
  assert.equal(validQualifiedFraction(1, 2), false, 'a half is not a qualified majority');
  assert.equal(validQualifiedFraction(4, 3), false);
});

test('election: the leader is elected under the rule; a tie for first elects nobody', () => {
  const cast = { kind: 'cast' } as const;
  const e1 = decideElection(
    new Map([
      ['a', 8],
      ['b', 5],
    ]),
    1,
    2,
    21,
    cast,
  );
  assert.equal(e1.elected, 'a', '8 for against 6 others');
  const e2 = decideElection(
    new Map([
      ['a', 6],
      ['b', 5],
    ]),
    1,
    0,
    21,
    cast,
  );
  assert.equal(e2.elected, null, '6 is not more than the 6 other ballots');
  assert.equal(e2.leader, 'a');
  const tie = decideElection(
    new Map([
      ['a', 6],
      ['b', 6],
    ]),
    0,
    1,
    21,
    cast,
  );
  assert.deepEqual([tie.elected, tie.tieForFirst], [null, true]);
  const comp = decideElection(
    new Map([
      ['a', 10],
      ['b', 2],
    ]),
    0,
    0,
    21,
    { kind: 'composition' },
  );
  assert.equal(comp.elected, null, '10 of 21 is not a majority of the composition');
  assert.equal(decideElection(new Map([['a', 11]]), 0, 0, 21, { kind: 'composition' }).elected, 'a');
  assert.equal(decideElection(new Map([['a', 0]]), 0, 5, 21, cast).elected, null, 'all abstained');
});
