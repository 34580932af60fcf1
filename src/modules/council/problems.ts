import { Problem, defineProblem } from '../../platform/http/problems';

/** The council's own kinds of problems (stable types the web app branches on). */
export const CP = {
  noQuorum: defineProblem(
    'council-no-quorum',
    409,
    'No quorum',
    'A vote cannot start while fewer members are present than the quorum rule requires. The detail says how many are present and how many are needed.',
  ),
  notVotedChanged: defineProblem(
    'council-not-voted-changed',
    409,
    'Who has not voted has changed',
    'The chair confirmed closing the vote while some members present had not voted; since then that list has changed (a member voted, arrived or left). The vote is still open; `notVoted` lists the members present who have not voted now.',
  ),
  voteClosed: defineProblem(
    'council-vote-closed',
    409,
    'The vote is closed',
    'Ballots are accepted only while the vote is open; this one has been closed and its result stands.',
  ),
  notAMember: defineProblem(
    'council-not-a-member',
    403,
    'Not a member of this council',
    'Only acting members of the council (elected members, or substitutes in place of a suspended member) may do this.',
  ),
  recused: defineProblem(
    'council-recused',
    403,
    'Recused from this item',
    'The member has declared a conflict of interest on this agenda item and takes no part in its votes.',
  ),
  notPresent: defineProblem(
    'council-not-present',
    409,
    'Presence not registered',
    'A member votes only after registering their presence at the sitting.',
  ),
  voteInProgress: defineProblem(
    'council-vote-in-progress',
    409,
    'A vote is in progress',
    'Only one vote runs at a time in a sitting; close the current vote first.',
  ),
  sittingState: defineProblem(
    'council-sitting-state',
    409,
    'Not possible in this state of the sitting',
    'The sitting is not in a state that allows this (e.g. not yet open, or already closed).',
  ),
  notOperator: defineProblem(
    'council-not-operator',
    403,
    'Only the chair or the secretary of the sitting',
    'Running a sitting (attendance in the room, votes, the current item) is for its presiding chair and its secretary.',
  ),
  minutesSigned: defineProblem(
    'council-minutes-signed',
    409,
    'The minutes are signed',
    'Signed minutes cannot be regenerated or changed.',
  ),
  wrongBallot: defineProblem(
    'council-wrong-ballot',
    400,
    'Not a ballot for this vote',
    'Open votes take for, against or abstain; secret votes take one of the candidates put to the vote, against all, or abstain.',
  ),
};

export const noQuorum = (present: number, needed: number, seats: number, rule: { num: number; den: number }) =>
  new Problem(
    CP.noQuorum,
    `${present} of ${seats} members are present; a quorum needs at least ${needed} (more than ${rule.num}/${rule.den} of the composition)`,
    { present, needed, seats },
  );
