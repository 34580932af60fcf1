import { Problem, defineProblem } from '../../platform/http/problems';
import { type CryptoError } from './crypto/errors';

export const VV = {
  invalidBallot: defineProblem(
    'invalid-ballot',
    422,
    'The encrypted ballot was rejected',
    'A check of the encrypted ballot failed: its structure, an encoding, a proof bound to another vote, voter or position, or a zero-knowledge proof (a choice not 0/1, a selection count outside the rules). `item` names the failing part, `check` the kind of check. Nothing was recorded.',
  ),
  onBoard: defineProblem(
    'ballot-already-on-board',
    409,
    'This exact ballot is already on the bulletin board',
    'A ballot is accepted once: submitting the same ciphertexts and proofs again (a reused ballot) is refused. Encrypt the choices again to cast a new ballot.',
  ),
  wrongPhase: defineProblem(
    'verifiable-wrong-phase',
    409,
    'Not possible in the current phase of the verifiable vote',
    'The action belongs to another phase (draft, key ceremony, ready, open, closed, tallied, published).',
  ),
  invalidMessage: defineProblem(
    'invalid-ceremony-message',
    422,
    'The trustee message was rejected',
    'A key-ceremony or decryption message failed a check (shape, encoding, proof, or consistency with the published commitments or tally). `item` names the failing part.',
  ),
  incomplete: defineProblem(
    'verifiable-incomplete',
    422,
    'The verifiable vote is not ready for this step',
    '`errors` lists what is missing: questions, choices, trustees, an electorate, valid times.',
  ),
  notEligible: defineProblem(
    'not-eligible',
    403,
    'You are not in the electorate of this vote',
    '`reason` says why: not-resident, wrong-settlement, under-age, over-age, not-on-list, excluded.',
  ),
  notTrustee: defineProblem(
    'not-a-trustee',
    403,
    'You are not a trustee of this vote',
    'Only the trustee named by the officials can submit that trustee’s key-ceremony and decryption messages.',
  ),
  integrity: defineProblem(
    'board-mismatch',
    409,
    'The bulletin board and the ballot box disagree',
    'The counted ballots of the ballot box and the board do not match; the tally is refused until an operator investigates.',
  ),
};

export const wrongPhase = (detail: string) => new Problem(VV.wrongPhase, detail);

const REASONS: Record<string, string> = {
  'not-resident': 'according to the population register you do not live in this municipality',
  'wrong-settlement': 'according to the population register you do not live in the settlement units of this vote',
  'under-age': 'you are younger than the minimum age of this vote',
  'over-age': 'you are older than the maximum age of this vote',
  'not-on-list': 'you are not on the voter list of this vote',
  excluded: 'you are excluded from the voter list of this vote',
  'no-electorate': 'the vote has no electorate',
};
export const notEligible = (reason: string) =>
  new Problem(VV.notEligible, `You cannot vote: ${REASONS[reason] ?? reason}`, { reason });

/** A CryptoError from a ballot check as problem+json: the message starts with the failing item's path. */
export function ballotProblem(err: CryptoError): Problem {
  const item = err.message.split(': ')[0] ?? '';
  return new Problem(VV.invalidBallot, err.message, { item, check: err.kind });
}

export function messageProblem(err: CryptoError): Problem {
  const item = err.message.split(': ')[0] ?? '';
  return new Problem(VV.invalidMessage, err.message, { item, check: err.kind });
}
