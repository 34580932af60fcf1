import * as R from './rational';

/**
 * The Method of Equal Shares (Peters, Pierczyński & Skowron, "Proportional Participatory
 * Budgeting with Additive Utilities", NeurIPS 2021; equalshares.net) as a pure function over
 * in-memory ballots, with exact rational arithmetic.
 *
 * The budget is divided equally among the voters. A project can be bought only with the money
 * of the voters who support it; each supporter pays in proportion to their utility for it
 * (approval: equally), a supporter who has less than that pays all they have. In each round the
 * project that is cheapest per unit of utility (the smallest ρ such that the supporters, paying
 * min(their money, ρ·utility) each, cover the cost) is funded and its supporters pay; projects
 * their supporters can no longer afford drop out; the rounds end when none is affordable.
 *
 * Utilities: a voter's utility for a project is their weight for it (1 for approval ballots,
 * their points for cumulative, scoring or ordinal ballots) times the project's cost ("cost
 * utilities", the equalshares.net default: a voter values a project by what it costs) or times
 * one ("cardinality utilities": every approved project counts the same).
 *
 * Completion ("add1", as equalshares.net and pabutools): while the outcome leaves money that
 * could fund another supported project, the method is run again with each voter's share raised
 * by one currency unit (100 cents) per step; the last outcome whose cost stays within the real
 * budget is kept. Then the money still left funds the remaining supported projects greedily
 * (most votes or points first). At most `maxSteps` steps are taken (default 10,000).
 *
 * Ties: projects with exactly the same ρ (compared as fractions, never as floats) are taken in
 * the order of the greedy rule: more votes (points) first, then the cheaper, then the lower
 * project number. Projects nobody supports are never funded; `minSupport` excludes projects
 * with fewer supporters.
 *
 * Exactness: money is kept as integer numerators over one common denominator, so sums and
 * comparisons are BigInt arithmetic. Floating point is used only to pre-sort voters by their
 * money per unit of weight; the resulting boundary is then checked exactly, and float values
 * decide nothing whose margin is below 10⁻⁶ (many orders above the rounding error).
 */
export interface EsProject {
  id: number;
  costCents: number;
  /** Supporters (votes) and points: the greedy order used for ties and the completion. */
  votes: number;
  score: number;
}

export interface EsBallot {
  selections: readonly number[];
  /** Points per selection; null/absent = 1 each (approval). */
  weights?: readonly number[] | null;
}

export interface EsOptions {
  budgetCents: number;
  utility: 'cost' | 'cardinality';
  completion: 'add1' | 'none';
  minSupport?: number;
  /** Add1: the raise of each voter's share per step, in cents (default 100 = one currency unit). */
  stepCents?: number;
  maxSteps?: number;
  /** Keep every voter's payment per funded project (tests on small instances). */
  trace?: boolean;
}

export type EsExplanation =
  | {
      status: 'funded';
      phase: 'equal-shares';
      /** 1-based round of the final run of the method. */
      round: number;
      /** What one unit of weight paid: per supporter (approval) or per point. */
      pricePerUnit: R.Q;
      /** The most one supporter paid. */
      maxPayment: R.Q;
      /** The money its supporters still had before paying. */
      supportersHad: R.Q;
      payers: number;
      /** Supporters who could not pay the full price and paid all they had. */
      paidAllTheyHad: number;
    }
  | { status: 'funded'; phase: 'completion'; place: number; moneyLeft: R.Q }
  | {
      status: 'not-funded';
      reason: 'no-support' | 'below-min-support' | 'supporters-short' | 'did-not-fit';
      /** The round in which its supporters' money fell short of its cost (null: never, or no support). */
      round: number | null;
      supportersHad: R.Q | null;
      /** The money left when the completion reached it (null: not considered). */
      moneyLeft: R.Q | null;
    };

export interface EsResult {
  /** Funded project ids in the order they were funded (equal-shares rounds, then completion). */
  winners: number[];
  spentCents: number;
  voters: number;
  /** Each voter's share in the final run (budget / voters, plus the completion's raises). */
  share: R.Q;
  /** Add1 steps taken; `stepLimitReached` if `maxSteps` stopped them. */
  steps: number;
  stepLimitReached: boolean;
  explanations: Map<number, EsExplanation>;
  /** With `trace`: per funded project (equal-shares phase), each voter's payment (index = ballot). */
  payments?: Map<number, Map<number, R.Q>>;
}

/** The greedy rule's order: more votes (points) first, then the cheaper, then the lower number. */
export const esTieOrder = (a: EsProject, b: EsProject) => b.score - a.score || a.costCents - b.costCents || a.id - b.id;

interface Prepared {
  m: number;
  n: number;
  projects: EsProject[];
  /** Voters with identical ballots always have the same money: they are counted as one unit. */
  units: number;
  mult: Int32Array;
  unitOf: Int32Array;
  /** Per project: supporting units and their weights. */
  pOff: Int32Array;
  pVoter: Int32Array;
  pW: Int32Array;
  /** Per unit: projects and weights. */
  vOff: Int32Array;
  vProj: Int32Array;
  maxW: number;
  eligible: boolean[];
  /** Project indices in tie order (rank[j] = position). */
  rank: Int32Array;
  /** Per project: the projects that share a supporter with it (their ρ changes when it is funded). */
  neighbours: Int32Array[];
}

function prepare(projects: readonly EsProject[], ballots: readonly EsBallot[], minSupport: number): Prepared {
  const m = projects.length;
  const n = ballots.length;
  const index = new Map<number, number>();
  projects.forEach((p, j) => index.set(p.id, j));
  // Ballots' merged entries (a project listed twice adds its weights); identical ballots form
  // one unit with a multiplicity. CSR by unit.
  const vOffList: number[] = [0];
  const vProjList: number[] = [];
  const vWList: number[] = [];
  const multList: number[] = [];
  const unitOf = new Int32Array(n);
  const unitByKey = new Map<string, number>();
  const supporters = new Int32Array(m);
  const merged = new Map<number, number>();
  let maxW = 1;
  for (let i = 0; i < n; i++) {
    const b = ballots[i]!;
    merged.clear();
    for (let k = 0; k < b.selections.length; k++) {
      const j = index.get(b.selections[k]!);
      if (j === undefined) continue;
      const w = b.weights ? b.weights[k]! : 1;
      merged.set(j, (merged.get(j) ?? 0) + w);
    }
    const entries = [...merged].filter(([, w]) => w > 0).sort((x, y) => x[0] - y[0]);
    const key = entries.map(([j, w]) => `${j}:${w}`).join(',');
    let u = unitByKey.get(key);
    if (u === undefined) {
      u = multList.length;
      unitByKey.set(key, u);
      multList.push(0);
      for (const [j, w] of entries) {
        if (!Number.isInteger(w)) throw new RangeError('weights must be whole numbers');
        vProjList.push(j);
        vWList.push(w);
        if (w > maxW) maxW = w;
      }
      vOffList.push(vProjList.length);
    }
    multList[u]!++;
    unitOf[i] = u;
    for (const [j] of entries) supporters[j]!++;
  }
  const units = multList.length;
  const mult = Int32Array.from(multList);
  const vOff = Int32Array.from(vOffList);
  const vProj = Int32Array.from(vProjList);
  const vW = Int32Array.from(vWList);
  const unitCount = new Int32Array(m);
  for (let k = 0; k < vProj.length; k++) unitCount[vProj[k]!]!++;
  const pOff = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) pOff[j + 1] = pOff[j]! + unitCount[j]!;
  const fill = pOff.slice(0, m);
  const pVoter = new Int32Array(vProj.length);
  const pW = new Int32Array(vProj.length);
  for (let i = 0; i < units; i++)
    for (let k = vOff[i]!; k < vOff[i + 1]!; k++) {
      const j = vProj[k]!;
      const at = fill[j]!++;
      pVoter[at] = i;
      pW[at] = vW[k]!;
    }
  const order = projects.map((_, j) => j).sort((a, b) => esTieOrder(projects[a]!, projects[b]!));
  const rank = new Int32Array(m);
  order.forEach((j, r) => (rank[j] = r));
  const eligible = projects.map((_, j) => supporters[j]! >= Math.max(1, minSupport));
  const seen = new Uint8Array(m);
  const neighbours: Int32Array[] = [];
  for (let j = 0; j < m; j++) {
    seen.fill(0);
    const list: number[] = [];
    for (let k = pOff[j]!; k < pOff[j + 1]!; k++) {
      const i = pVoter[k]!;
      for (let x = vOff[i]!; x < vOff[i + 1]!; x++) {
        const o = vProj[x]!;
        if (!seen[o]) {
          seen[o] = 1;
          list.push(o);
        }
      }
      if (list.length === m) break;
    }
    neighbours.push(Int32Array.from(list));
  }
  return {
    m,
    n,
    units,
    mult,
    unitOf,
    projects: [...projects],
    pOff,
    pVoter,
    pW,
    vOff,
    vProj,
    maxW,
    eligible,
    rank,
    neighbours,
  };
}

/** Float approximation of n/d for big integers (pre-sorting only). */
function ratio(n: bigint, d: bigint): number {
  const bits = Math.max(n.toString(16).length, d.toString(16).length) * 4;
  if (bits < 1000) return Number(n) / Number(d);
  const s = BigInt(bits - 1000);
  return Number(n >> s) / Number(d >> s);
}

interface RunOutcome {
  funded: number[];
  spentCents: bigint;
  info: Map<number, EsExplanation>;
  payments?: Map<number, Map<number, R.Q>>;
}

/** One run of the method with each voter holding `share` (a fraction of cents). */
function run(P: Prepared, share: R.Q, utility: 'cost' | 'cardinality', detail: boolean, trace: boolean): RunOutcome {
  const { m, n, pOff, pVoter, pW, projects, mult } = P;
  // Money: class numerators over the common denominator D. Voters with equal money share a class.
  let D = share.d;
  const numer: bigint[] = [share.n];
  const value: number[] = [R.toNumber(share)];
  const classOf = new Int32Array(P.units);
  const population: number[] = [n];
  // numer[c] is over the denominator D had at epoch classEpoch[c]; scale[e] = D now / D then.
  const classEpoch: number[] = [0];
  const scale: bigint[] = [1n];
  let epoch = 0;
  const num = (c: number): bigint => {
    const e = classEpoch[c]!;
    if (e !== epoch) {
      numer[c] = numer[c]! * scale[e]!;
      classEpoch[c] = epoch;
    }
    return numer[c]!;
  };
  let broke = share.n === 0n ? 0 : -1;
  let trans = new Int32Array(16);
  const alive = P.eligible.slice();
  const dirty = new Uint8Array(m).fill(1);
  const exact = new Uint8Array(m);
  const sigmaF_ = new Float64Array(m);
  // ρ of each project as a fraction rn/rd (exact), with a float for ordering.
  const rhoN: bigint[] = new Array(m).fill(0n);
  const rhoD: bigint[] = new Array(m).fill(1n);
  const rhoF = new Float64Array(m);
  const sigma: R.Q[] = new Array(m).fill(R.ZERO);
  const info = new Map<number, EsExplanation>();
  const payments = trace ? new Map<number, Map<number, R.Q>>() : undefined;
  const funded: number[] = [];
  let spent = 0n;
  let counts = new Int32Array(16);
  let touched = new Int32Array(16);

  // The supporters of a project grouped by (class, weight): gC/gW/gN[0..G), reused buffers.
  let gC = new Int32Array(64);
  let gW = new Int32Array(64);
  let gN = new Int32Array(64);
  const base = P.maxW + 1;
  function groups(j: number): number {
    let G = 0;
    const push = (c: number, w: number, count: number) => {
      if (G === gC.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        gC = grow(gC);
        gW = grow(gW);
        gN = grow(gN);
      }
      gC[G] = c;
      gW[G] = w;
      gN[G] = count;
      G++;
    };
    const size = numer.length * base;
    if (size <= 1 << 24) {
      if (counts.length < size) counts = new Int32Array(size * 2);
      if (touched.length < pOff[j + 1]! - pOff[j]!) touched = new Int32Array((pOff[j + 1]! - pOff[j]!) * 2);
      let t = 0;
      for (let k = pOff[j]!; k < pOff[j + 1]!; k++) {
        const u = pVoter[k]!;
        const key = classOf[u]! * base + pW[k]!;
        if (counts[key] === 0) touched[t++] = key;
        counts[key]! += mult[u]!;
      }
      for (let x = 0; x < t; x++) {
        const key = touched[x]!;
        push(Math.floor(key / base), key % base, counts[key]!);
        counts[key] = 0;
      }
      return G;
    }
    const map = new Map<number, number>();
    for (let k = pOff[j]!; k < pOff[j + 1]!; k++) {
      const u = pVoter[k]!;
      const key = classOf[u]! * base + pW[k]!;
      map.set(key, (map.get(key) ?? 0) + mult[u]!);
    }
    for (const [key, count] of map) push(Math.floor(key / base), key % base, count);
    return G;
  }

  const EPS = 1e-6;
  const unaffordable = (j: number, round: number, money: bigint) => {
    alive[j] = false;
    info.set(projects[j]!.id, {
      status: 'not-funded',
      reason: 'supporters-short',
      round,
      supportersHad: R.q(money, D),
      moneyLeft: null,
    });
    return false;
  };
  const exactMoney = (G: number) => {
    let money = 0n;
    for (let x = 0; x < G; x++) money += num(gC[x]!) * BigInt(gN[x]!);
    return money;
  };

  /**
   * Estimates j's price per unit of weight σ in floating point (a fixed point: voters who cannot
   * pay σ·w pay all they have), or drops j if its supporters cannot afford it. Affordability is
   * decided exactly whenever the estimate is within 10⁻⁶ of the cost.
   */
  function estimate(j: number, round: number): boolean {
    const cost = projects[j]!.costCents;
    const G = groups(j);
    let moneyF = 0;
    let W = 0;
    for (let x = 0; x < G; x++) {
      moneyF += value[gC[x]!]! * gN[x]!;
      W += gW[x]! * gN[x]!;
    }
    if (moneyF < cost * (1 - EPS)) return unaffordable(j, round, detail ? exactMoney(G) : 0n);
    if (moneyF <= cost * (1 + EPS)) {
      const money = exactMoney(G);
      if (money < BigInt(cost) * D) return unaffordable(j, round, money);
    }
    const poor = new Uint8Array(G);
    let rest = cost;
    let sigmaF = W > 0 ? cost / W : 0;
    for (let changed = true; changed && W > 0;) {
      changed = false;
      for (let x = 0; x < G; x++) {
        if (poor[x]) continue;
        const c = gC[x]!;
        const w = gW[x]!;
        const count = gN[x]!;
        if (value[c]! < sigmaF * w) {
          poor[x] = 1;
          rest -= value[c]! * count;
          W -= w * count;
          changed = true;
        }
      }
      if (W > 0) sigmaF = Math.max(sigmaF, rest / W);
    }
    const k2 = utility === 'cost' && cost > 0 ? cost : 1;
    sigmaF_[j] = sigmaF;
    rhoF[j] = sigmaF / k2;
    exact[j] = 0;
    dirty[j] = 0;
    return true;
  }

  /** j's exact σ = R/(W·D) and ρ: the supporters by money per unit of weight, the boundary checked exactly. */
  function evaluateExactly(j: number) {
    if (exact[j]) return;
    const cost = BigInt(projects[j]!.costCents);
    const G = groups(j);
    // Voters clearly below the estimated σ pay all they have, voters clearly above pay σ·w; the
    // few within 10⁻⁶ of it are decided exactly.
    const sF = sigmaF_[j]!;
    let Rn = cost * D;
    let W = 0n;
    const band: number[] = [];
    for (let x = 0; x < G; x++) {
      const c = gC[x]!;
      const w = gW[x]!;
      const count = gN[x]!;
      const r = value[c]! / w;
      W += BigInt(w * count);
      if (r < sF * (1 - EPS)) {
        Rn -= num(c) * BigInt(count);
        W -= BigInt(w * count);
      } else if (r <= sF * (1 + EPS)) band.push(x);
    }
    const poor = new Uint8Array(G);
    for (let changed = true; changed;) {
      changed = false;
      for (const x of band) {
        if (poor[x]) continue;
        const c = gC[x]!;
        const w = gW[x]!;
        const count = gN[x]!;
        if (Rn * BigInt(w) > num(c) * W) {
          poor[x] = 1;
          Rn -= num(c) * BigInt(count);
          W -= BigInt(w * count);
          changed = true;
        }
      }
    }
    sigma[j] = { n: Rn, d: W * D }; // reduced when funded
    // ρ = σ / (cost for cost utilities, 1 for cardinality); a free project costs nothing per utility.
    const k2 = utility === 'cost' && cost > 0n ? cost : 1n;
    rhoN[j] = Rn;
    rhoD[j] = W * D * k2;
    rhoF[j] = ratio(Rn, W * D * k2);
    exact[j] = 1;
  }

  /** Is a's ρ below b's? Floats decide only with a margin of 10⁻⁶; closer values exactly, ties by the greedy order. */
  const better = (a: number, b: number) => {
    if (rhoF[a]! < rhoF[b]! * (1 - EPS)) return true;
    if (rhoF[a]! > rhoF[b]! * (1 + EPS)) return false;
    evaluateExactly(a);
    evaluateExactly(b);
    const x = rhoN[a]! * rhoD[b]! - rhoN[b]! * rhoD[a]!;
    return x < 0n || (x === 0n && P.rank[a]! < P.rank[b]!);
  };

  for (let round = 1; ; round++) {
    const candidates: number[] = [];
    for (let j = 0; j < m; j++) if (alive[j]) candidates.push(j);
    // Projects in the order of their last known ρ, a lower bound of the current one (money only
    // decreases): once it is clearly above the best current ρ, no later project can beat it.
    // Close values (within 10⁻⁶) are compared exactly.
    candidates.sort((a, b) => rhoF[a]! - rhoF[b]!);
    let best = -1;
    for (const j of candidates) {
      if (best >= 0 && rhoF[j]! > rhoF[best]! * (1 + EPS)) break;
      if (dirty[j] && !estimate(j, round)) continue;
      if (best < 0 || better(j, best)) best = j;
    }
    if (best < 0) break;
    evaluateExactly(best);
    // Fund `best`: each supporter pays min(money, σ·w); voters of one (class, weight) group alike.
    const j = best;
    const G = groups(j);
    const had = detail ? exactMoney(G) : 0n;
    const s = R.q(sigma[j]!.n, sigma[j]!.d);
    const supportersHad = R.q(had, D);
    // A common denominator for the payments σ·w: rescale every class that still has voters.
    const f = s.d / gcdBig(D, s.d);
    D *= f;
    if (f !== 1n) {
      // Classes are brought to the new denominator when next read (most are never read again).
      for (let e = 0; e <= epoch; e++) scale[e] = scale[e]! * f;
      scale.push(1n);
      epoch++;
    }
    const Dnum = Number(D);
    const unit = s.n * (D / s.d);
    // Supporters move to classes by what they have left; equal amounts share one class (and
    // everyone who has nothing left shares class `broke`).
    const byNumer = new Map<bigint, number>();
    if (broke >= 0) byNumer.set(0n, broke);
    // Where each (class, weight) group moves: a dense table, or a map when that would be huge.
    const dense = (numer.length + G) * base <= 1 << 24;
    if (dense && trans.length < (numer.length + G) * base) trans = new Int32Array((numer.length + G) * base * 2);
    const transMap = dense ? undefined : new Map<number, number>();
    let payers = 0;
    let paidAll = 0;
    let maxPay = 0n;
    const payOf = new Map<number, bigint>();
    for (let x = 0; x < G; x++) {
      const from = gC[x]!;
      const w = gW[x]!;
      const count = gN[x]!;
      const due = unit * BigInt(w);
      const have = num(from);
      const pay = have < due ? have : due;
      const left = have - pay;
      let to = byNumer.get(left);
      if (to === undefined) {
        to = numer.length;
        numer.push(left);
        const approx = Number(left) / Dnum;
        value.push(Number.isFinite(approx) ? approx : ratio(left, D));
        classEpoch.push(epoch);
        population.push(0);
        byNumer.set(left, to);
        if (left === 0n) broke = to;
      }
      if (transMap) transMap.set(from * base + w, to);
      else trans[from * base + w] = to;
      if (trace) payOf.set(from * base + w, pay);
      if (pay > 0n) payers += count;
      if (pay < due) paidAll += count;
      if (pay > maxPay) maxPay = pay;
    }
    const ledger = payments ? new Map<number, R.Q>() : undefined;
    for (let k = pOff[j]!; k < pOff[j + 1]!; k++) {
      const i = pVoter[k]!;
      const from = classOf[i]!;
      const tkey = from * base + pW[k]!;
      const to = transMap ? transMap.get(tkey)! : trans[tkey]!;
      if (ledger) ledger.set(i, R.q(payOf.get(tkey)!, D));
      population[from]! -= mult[i]!;
      population[to]! += mult[i]!;
      classOf[i] = to;
    }
    for (const x of P.neighbours[j]!) dirty[x] = 1;
    alive[j] = false;
    funded.push(j);
    spent += BigInt(projects[j]!.costCents);
    if (ledger) payments!.set(projects[j]!.id, ledger);
    if (detail)
      info.set(projects[j]!.id, {
        status: 'funded',
        phase: 'equal-shares',
        round,
        pricePerUnit: s,
        maxPayment: R.q(maxPay, D),
        supportersHad,
        payers,
        paidAllTheyHad: paidAll,
      });
  }
  return { funded, spentCents: spent, info, payments };
}

/** Unit payments (identical ballots) spelled out per ballot. */
function byVoter(P: Prepared, perUnit: Map<number, Map<number, R.Q>>) {
  const out = new Map<number, Map<number, R.Q>>();
  for (const [id, ledger] of perUnit) {
    const m = new Map<number, R.Q>();
    for (let i = 0; i < P.n; i++) {
      const pay = ledger.get(P.unitOf[i]!);
      if (pay) m.set(i, pay);
    }
    out.set(id, m);
  }
  return out;
}

function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

export function equalShares(projects: readonly EsProject[], ballots: readonly EsBallot[], opts: EsOptions): EsResult {
  const P = prepare(projects, ballots, opts.minSupport ?? 0);
  const budget = BigInt(opts.budgetCents);
  const n = Math.max(1, P.n);
  const base = R.q(budget, BigInt(n));
  const step = R.q(BigInt(opts.stepCents ?? 100));
  const maxSteps = opts.maxSteps ?? 10_000;
  const trace = opts.trace ?? false;
  const fits = (o: RunOutcome) => {
    const chosen = new Set(o.funded);
    for (let j = 0; j < P.m; j++)
      if (P.eligible[j] && !chosen.has(j) && o.spentCents + BigInt(P.projects[j]!.costCents) <= budget) return true;
    return false;
  };
  let share = base;
  const empty: RunOutcome = { funded: [], spentCents: 0n, info: new Map() };
  let outcome: RunOutcome = P.n ? run(P, share, opts.utility, false, false) : empty;
  let steps = 0;
  let stepLimitReached = false;
  if (opts.completion === 'add1' && P.n) {
    while (fits(outcome)) {
      if (steps >= maxSteps) {
        stepLimitReached = true;
        break;
      }
      const next = R.add(share, step);
      const o = run(P, next, opts.utility, false, false);
      if (o.spentCents > budget) break;
      outcome = o;
      share = next;
      steps++;
    }
  }
  // The kept run once more, recording what each round looked like (prices, payers, money).
  if (P.n) outcome = run(P, share, opts.utility, true, trace);
  const winners = outcome.funded.map((j) => P.projects[j]!.id);
  const explanations = new Map<number, EsExplanation>(outcome.info);
  let spent = outcome.spentCents;
  // Completion: the money left funds the remaining supported projects greedily.
  const chosen = new Set(outcome.funded);
  const rest = P.projects
    .map((_, j) => j)
    .filter((j) => P.eligible[j] && !chosen.has(j))
    .sort((a, b) => P.rank[a]! - P.rank[b]!);
  let place = 0;
  for (const j of rest) {
    const p = P.projects[j]!;
    place++;
    const left = R.q(budget - spent);
    if (opts.completion === 'add1' && spent + BigInt(p.costCents) <= budget) {
      winners.push(p.id);
      spent += BigInt(p.costCents);
      explanations.set(p.id, { status: 'funded', phase: 'completion', place, moneyLeft: left });
    } else {
      const before = explanations.get(p.id);
      explanations.set(p.id, {
        status: 'not-funded',
        reason: opts.completion === 'add1' ? 'did-not-fit' : 'supporters-short',
        round: before && before.status === 'not-funded' ? before.round : null,
        supportersHad: before && before.status === 'not-funded' ? before.supportersHad : null,
        moneyLeft: opts.completion === 'add1' ? left : null,
      });
    }
  }
  for (let j = 0; j < P.m; j++) {
    const p = P.projects[j]!;
    if (P.eligible[j] || explanations.has(p.id)) continue;
    const supported = P.pOff[j + 1]! - P.pOff[j]!;
    explanations.set(p.id, {
      status: 'not-funded',
      reason: supported === 0 ? 'no-support' : 'below-min-support',
      round: null,
      supportersHad: null,
      moneyLeft: null,
    });
  }
  return {
    winners,
    spentCents: Number(spent),
    voters: P.n,
    share,
    steps,
    stepLimitReached,
    explanations,
    ...(outcome.payments ? { payments: byVoter(P, outcome.payments) } : {}),
  };
}
