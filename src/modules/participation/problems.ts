import { Problem, defineProblem } from '../../platform/http/problems';

export const PV = {
  locked: defineProblem(
    'vote-locked',
    409,
    'The vote can no longer be changed',
    'Once a vote has opened (or been scheduled), its questions, choices, electorate and rules are locked. While it is open, an official can only extend its closing time.',
  ),
  wrongPhase: defineProblem(
    'vote-wrong-phase',
    409,
    'Not possible in the current phase of the vote',
    'The action belongs to another phase of the vote (e.g. submitting ideas after the call for ideas closed, publishing before closing).',
  ),
  notOpen: defineProblem(
    'vote-not-open',
    409,
    'The vote is not open',
    'Ballots are accepted only between the opening and the closing time of the vote.',
  ),
  notEligible: defineProblem(
    'not-eligible',
    403,
    'You are not in the electorate of this vote',
    '`reason` says why: not-resident, wrong-settlement, under-age, over-age, not-on-list, excluded.',
  ),
  incomplete: defineProblem(
    'vote-incomplete',
    422,
    'The vote is not ready to be scheduled',
    '`errors` lists what is missing: questions, choices, an electorate, approved candidates or feasible ideas.',
  ),
  importFailed: defineProblem(
    'pabulib-invalid',
    422,
    'The Pabulib file cannot be imported',
    '`report.issues` lists every problem with its line number; nothing was imported.',
  ),
};

const REASONS: Record<string, string> = {
  'not-resident': 'according to the population register you do not live in this municipality',
  'wrong-settlement': 'according to the population register you do not live in the settlement units of this vote',
  'under-age': 'you are younger than the minimum age of this vote',
  'over-age': 'you are older than the maximum age of this vote',
  'not-on-list': 'you are not on the voter list of this vote',
  excluded: 'you are excluded from the voter list of this vote',
};
export const notEligible = (reason: string) =>
  new Problem(PV.notEligible, `You cannot vote: ${REASONS[reason] ?? reason}`, { reason });
export const locked = (detail: string) => new Problem(PV.locked, detail);
export const wrongPhase = (detail: string) => new Problem(PV.wrongPhase, detail);
