import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readActionPlan } from './index';
import { validatePlanDocument } from './validatePlan';
import { checkConsistency, computeTotals, lineVatCents, type VatRule } from './rules';

/**
 * The real action plan (resources/programme, transcribed from the signed plan) against every
 * figure of /work/shared/seed/SUMMARY.md: the totals the lines give, and the 10 560 € the header
 * states on top of them.
 */
const plan = validatePlanDocument(readActionPlan());
const years = [2023, 2024, 2025, 2026];
const totals = computeTotals(plan.vat, plan.costLines, years);
const checks = checkConsistency(plan.vat, plan.costLines, plan.statedTotals);
const e = (euros: number) => euros * 100;

test('VAT: accounts 15 and 55 only, 22 % in 2024 and 24 % from 2025, rounded per line to the euro as the plan does', () => {
  const rule: VatRule = plan.vat;
  assert.equal(lineVatCents(rule, { account: 50, year: 2025, amountCents: e(32_850) }), 0);
  assert.equal(lineVatCents(rule, { account: 55, year: 2024, amountCents: e(13_250) }), e(2_915));
  assert.equal(lineVatCents(rule, { account: 15, year: 2026, amountCents: e(170_000) }), e(40_800));
  // 81 484 × 24 % = 19 556.16: the plan prints 101 040 with VAT.
  assert.equal(lineVatCents(rule, { account: 55, year: 2026, amountCents: e(81_484) }), e(19_556));
  assert.equal(
    lineVatCents({ ...rule, rounding: 'cent' }, { account: 55, year: 2026, amountCents: e(81_484) }),
    1_955_616,
  );
  // Configurable: another rate from 2026 changes only that year.
  const changed: VatRule = { ...rule, rates: [...rule.rates, { fromYear: 2026, rateBp: 2500 }] };
  assert.equal(lineVatCents(changed, { account: 55, year: 2026, amountCents: e(40_000) }), e(10_000));
  assert.equal(lineVatCents(changed, { account: 55, year: 2025, amountCents: e(40_000) }), e(9_600));
});

test('totals by measure activity with VAT match the summary (activities 2, 3, 4 in full; activity 1 for 2024 and 2025)', () => {
  const m = (a: number) => totals.byMeasureActivity[String(a)]!;
  const gross = (a: number) => [m(a).total.gross, ...years.map((y) => m(a).byYear[String(y)]!.gross)];
  assert.deepEqual(gross(2), [e(196_414), 0, e(33_414), e(97_000), e(66_000)]);
  assert.deepEqual(gross(3), [e(189_765), 0, e(16_165), e(110_360), e(63_240)]);
  assert.deepEqual(gross(4), [e(424_850), 0, e(69_230), e(168_650), e(186_970)]);
  // Activity 1: the rows give 499 265 for 2026 (the header says 509 825).
  assert.deepEqual(gross(1), [e(844_107), 0, e(29_292), e(315_550), e(499_265)]);
});

test('totals of all lines by year, with and without VAT, match the summary; 2026 is 10 560 below the header', () => {
  const by = (y: number) => totals.byYear[String(y)]!;
  assert.deepEqual(
    years.map((y) => by(y).gross),
    [0, e(148_101), e(691_560), e(815_475)],
  );
  assert.deepEqual(
    years.map((y) => by(y).net),
    [0, e(145_186), e(592_200), e(697_279)],
  );
  assert.equal(totals.total.net, e(1_434_665));
  assert.equal(totals.total.gross, e(1_655_136));
  assert.equal(e(1_445_225) - totals.total.net, e(10_560));
  assert.equal(e(1_665_696) - totals.total.gross, e(10_560));
  assert.equal(e(826_035) - by(2026).gross, e(10_560));
  assert.equal(e(707_839) - by(2026).net, e(10_560));
});

test('totals by account match the table (15: 270 000; 50: 514 931; 55: 649 734 without VAT)', () => {
  const a = (n: number) => totals.byAccount[String(n)]!;
  assert.deepEqual(
    [a(15).total.net, ...years.map((y) => a(15).byYear[String(y)]!.net)],
    [e(270_000), 0, 0, e(100_000), e(170_000)],
  );
  assert.deepEqual(
    [a(50).total.net, ...years.map((y) => a(50).byYear[String(y)]!.net)],
    [e(514_931), 0, e(131_936), e(178_200), e(204_795)],
  );
  assert.deepEqual(
    [a(55).total.net, ...years.map((y) => a(55).byYear[String(y)]!.net)],
    [e(649_734), 0, e(13_250), e(314_000), e(322_484)],
  );
  assert.equal(a(50).total.vat, 0);
});

test('every row A–H of the summary is reproduced with and without VAT', () => {
  const rows: [string, string, number, number][] = [
    ['A', '1', 365_642, 430_442],
    ['B', '2', 205_767, 227_367],
    ['C', '7', 112_000, 138_880],
    ['D', '5', 178_414, 196_414],
    ['E', '6', 186_683, 197_483],
    ['F', '8', 41_250, 50_885],
    ['G', '3', 238_425, 281_625],
    ['H', '4', 106_484, 132_040],
  ];
  for (const [row, code, net, gross] of rows) {
    const t = totals.byInitiative[code]!;
    assert.equal(t.total.net, e(net), `row ${row} without VAT`);
    assert.equal(t.total.gross, e(gross), `row ${row} with VAT`);
  }
});

test('the consistency check flags exactly the header figures that the lines miss by 10 560 €', () => {
  const failing = checks.filter((c) => !c.ok);
  assert.deepEqual(failing.map((c) => c.id).sort(), [
    'header',
    'header-vat',
    'header-vat-m1',
    'header-vat-m1.2026',
    'header-vat.2026',
    'header.2026',
  ]);
  for (const c of failing) assert.equal(c.differenceCents, -e(10_560), c.id);
  const m1 = failing.find((c) => c.id === 'header-vat-m1.2026')!;
  assert.equal(m1.statedCents, e(509_825));
  assert.equal(m1.computedCents, e(499_265));
  // Every other printed figure (rows, accounts, the table's KOKKU row, activities 2–4) agrees.
  assert.ok(checks.length > 150, `${checks.length} figures checked`);
  assert.ok(checks.filter((c) => c.ok).every((c) => c.differenceCents === 0));
});
