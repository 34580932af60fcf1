import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { equalShares, esTieOrder, type EsBallot, type EsProject } from './equalShares';
import * as R from './rational';
import { selectBudgetWinners } from './rules';

const approval = (sel: number[][]): EsBallot[] => sel.map((s) => ({ selections: s }));
/** Projects with their votes/points counted from the ballots (as the results do). */
function counted(costs: Record<number, number>, ballots: EsBallot[]): EsProject[] {
  return Object.entries(costs).map(([id, costCents]) => {
    let votes = 0;
    let score = 0;
    for (const b of ballots)
      b.selections.forEach((s, k) => {
        if (s === Number(id)) {
          votes++;
          score += b.weights ? b.weights[k]! : 1;
        }
      });
    return { id: Number(id), costCents, votes, score };
  });
}
const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

test('the papers’ proportionality example: 51 % for ten red projects, 49 % for ten blue, money for ten → five and five', () => {
  // Peters & Skowron's motivating example (also on equalshares.net and Wikipedia): the greedy
  // rule gives the 51 % everything; equal shares gives each group its share of the money.
  const red = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const blue = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const ballots = [...times(51, { selections: red }), ...times(49, { selections: blue })];
  const costs = Object.fromEntries([...red, ...blue].map((id) => [id, 100_00]));
  const projects = counted(costs, ballots);
  const greedy = selectBudgetWinners(
    projects.map((p) => ({ id: p.id, costCents: p.costCents, districtId: 1, score: p.votes, supporters: p.votes })),
    [{ id: 1, name: 'x', budgetCents: 1000_00, settlementCodes: [], minVoters: 0, voters: 100 }],
    { greedy: 'skip', minSupport: 0, pooling: false },
  );
  assert.deepEqual(
    greedy.winners.map((w) => w.id),
    red,
  );
  // Without completion: each voter has €10; the 51 red voters (€510) buy five red projects, the
  // 49 blue voters (€490) four blue ones; red first, since €100/51 < €100/49 per voter.
  const plain = equalShares(projects, ballots, { budgetCents: 1000_00, utility: 'cost', completion: 'none' });
  assert.deepEqual(plain.winners, [1, 2, 3, 4, 5, 11, 12, 13, 14]);
  const r1 = plain.explanations.get(1)!;
  assert.ok(r1.status === 'funded' && r1.phase === 'equal-shares');
  assert.equal(r1.round, 1);
  assert.deepEqual(r1.pricePerUnit, R.q(100_00, 51)); // each red voter paid €100/51
  assert.deepEqual(r1.supportersHad, R.q(510_00));
  const r6 = plain.explanations.get(6)!;
  assert.ok(r6.status === 'not-funded' && r6.reason === 'supporters-short');
  assert.deepEqual(r6.supportersHad, R.q(10_00)); // €510 − 5 × €100
  // With the add-one completion the shares grow to €11: €561 buys five red, €539 five blue.
  const add1 = equalShares(projects, ballots, { budgetCents: 1000_00, utility: 'cost', completion: 'add1' });
  assert.deepEqual(add1.winners, [1, 2, 3, 4, 5, 11, 12, 13, 14, 15]);
  assert.equal(add1.steps, 1);
  assert.deepEqual(add1.share, R.q(11_00));
  assert.equal(add1.spentCents, 1000_00);
});

test('equalshares.net’s example: €1,000,000 for 100,000 voters is €10 each; a €10,000 project with 500 votes cannot be funded', () => {
  const ballots = [...times(500, { selections: [1] }), ...times(99_500, { selections: [2] })];
  const projects = counted({ 1: 10_000_00, 2: 900_000_00 }, ballots);
  const r = equalShares(projects, ballots, { budgetCents: 1_000_000_00, utility: 'cost', completion: 'none' });
  assert.deepEqual(r.share, R.q(10_00));
  assert.deepEqual(r.winners, [2]);
  const e = r.explanations.get(1)!;
  assert.ok(e.status === 'not-funded' && e.reason === 'supporters-short');
  assert.equal(e.round, 1);
  assert.deepEqual(e.supportersHad, R.q(5_000_00)); // 500 × €10
});

test('a hand-computed example: a tie broken by the greedy order, a voter who pays all she has, add-one steps', () => {
  // Voters v1, v2, v3 with €100 each. A (€150) ← v1, v2; B (€120) ← v2, v3; C (€100) ← v3.
  // Round 1: A costs €75 per supporter, ρ = 75/150 = 1/2; B €60, ρ = 60/120 = 1/2; C ρ = 1.
  // A and B tie exactly at ρ = 1/2 → greedy order: equal votes, B is cheaper → B; v2, v3 pay €60.
  // Round 2: A's supporters have €100 + €40 < €150, C's €40 < €100: no more rounds.
  const ballots = approval([[1], [1, 2], [2, 3]]);
  const projects = counted({ 1: 150_00, 2: 120_00, 3: 100_00 }, ballots);
  const plain = equalShares(projects, ballots, { budgetCents: 300_00, utility: 'cost', completion: 'none' });
  assert.deepEqual(plain.winners, [2]);
  const a = plain.explanations.get(1)!;
  assert.ok(a.status === 'not-funded');
  assert.equal(a.round, 2);
  assert.deepEqual(a.supportersHad, R.q(140_00));
  // Add-one: €101, €102, … per voter; at €105, after B, A's supporters have €105 + €45 = €150:
  // v2 pays her €45, v1 pays €105 (σ = 105); €270 spent, €30 left fits nothing: done.
  const r = equalShares(projects, ballots, { budgetCents: 300_00, utility: 'cost', completion: 'add1', trace: true });
  assert.deepEqual(r.winners, [2, 1]);
  assert.equal(r.steps, 5);
  assert.deepEqual(r.share, R.q(105_00));
  const ea = r.explanations.get(1)!;
  assert.ok(ea.status === 'funded' && ea.phase === 'equal-shares');
  assert.equal(ea.round, 2);
  assert.deepEqual(ea.pricePerUnit, R.q(105_00));
  assert.deepEqual(ea.maxPayment, R.q(105_00));
  assert.deepEqual(ea.supportersHad, R.q(150_00));
  assert.equal(ea.paidAllTheyHad, 1);
  assert.deepEqual(
    r.payments!.get(1),
    new Map([
      [0, R.q(105_00)],
      [1, R.q(45_00)],
    ]),
  );
  const c = r.explanations.get(3)!;
  assert.ok(c.status === 'not-funded' && c.reason === 'did-not-fit');
  assert.deepEqual(c.moneyLeft, R.q(30_00));
  // Cardinality utilities: ρ is the price per supporter itself: B (€60) before A (€75).
  const card = equalShares(projects, ballots, { budgetCents: 300_00, utility: 'cardinality', completion: 'none' });
  assert.deepEqual(card.winners, [2]);
});

test('exact thirds: €1 for three voters is 33⅓ cents each; a €1 project all three support is affordable, a 67-cent one two support is not', () => {
  // In floating point 3 × (100/3) is not 100; here nothing is rounded.
  const ballots = approval([[1, 2], [1, 2], [1]]);
  const projects = counted({ 1: 100, 2: 67 }, ballots);
  const r = equalShares(projects, ballots, { budgetCents: 100, utility: 'cost', completion: 'none', trace: true });
  assert.deepEqual(r.share, R.q(100, 3));
  assert.deepEqual(r.winners, [1]);
  const total = [...r.payments!.get(1)!.values()].reduce(R.add, R.ZERO);
  assert.deepEqual(total, R.q(100));
  // Project 2 (67 cents) is out in round 1 already: its two supporters hold 66⅔ cents.
  const e = r.explanations.get(2)!;
  assert.ok(e.status === 'not-funded' && e.round === 1);
  assert.deepEqual(e.supportersHad, R.q(200, 3));
});

test('cumulative ballots: points are the utilities; a voter pays in proportion to her points', () => {
  // v1: 3 points on A; v2: 1 point on A, 2 on B. Budget €40 → €20 each. A costs €20.
  // A: σ per point with everyone rich: 20 / 4 = €5 → v1 pays €15, v2 €5.
  const ballots: EsBallot[] = [
    { selections: [1], weights: [3] },
    { selections: [1, 2], weights: [1, 2] },
  ];
  const projects = counted({ 1: 20_00, 2: 30_00 }, ballots);
  const r = equalShares(projects, ballots, { budgetCents: 40_00, utility: 'cost', completion: 'none', trace: true });
  assert.deepEqual(r.winners, [1]);
  assert.deepEqual(
    r.payments!.get(1),
    new Map([
      [0, R.q(15_00)],
      [1, R.q(5_00)],
    ]),
  );
  // A voter listing a project twice (579,579;1,1) gives it both points.
  const twice = equalShares(projects, [{ selections: [1, 1, 1], weights: [1, 1, 1] }, ballots[1]!], {
    budgetCents: 40_00,
    utility: 'cost',
    completion: 'none',
    trace: true,
  });
  assert.deepEqual(
    twice.payments!.get(1),
    new Map([
      [0, R.q(15_00)],
      [1, R.q(5_00)],
    ]),
  );
});

/** The textbook algorithm, one voter at a time, every number a fraction: the oracle for the properties. */
function naive(projects: EsProject[], ballots: EsBallot[], budget: number, utility: 'cost' | 'cardinality') {
  const n = ballots.length;
  const w = ballots.map((b) => {
    const m = new Map<number, number>();
    b.selections.forEach((s, k) => m.set(s, (m.get(s) ?? 0) + (b.weights ? b.weights[k]! : 1)));
    return m;
  });
  const money = ballots.map(() => R.q(budget, n));
  const left = new Set(projects.filter((p) => w.some((m) => (m.get(p.id) ?? 0) > 0)).map((p) => p.id));
  const funded: number[] = [];
  for (;;) {
    let best: { p: EsProject; rho: R.Q; sigma: R.Q } | null = null;
    for (const p of projects) {
      if (!left.has(p.id)) continue;
      const sup = ballots.map((_, i) => i).filter((i) => (w[i]!.get(p.id) ?? 0) > 0);
      const total = sup.reduce((a, i) => R.add(a, money[i]!), R.ZERO);
      if (R.lt(total, R.q(p.costCents))) {
        left.delete(p.id);
        continue;
      }
      sup.sort((a, b) =>
        R.cmp(R.divInt(money[a]!, BigInt(w[a]!.get(p.id)!)), R.divInt(money[b]!, BigInt(w[b]!.get(p.id)!))),
      );
      let rest = R.q(p.costCents);
      let W = sup.reduce((a, i) => a + w[i]!.get(p.id)!, 0);
      let sigma = R.ZERO;
      for (const i of sup) {
        const s = R.divInt(rest, BigInt(W));
        if (R.le(R.mulInt(s, BigInt(w[i]!.get(p.id)!)), money[i]!)) {
          sigma = s;
          break;
        }
        rest = R.sub(rest, money[i]!);
        W -= w[i]!.get(p.id)!;
      }
      const rho = utility === 'cost' && p.costCents > 0 ? R.divInt(sigma, BigInt(p.costCents)) : sigma;
      const c = best ? R.cmp(rho, best.rho) : -1;
      if (!best || c < 0 || (c === 0 && esTieOrder(p, best.p) < 0)) best = { p, rho, sigma };
    }
    if (!best) return funded;
    left.delete(best.p.id);
    funded.push(best.p.id);
    for (let i = 0; i < n; i++) {
      const wi = w[i]!.get(best.p.id) ?? 0;
      if (wi > 0) money[i] = R.sub(money[i]!, R.min(money[i]!, R.mulInt(best.sigma, BigInt(wi))));
    }
  }
}

const instance = (weighted: boolean) =>
  fc
    .record({
      costs: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 7 }),
      voters: fc.array(
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 6 }), w: fc.integer({ min: 1, max: weighted ? 4 : 1 }) }), {
          maxLength: 5,
        }),
        { minLength: 1, maxLength: 25 },
      ),
      budget: fc.integer({ min: 0, max: 300 }),
      utility: fc.constantFrom<'cost' | 'cardinality'>('cost', 'cardinality'),
    })
    .map(({ costs, voters, budget, utility }) => {
      const ballots: EsBallot[] = voters.map((v) => {
        const sel = v.filter((x) => x.p < costs.length);
        return { selections: sel.map((x) => x.p + 1), weights: weighted ? sel.map((x) => x.w) : null };
      });
      const projects = counted(Object.fromEntries(costs.map((c, i) => [i + 1, c * 100])), ballots);
      return { projects, ballots, budget: budget * 100, utility };
    });

test('properties: the same winners as the textbook algorithm; budget never exceeded; funded projects paid exactly by their supporters, within their shares', () => {
  for (const weighted of [false, true])
    fc.assert(
      fc.property(instance(weighted), ({ projects, ballots, budget, utility }) => {
        const plain = equalShares(projects, ballots, { budgetCents: budget, utility, completion: 'none', trace: true });
        assert.deepEqual(plain.winners, naive(projects, ballots, budget, utility));
        const r = equalShares(projects, ballots, { budgetCents: budget, utility, completion: 'add1', trace: true });
        for (const res of [plain, r]) {
          const cost = (id: number) => projects.find((p) => p.id === id)!.costCents;
          assert.ok(res.spentCents <= budget, 'within the budget');
          assert.equal(
            res.spentCents,
            res.winners.reduce((a, id) => a + cost(id), 0),
          );
          const paid = ballots.map(() => R.ZERO);
          for (const [id, ledger] of res.payments!) {
            let sum = R.ZERO;
            for (const [i, pay] of ledger) {
              assert.ok(ballots[i]!.selections.includes(id), 'only supporters pay');
              assert.ok(R.cmp(pay, R.ZERO) >= 0);
              sum = R.add(sum, pay);
              paid[i] = R.add(paid[i]!, pay);
            }
            assert.deepEqual(sum, R.q(cost(id)), 'the cost is covered exactly');
          }
          for (const p of paid) assert.ok(R.le(p, res.share), 'nobody pays more than their share');
        }
        // Nothing that nobody supports is ever funded.
        for (const id of r.winners) assert.ok(ballots.some((b) => b.selections.includes(id)));
      }),
      { numRuns: 150 },
    );
});

test('property: on a unanimous profile equal shares funds what the greedy rule funds', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 400 }),
      fc.constantFrom('approval-cost', 'approval-cardinality', 'cumulative-cost'),
      (costs, chosen, points, n, budget, kind) => {
        const sel = costs.map((_, i) => i + 1).filter((_, i) => chosen[i]);
        const weighted = kind === 'cumulative-cost';
        const ballots = times(n, { selections: sel, weights: weighted ? sel.map((id) => points[id - 1]!) : null });
        const projects = counted(Object.fromEntries(costs.map((c, i) => [i + 1, c * 100])), ballots);
        const greedy = selectBudgetWinners(
          projects.map((p) => ({
            id: p.id,
            costCents: p.costCents,
            districtId: 1,
            score: p.score,
            supporters: p.votes,
          })),
          [{ id: 1, name: 'x', budgetCents: budget * 100, settlementCodes: [], minVoters: 0, voters: n }],
          { greedy: 'skip', minSupport: 0, pooling: false },
        );
        const es = equalShares(projects, ballots, {
          budgetCents: budget * 100,
          utility: kind === 'approval-cardinality' ? 'cardinality' : 'cost',
          completion: 'add1',
        });
        assert.deepEqual(
          [...es.winners].sort((a, b) => a - b),
          greedy.winners.map((w) => w.id).sort((a, b) => a - b),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('property: exact ties are broken by the greedy order (more votes, then cheaper, then lower number), whatever the input order', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 9 }), (k, votes) => {
      // k projects of equal cost, each supported by `votes` voters of its own: every ρ is equal.
      const ballots: EsBallot[] = [];
      for (let p = 1; p <= k; p++) for (let v = 0; v < votes; v++) ballots.push({ selections: [p] });
      const projects = counted(Object.fromEntries(Array.from({ length: k }, (_, i) => [i + 1, 10_00])), ballots);
      const shuffled = [...projects].reverse();
      const r = equalShares(shuffled, [...ballots].reverse(), {
        budgetCents: 10_00 * k,
        utility: 'cost',
        completion: 'none',
      });
      assert.deepEqual(
        r.winners,
        projects.map((p) => p.id),
      );
      r.winners.forEach((id, i) => {
        const e = r.explanations.get(id)!;
        assert.ok(e.status === 'funded' && e.phase === 'equal-shares' && e.round === i + 1);
      });
    }),
  );
  // More votes wins an exact tie in ρ: A €20 with 2 voters and B €10 with 1 voter both cost €10 per supporter.
  const ballots = approval([[1], [1], [2]]);
  const projects = counted({ 1: 20_00, 2: 10_00 }, ballots);
  const r = equalShares(projects, ballots, { budgetCents: 30_00, utility: 'cardinality', completion: 'none' });
  assert.deepEqual(r.winners, [1, 2]);
});

test('projects nobody voted for, or below the minimum support, are never funded — and say why', () => {
  const ballots = approval([[1], [1, 2]]);
  const projects = counted({ 1: 10_00, 2: 10_00, 3: 1_00 }, ballots);
  const r = equalShares(projects, ballots, { budgetCents: 100_00, utility: 'cost', completion: 'add1', minSupport: 2 });
  assert.deepEqual(r.winners, [1]);
  assert.equal((r.explanations.get(3) as { reason: string }).reason, 'no-support');
  assert.equal((r.explanations.get(2) as { reason: string }).reason, 'below-min-support');
});
