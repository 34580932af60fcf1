import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { PlaceCode } from '../places';
import { boardBallot, boardPage, exportRecord, receiptLookup } from './board';
import { castEncryptedBallot, enterPaperBallots, myBallotSlot, postAudit, recordPaperVoter } from './casting';
import { ceremonyMessages, submitCommitment, submitConfirmation, submitDeal } from './ceremony';
import { computeTally, submitDecryption } from './counting';
import {
  closeElection,
  createElection,
  getElection,
  listElections,
  myTrusteeTasks,
  openElection,
  restartCeremony,
  startCeremony,
  updateElection,
} from './manageElections';
import {
  AuditBody,
  CastBody,
  CommitmentBody,
  ConfirmationBody,
  DealBody,
  DecryptionBody,
  ElectionInput,
  ElectionView,
  Kind,
  PaperBallotsBody,
  PaperVoterBody,
  ElectionParamsView,
} from './schemas';
import { closeVerifyPool } from './verifyPool';
import { canManage } from './policy';
import { listElectorates } from '../register';

const SESSION = [{ session: [] }];
const TenantParams = Type.Object({ code: PlaceCode });
const ElectionParams = Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }) });
const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Listed = Type.Object({
  id: Type.String(),
  kind: Kind,
  title: Type.String(),
  status: Type.String(),
  phase: Type.String(),
  opensAt: Type.String(),
  closesAt: Type.String(),
});
const BoardStatus = Type.Union([Type.Literal('counted'), Type.Literal('superseded'), Type.Literal('cancelled')]);

export function verifiableRoutes(app: Api, ctx: AppContext) {
  app.addHook('onClose', async () => closeVerifyPool());
  const base = '/municipalities/:code/verifiable-votes';

  // ——— officials: preparing, opening, closing, counting ———
  app.get(
    base,
    {
      schema: {
        summary: 'Verifiable votes of a municipality (drafts only for its officials)',
        params: TenantParams,
        response: { 200: Type.Array(Listed) },
      },
    },
    (r) => listElections(ctx, r.actor, r.params.code),
  );
  app.post(
    base,
    {
      schema: {
        security: SESSION,
        summary: 'Prepare a verifiable vote (admins, editors); audited',
        params: TenantParams,
        body: ElectionInput,
        response: { 200: ElectionView },
      },
    },
    (r) => createElection(ctx, r.actor, r.params.code, r.body),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        summary: 'A verifiable vote: definition, phase, trustees, election key, tally and result',
        params: ElectionParams,
        response: { 200: ElectionView },
      },
    },
    (r) => getElection(ctx, r.actor, r.params.code, r.params.id),
  );
  app.put(
    `${base}/:id`,
    {
      schema: {
        security: SESSION,
        summary: 'Change a draft (admins, editors); audited',
        params: ElectionParams,
        body: ElectionInput,
        response: { 200: ElectionView },
      },
    },
    (r) => updateElection(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/ceremony/start`,
    {
      schema: {
        security: SESSION,
        summary: 'Freeze the definition and start the trustees’ key ceremony; audited',
        params: ElectionParams,
        response: { 200: ElectionView },
      },
    },
    (r) => startCeremony(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/ceremony/restart`,
    {
      schema: {
        security: SESSION,
        summary: 'Restart the key ceremony (or return to a draft) before the vote opens; audited',
        params: ElectionParams,
        body: Type.Object({ toDraft: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: ElectionView },
      },
    },
    (r) => restartCeremony(ctx, r.actor, r.params.code, r.params.id, { toDraft: r.body.toDraft }),
  );
  app.post(
    `${base}/:id/open`,
    {
      schema: {
        security: SESSION,
        summary: 'Open voting for the scheduled window (after the ceremony); audited',
        params: ElectionParams,
        response: { 200: ElectionView },
      },
    },
    (r) => openElection(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/close`,
    {
      schema: {
        security: SESSION,
        summary: 'Close the ballot box once the closing time has passed; audited',
        params: ElectionParams,
        response: { 200: ElectionView },
      },
    },
    async (r) => (await closeElection(ctx, r.actor, r.params.code, r.params.id))!,
  );
  app.post(
    `${base}/:id/tally`,
    {
      schema: {
        security: SESSION,
        summary: 'Multiply the counted encrypted ballots homomorphically and count the paper ballots; audited',
        params: ElectionParams,
        response: { 200: ElectionView },
      },
    },
    async (r) => (await computeTally(ctx, r.actor, r.params.code, r.params.id))!,
  );
  app.post(
    `${base}/:id/paper-voters`,
    {
      schema: {
        security: SESSION,
        summary: 'Record a paper vote at a service point: cancels the person’s internet ballot (IVXV rule); audited',
        params: ElectionParams,
        body: PaperVoterBody,
        response: { 200: Type.Object({ recorded: Type.Boolean(), cancelledInternetBallot: Type.Boolean() }) },
      },
    },
    (r) => recordPaperVoter(ctx, r.actor, r.params.code, r.params.id, r.body.idCode),
  );
  app.post(
    `${base}/:id/paper-ballots`,
    {
      schema: {
        security: SESSION,
        summary: 'Enter paper ballots (after closing, before the tally), anonymously; audited',
        params: ElectionParams,
        body: PaperBallotsBody,
        response: { 200: Type.Object({ entered: Type.Integer(), total: Type.Integer() }) },
      },
    },
    (r) => enterPaperBallots(ctx, r.actor, r.params.code, r.params.id, r.body),
  );

  app.get(
    '/municipalities/:code/verifiable-electorates',
    {
      schema: {
        security: SESSION,
        summary: 'Electorates (register module) the officials can choose for a verifiable vote',
        params: TenantParams,
        response: {
          200: Type.Array(
            Type.Object({ id: Type.String(), name: Type.String(), state: Type.String(), mode: Type.String() }),
          ),
        },
      },
    },
    async (r) => {
      canManage(r.actor, r.params.code);
      return (await listElectorates(ctx, r.actor, r.params.code)).map((e) => ({
        id: e.id,
        name: e.name,
        state: e.state,
        mode: e.mode,
      }));
    },
  );

  // ——— trustees ———
  app.get(
    '/verifiable-trustee-tasks',
    {
      schema: {
        security: SESSION,
        summary: 'Verifiable votes where I am a trustee',
        response: {
          200: Type.Array(
            Type.Object({
              municipalityCode: Type.String(),
              id: Type.String(),
              title: Type.String(),
              status: Type.String(),
              index: Type.Integer(),
            }),
          ),
        },
      },
    },
    (r) => myTrusteeTasks(ctx, r.actor),
  );
  app.get(
    `${base}/:id/ceremony`,
    { schema: { summary: 'The key ceremony’s public messages (part of the bulletin board)', params: ElectionParams } },
    (r) => ceremonyMessages(ctx, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/ceremony/commitment`,
    {
      schema: {
        security: SESSION,
        summary: 'Trustee, round 1: transport key and commitments with proofs of knowledge',
        params: ElectionParams,
        body: CommitmentBody,
        response: { 200: ElectionView },
      },
    },
    (r) => submitCommitment(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/ceremony/deal`,
    {
      schema: {
        security: SESSION,
        summary: 'Trustee, round 2: shares for the other trustees, each encrypted to its recipient',
        params: ElectionParams,
        body: DealBody,
        response: { 200: ElectionView },
      },
    },
    (r) => submitDeal(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/ceremony/confirmation`,
    {
      schema: {
        security: SESSION,
        summary: 'Trustee, round 3: public share with proof of possession, or a complaint',
        params: ElectionParams,
        body: ConfirmationBody,
        response: { 200: ElectionView },
      },
    },
    (r) => submitConfirmation(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/decryptions`,
    {
      schema: {
        security: SESSION,
        summary: 'Trustee: partial decryptions of the tally with Chaum–Pedersen proofs',
        params: ElectionParams,
        body: DecryptionBody,
        response: { 200: ElectionView },
      },
    },
    (r) => submitDecryption(ctx, r.actor, r.params.code, r.params.id, r.body),
  );

  // ——— voters ———
  app.get(
    `${base}/:id/my-slot`,
    {
      schema: {
        security: SESSION,
        summary:
          'For my browser: my ballot slot (the proofs are bound to it), the election parameters, whether I may vote and have voted',
        params: ElectionParams,
        response: {
          200: Type.Object({
            slot: Type.String(),
            params: Type.Union([ElectionParamsView, Type.Null()]),
            phase: Type.String(),
            eligible: Type.Boolean(),
            reason: Type.Union([Type.String(), Type.Null()]),
            voted: Type.Boolean(),
            channel: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    (r) => myBallotSlot(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/ballots`,
    {
      config: { countAs: 'ballot_cast_verifiable' },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        security: SESSION,
        summary: 'Cast an encrypted ballot: every proof is verified first; re-voting replaces the earlier ballot',
        params: ElectionParams,
        body: CastBody,
        response: {
          200: Type.Object({
            receipt: Type.String(),
            tracker: Type.String(),
            replaced: Type.Boolean(),
            version: Type.Integer(),
            slot: Type.String(),
          }),
        },
      },
    },
    (r) => castEncryptedBallot(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/audits`,
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        security: SESSION,
        summary: 'Publish an audited ballot (Benaloh challenge): its randomness revealed, never counted',
        params: ElectionParams,
        body: AuditBody,
        response: { 200: Type.Object({ tracker: Type.String(), selections: Type.Array(Type.Array(Type.Integer())) }) },
      },
    },
    (r) => postAudit(ctx, r.actor, r.params.code, r.params.id, r.body),
  );

  // ——— the public bulletin board ———
  app.get(
    `${base}/:id/board`,
    {
      schema: {
        summary: 'The bulletin board: every cast ballot (slot pseudonym, version, tracker, status), audited ballots',
        params: ElectionParams,
        querystring: Type.Object({
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            ballots: Type.Array(
              Type.Object({
                slot: Type.String(),
                version: Type.Integer(),
                tracker: Type.String(),
                status: BoardStatus,
              }),
            ),
            audited: Type.Array(
              Type.Object({ tracker: Type.String(), selections: Type.Array(Type.Array(Type.Integer())) }),
            ),
          }),
        },
      },
    },
    (r) => boardPage(ctx, r.params.code, r.params.id, { offset: r.query.offset, limit: r.query.limit }),
  );
  app.get(
    `${base}/:id/board/:tracker`,
    {
      schema: {
        summary: 'One ballot of the board in full (cast or audited)',
        params: Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }), tracker: Hex64 }),
      },
    },
    (r) => boardBallot(ctx, r.params.code, r.params.id, r.params.tracker),
  );
  app.get(
    `${base}/:id/receipts/:receipt`,
    {
      schema: {
        summary: 'What became of a receipt (counted, superseded, cancelled, unknown) and its ballot’s tracker',
        params: Type.Object({
          code: PlaceCode,
          id: Type.String({ format: 'uuid' }),
          receipt: Type.String({ maxLength: 40 }),
        }),
      },
    },
    (r) => receiptLookup(ctx, r.params.code, r.params.id, r.params.receipt),
  );
  app.get(
    `${base}/:id/record`,
    {
      schema: {
        summary: 'The election record (JSON, docs/verifiable-voting.md): check it with `kov verify RECORD.json`',
        params: ElectionParams,
      },
    },
    async (r, reply) => {
      const stream = await exportRecord(ctx, r.params.code, r.params.id);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="election-record-${r.params.id}.json"`)
        .send(stream);
    },
  );
}
