import type { KovModule } from '../../platform/module';
import { ballotBoxRoutes } from './routes';
import { ballotBoxCommands } from './commands';
import { keyringOf } from './keys';
import { sealAllLegacyBallots } from './legacy';
import { checkMasterKeys, SHRED_JOB, shredDueKeys } from './retention';

/**
 * The ballot box: one component for every secret vote on the platform — municipal polls, village
 * elder elections and participatory budgets (participation), secret votes in council sittings
 * (council: "who took part is recorded, never how") and encrypted ballots of verifiable voting
 * (verifiable: its own payload on the same slots). This file is its only public face.
 *
 * Guarantees, whatever the payload:
 *  - who voted (`bb_voter`, by person) and what was voted (`bb_ballot`, by slot) are stored apart;
 *    a slot is HMAC-SHA256(pseudonym key, box, person): only the server, holding the key, can find
 *    a voter's slot (to replace it on re-vote);
 *  - what a ballot says is sealed (AES-256-GCM, a data key per box wrapped by a master key outside
 *    the database, padded to one length per box) before it leaves this process: a reader of the
 *    database, its WAL or a backup who links a voter to their ballot row (same transaction, xmin)
 *    learns nothing of its content; after close, counting opens the ballots in memory and writes
 *    only counts (and, where a box keeps them, whole ballots in random order without slot or receipt);
 *  - one current ballot per slot: a re-vote replaces it, so the last ballot counts; 200 parallel
 *    casts of one voter leave exactly one ballot (they serialise on the voter's row);
 *  - casts are accepted only while the box is open and inside its window; closing waits for casts
 *    in flight, so no cast commits after the box closed (and every receipt given is counted);
 *  - a paper vote of a voter cancels their internet ballot and refuses later ones (IVXV rule);
 *  - nothing about the content can be read while the box is open: counting and every reading of
 *    ballots refuse until it is closed;
 *  - after the final results and the municipality's retention period, the box's data key is
 *    destroyed (crypto-shredding); counts, receipts and kept ballots remain.
 *
 * Transactions: functions taking `trx` run inside the caller's `inScope` transaction (tenant scope set).
 */
export const ballotBoxModule: KovModule = {
  name: 'ballotBox',
  description:
    'The ballot box of every secret vote: sealed ballots, receipts, re-voting, paper votes, counting after close, and how long ballots are kept.',
  api: ballotBoxRoutes,
  jobs(ctx) {
    ctx.jobs.define(SHRED_JOB, async () => {
      const n = await shredDueKeys(ctx);
      if (n) ctx.log.info({ boxes: n }, 'ballot box: data keys destroyed after the retention period');
    });
    ctx.jobs.schedule(SHRED_JOB, '23 * * * *');
  },
  async start(ctx) {
    keyringOf(ctx.config);
    await checkMasterKeys(ctx);
    const n = await sealAllLegacyBallots(ctx);
    if (n) ctx.log.info({ ballots: n }, 'ballot box: ballots stored in the clear by an earlier version are now sealed');
  },
  commands: ballotBoxCommands,
};

export type { BallotPayload, CastOutcome, CastRequest } from './cast';
export { addAnonymousBallots, castBallot, importBallots, recordPaperVoter, submitCast } from './cast';
export type { BoxOptions, BoxView } from './boxes';
export { closeBox, createBox, getBox, openBox, setClosingTime, withdrawBox } from './boxes';
export type { PlainBallot, SelectionTally } from './count';
export { ballotSets, ballotsTouching, countedBallots, countedReceipts, tallySelections } from './count';
export { normaliseReceipt, voterSlot } from './receipts';
export { finaliseBox, retentionOf, DEFAULT_RETENTION_DAYS } from './retention';
export { ballotCount, type BoxRef, type BoxState } from './store';
export type { ReceiptStatus, Turnout } from './voters';
export { participants, receiptStatus, turnout, voterStatus } from './voters';
export { BB } from './problems';
