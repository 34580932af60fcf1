/**
 * The council's counting rules (KOKS), as pure functions with integer arithmetic only, so that
 * every boundary is exact. See docs/council.md.
 */

/** Quorum: more than num/den of the seats are present (default: more than half, KOKS §44). */
export interface QuorumRule {
  num: number;
  den: number;
}
export const DEFAULT_QUORUM: QuorumRule = { num: 1, den: 2 };

/** The smallest number of members present that makes a quorum. */
export function quorumNeeded(seats: number, rule: QuorumRule = DEFAULT_QUORUM): number {
  return Math.floor((seats * rule.num) / rule.den) + 1;
}

export function hasQuorum(present: number, seats: number, rule: QuorumRule = DEFAULT_QUORUM): boolean {
  return present * rule.den > seats * rule.num;
}

/**
 * The majority rule of an agenda item:
 * - `cast`: more votes for than against (abstentions count for neither); a tie fails.
 * - `composition`: more than half of the seats vote for (koosseisu häälteenamus).
 * - `qualified`: at least num/den vote for, of the seats (`base: composition`) or of the votes
 *   for and against (`base: cast`, abstentions not counted).
 */
export type MajorityRule =
  | { kind: 'cast' }
  | { kind: 'composition' }
  | { kind: 'qualified'; num: number; den: number; base: 'composition' | 'cast' };

export interface Counts {
  for: number;
  against: number;
  abstain: number;
}

export interface Decision {
  passed: boolean;
  /** Votes for that were needed (given the votes against, for `cast`). */
  needed: number;
  /** True when for and against were equal under the `cast` rule (a tie fails). */
  tie: boolean;
}

export function decide(c: Counts, seats: number, rule: MajorityRule): Decision {
  switch (rule.kind) {
    case 'cast':
      return { passed: c.for > c.against, needed: c.against + 1, tie: c.for === c.against };
    case 'composition':
      return { passed: c.for * 2 > seats, needed: Math.floor(seats / 2) + 1, tie: false };
    case 'qualified': {
      const base = rule.base === 'composition' ? seats : c.for + c.against;
      const needed = Math.max(1, Math.ceil((rule.num * base) / rule.den));
      return { passed: base > 0 && c.for * rule.den >= rule.num * base, needed, tie: false };
    }
  }
}

/** A qualified fraction must be more than a half and at most the whole. */
export function validQualifiedFraction(num: number, den: number): boolean {
  return Number.isInteger(num) && Number.isInteger(den) && num > 0 && den > 0 && num * 2 > den && num <= den;
}

/**
 * An election of a person (secret ballot): each ballot names one candidate, or is against all,
 * or abstains. The candidate with the most votes is elected if they meet the item's rule, where
 * their votes are "for" and every other non-abstaining ballot (other candidates, against all)
 * is "against". A tie for the most votes elects nobody (a new round is a new vote).
 */
export interface ElectionResult {
  elected: string | null;
  leader: string | null;
  tieForFirst: boolean;
  decision: Decision | null;
}

export function decideElection(
  votesByCandidate: Map<string, number>,
  againstAll: number,
  abstain: number,
  seats: number,
  rule: MajorityRule,
): ElectionResult {
  let best = -1;
  let leaders: string[] = [];
  let total = againstAll;
  for (const [id, n] of votesByCandidate) {
    total += n;
    if (n > best) {
      best = n;
      leaders = [id];
    } else if (n === best) {
      leaders.push(id);
    }
  }
  if (leaders.length !== 1 || best <= 0)
    return { elected: null, leader: null, tieForFirst: leaders.length > 1 && best > 0, decision: null };
  const leader = leaders[0]!;
  const decision = decide({ for: best, against: total - best, abstain }, seats, rule);
  return { elected: decision.passed ? leader : null, leader, tieForFirst: false, decision };
}

/** What a member's part in a closed vote was. */
export type VoteRecord = 'for' | 'against' | 'abstain' | 'took_part' | 'not_voted' | 'recused' | 'absent';
