import { defineProblem } from '../../platform/http/problems';

export const BB = {
  notOpen: defineProblem(
    'ballot-box-not-open',
    409,
    'Voting is not open',
    'Ballots are accepted only while the vote is open, between its opening and closing time.',
  ),
  votedOnPaper: defineProblem(
    'voted-on-paper',
    409,
    'You have voted on paper',
    'A paper vote has been recorded for you; it cancels internet ballots, and no further ballot can be cast.',
  ),
  stillOpen: defineProblem(
    'results-hidden',
    409,
    'Results are hidden until the vote closes',
    'No partial result is ever shown: ballots can be counted only after the vote has closed.',
  ),
  paperTwice: defineProblem(
    'already-voted-on-paper',
    409,
    'Already voted on paper',
    'A paper vote of this person has already been recorded for this vote.',
  ),
  destroyed: defineProblem(
    'ballots-destroyed',
    410,
    'The ballots have been destroyed',
    'The retention period after the final results has passed and the key that opened the sealed ballots was destroyed (crypto-shredding). The counts, published results, receipts and exports remain; nothing needing the ballots themselves (a recount, new ballots) is possible.',
  ),
};
