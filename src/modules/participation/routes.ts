import { TranslationsSchema } from '../../platform/language/translationSchemas';
import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { readMultipart } from '../../platform/files/files';
import { invalid } from '../../platform/http/problems';
import { PlaceCode } from '../places';
import { PreviewSchema, previewElectorate } from '../register';
import {
  BallotInput,
  CandidateSchema,
  CastResult,
  IdeaInput,
  IdeaReview,
  IdeaSchema,
  ImplementationInput,
  NominationInput,
  PbImportReportSchema,
  RuleComparisonSchema,
  TurnoutSchema,
  SealingSchema,
  VoteInput,
  VoteSchema,
  MyVoteStatusSchema,
  MyVoteSchema,
} from './schemas';
import {
  createVote,
  extendVote,
  getVote,
  listVotes,
  openProposals,
  scheduleVote,
  unscheduleVote,
  updateVote,
  closeVote,
  voteSealing,
  voteTurnout,
} from './manageVotes';
import { castVote, checkReceipt, enterPaperBallots, myVoteStatus, recordPaperVote } from './castVote';
import { compareResults, getResults, publishResults, publishedReceipts, resultsCsv, resultsPabulib } from './results';
import {
  addIdeaPhoto,
  answerNomination,
  ideaPhoto,
  listCandidates,
  listIdeas,
  nominateCandidate,
  reviewCandidate,
  reviewIdea,
  submitIdea,
  updateImplementation,
} from './proposals';
import { importPabulib, type Counting } from './pabulibImport';
import { myVotes } from './myVotes';
import { ResultsSchema } from './resultSchemas';
import { canFollowVotes } from './policy';

const SESSION = [{ session: [] }];
const M = Type.Object({ code: PlaceCode });
const MV = Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }) });
const MVI = Type.Object({
  code: PlaceCode,
  id: Type.String({ format: 'uuid' }),
  ideaId: Type.String({ format: 'uuid' }),
});
const MVC = Type.Object({
  code: PlaceCode,
  id: Type.String({ format: 'uuid' }),
  candidateId: Type.String({ format: 'uuid' }),
});
const base = '/municipalities/:code/votes';

export async function participationRoutes(app: Api, ctx: AppContext) {
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 5 } });

  // Residents -------------------------------------------------------------------------------
  app.get(
    '/participation/my-votes',
    {
      schema: {
        security: SESSION,
        summary: 'Votes I can take part in (open, upcoming, collecting ideas or nominations), in every municipality',
        response: { 200: Type.Array(MyVoteSchema) },
      },
    },
    (r) => myVotes(ctx, r.actor),
  );
  app.get(
    base,
    {
      schema: {
        summary: 'Votes of a municipality (drafts for its officials only)',
        params: M,
        response: { 200: Type.Array(VoteSchema) },
      },
    },
    (r) => listVotes(ctx, r.actor, r.params.code),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        summary: 'One vote: questions, choices, rules, times, phase',
        params: MV,
        response: { 200: VoteSchema },
      },
    },
    (r) => getVote(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/me`,
    {
      schema: {
        security: SESSION,
        summary: 'May I vote, have I voted (never what)',
        params: MV,
        response: { 200: MyVoteStatusSchema },
      },
    },
    (r) => myVoteStatus(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/ballots`,
    {
      config: { countAs: 'ballot_cast' },
      schema: {
        security: SESSION,
        summary: 'Cast or change my ballot (the last one counts); answers a receipt code',
        params: MV,
        body: BallotInput,
        response: { 200: CastResult },
      },
    },
    (r) => castVote(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.get(
    `${base}/:id/receipts/:receipt`,
    {
      schema: {
        summary: 'What became of a receipt: counted, superseded, cancelled or unknown',
        params: Type.Object({
          code: PlaceCode,
          id: Type.String({ format: 'uuid' }),
          receipt: Type.String({ maxLength: 40 }),
        }),
        response: { 200: Type.Object({ receipt: Type.String(), status: Type.String() }) },
      },
    },
    (r) => checkReceipt(ctx, r.params.code, r.params.id, r.params.receipt),
  );
  app.get(
    `${base}/:id/receipts`,
    {
      schema: {
        summary: 'The published ballot list: receipt codes of every counted ballot (after publication)',
        params: MV,
        response: { 200: Type.Array(Type.String()) },
      },
    },
    (r) => publishedReceipts(ctx, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/results`,
    {
      schema: {
        summary: 'Results: public once published; officials from closing; nobody before',
        params: MV,
        response: { 200: ResultsSchema },
      },
    },
    (r) => getResults(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/results/compare`,
    {
      schema: {
        security: SESSION,
        summary:
          'Participatory budgets, officials, after closing: what each counting rule would fund with the same ballots (money used, share of voters with a funded idea, changes against the vote\u2019s own rule)',
        params: MV,
        response: { 200: RuleComparisonSchema },
      },
    },
    (r) => compareResults(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/results.csv`,
    {
      schema: {
        summary: 'Results as CSV (part=choices or turnout)',
        params: MV,
        querystring: Type.Object({
          part: Type.Optional(Type.Union([Type.Literal('choices'), Type.Literal('turnout')])),
        }),
      },
    },
    async (r, reply) => {
      const csv = await resultsCsv(ctx, r.actor, r.params.code, r.params.id, r.query.part ?? 'choices');
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="results-${r.params.id}${r.query.part === 'turnout' ? '-turnout' : ''}.csv"`,
        )
        .send(csv);
    },
  );
  app.get(
    `${base}/:id/results.pb`,
    {
      schema: {
        summary: 'Budget results as a Pabulib file (one district)',
        params: MV,
        querystring: Type.Object({ district: Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (r, reply) => {
      const f = await resultsPabulib(ctx, r.actor, r.params.code, r.params.id, r.query.district);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .send(f.text);
    },
  );

  // Ideas and candidates ---------------------------------------------------------------------
  app.get(
    `${base}/:id/ideas`,
    { schema: { summary: 'Ideas of a participatory budget', params: MV, response: { 200: Type.Array(IdeaSchema) } } },
    (r) => listIdeas(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/ideas`,
    {
      schema: {
        security: SESSION,
        summary: 'Submit an idea (while the call for ideas is open)',
        params: MV,
        body: IdeaInput,
        response: { 200: IdeaSchema },
      },
    },
    (r) => submitIdea(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/ideas/:ideaId/photos`,
    {
      schema: {
        security: SESSION,
        summary: 'Add a photo to my idea (multipart, field "file"; JPEG/PNG/WebP/HEIC; metadata stripped)',
        params: MVI,
        consumes: ['multipart/form-data'],
      },
    },
    async (r) => {
      const { files } = await readMultipart(r, { maxFileBytes: 15 * 1024 * 1024, maxFiles: 1 });
      const file = files[0];
      if (!file) throw invalid([{ pointer: '/body/file', detail: 'attach a photo' }]);
      return addIdeaPhoto(ctx, r.actor, r.params.code, r.params.id, r.params.ideaId, file);
    },
  );
  app.get(
    `${base}/:id/ideas/:ideaId/photos/:fileId`,
    {
      schema: {
        summary: 'A photo of an idea',
        params: Type.Object({
          code: PlaceCode,
          id: Type.String({ format: 'uuid' }),
          ideaId: Type.String({ format: 'uuid' }),
          fileId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (r, reply) => {
      const f = await ideaPhoto(ctx, r.params.code, r.params.id, r.params.ideaId, r.params.fileId);
      return reply.type(f.mediaType).header('cache-control', 'public, max-age=86400').send(f.content);
    },
  );
  app.put(
    `${base}/:id/ideas/:ideaId/review`,
    {
      schema: {
        security: SESSION,
        summary: 'Review an idea: feasible (final cost, district), infeasible or merged (public reason); audited',
        params: MVI,
        body: IdeaReview,
        response: { 200: IdeaSchema },
      },
    },
    (r) => reviewIdea(ctx, r.actor, r.params.code, r.params.id, r.params.ideaId, r.body),
  );
  app.put(
    `${base}/:id/ideas/:ideaId/implementation`,
    {
      schema: {
        security: SESSION,
        summary: 'Implementation status of a funded idea; audited',
        params: MVI,
        body: ImplementationInput,
        response: { 200: IdeaSchema },
      },
    },
    (r) => updateImplementation(ctx, r.actor, r.params.code, r.params.id, r.params.ideaId, r.body),
  );
  app.get(
    `${base}/:id/candidates`,
    {
      schema: {
        summary: 'Candidates of a village elder election (approved ones; officials see all)',
        params: MV,
        response: { 200: Type.Array(CandidateSchema) },
      },
    },
    (r) => listCandidates(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/candidates`,
    {
      schema: {
        security: SESSION,
        summary: 'Nominate a candidate (yourself, or another person who must consent)',
        params: MV,
        body: NominationInput,
        response: { 200: CandidateSchema },
      },
    },
    (r) => nominateCandidate(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.put(
    `${base}/:id/candidates/:candidateId/consent`,
    {
      schema: {
        security: SESSION,
        summary: 'The nominee consents or declines',
        params: MVC,
        body: Type.Object({ consent: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: CandidateSchema },
      },
    },
    (r) => answerNomination(ctx, r.actor, r.params.code, r.params.id, r.params.candidateId, r.body.consent),
  );
  app.put(
    `${base}/:id/candidates/:candidateId/review`,
    {
      schema: {
        security: SESSION,
        summary: 'Approve or reject a candidate; audited',
        params: MVC,
        body: Type.Object(
          {
            status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
            reason: Type.Optional(Type.String({ maxLength: 2000 })),
            translations: Type.Optional(TranslationsSchema({ statement: 5000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CandidateSchema },
      },
    },
    (r) => reviewCandidate(ctx, r.actor, r.params.code, r.params.id, r.params.candidateId, r.body),
  );

  // Officials ----------------------------------------------------------------------------------
  app.post(
    base,
    {
      schema: {
        security: SESSION,
        summary: 'Create a vote (draft); audited',
        params: M,
        body: VoteInput,
        response: { 200: VoteSchema },
      },
    },
    (r) => createVote(ctx, r.actor, r.params.code, r.body),
  );
  app.put(
    `${base}/:id`,
    {
      schema: {
        security: SESSION,
        summary: 'Change a vote before it is scheduled (409 once scheduled or open); audited',
        params: MV,
        body: VoteInput,
        response: { 200: VoteSchema },
      },
    },
    (r) => updateVote(ctx, r.actor, r.params.code, r.params.id, r.body),
  );
  app.post(
    `${base}/:id/proposals`,
    {
      schema: {
        security: SESSION,
        summary: 'Open the call for ideas or nominations; audited',
        params: MV,
        response: { 200: VoteSchema },
      },
    },
    (r) => openProposals(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/schedule`,
    {
      schema: {
        security: SESSION,
        summary: 'Schedule: lock questions, electorate and rules; the vote opens and closes on time; audited',
        params: MV,
        response: { 200: VoteSchema },
      },
    },
    (r) => scheduleVote(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/unschedule`,
    {
      schema: {
        security: SESSION,
        summary: 'Back to editing before the vote opens; audited',
        params: MV,
        response: { 200: VoteSchema },
      },
    },
    (r) => unscheduleVote(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/extend`,
    {
      schema: {
        security: SESSION,
        summary: 'Extend the closing time of an open vote (the only change allowed once open); audited',
        params: MV,
        body: Type.Object({ closesAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: VoteSchema },
      },
    },
    (r) => extendVote(ctx, r.actor, r.params.code, r.params.id, r.body.closesAt),
  );
  app.post(
    `${base}/:id/close`,
    {
      schema: {
        security: SESSION,
        summary: 'Close a vote whose closing time has passed (never early)',
        params: MV,
        response: { 200: VoteSchema },
      },
    },
    (r) => closeVote(ctx, r.actor, r.params.code, r.params.id),
  );
  app.post(
    `${base}/:id/publish`,
    {
      schema: {
        security: SESSION,
        summary: 'Publish the results of a closed vote; audited',
        params: MV,
        response: { 200: ResultsSchema },
      },
    },
    (r) => publishResults(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/turnout`,
    {
      schema: {
        security: SESSION,
        summary: 'Live turnout: numbers only (officials)',
        params: MV,
        response: { 200: TurnoutSchema },
      },
    },
    (r) => voteTurnout(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/sealing`,
    {
      schema: {
        security: SESSION,
        summary: 'How long the sealed ballots are kept and when they are destroyed (officials)',
        params: MV,
        response: { 200: SealingSchema },
      },
    },
    (r) => voteSealing(ctx, r.actor, r.params.code, r.params.id),
  );
  app.get(
    `${base}/:id/electorate-preview`,
    {
      schema: {
        security: SESSION,
        summary: 'Size of the electorate by settlement unit (officials)',
        params: MV,
        response: { 200: PreviewSchema },
      },
    },
    async (r) => {
      canFollowVotes(r.actor, r.params.code);
      const v = await getVote(ctx, r.actor, r.params.code, r.params.id);
      if (!v.electorateId) throw invalid([{ pointer: '/body/electorate', detail: 'the vote has no electorate yet' }]);
      return previewElectorate(ctx, r.actor, r.params.code, v.electorateId);
    },
  );
  app.post(
    `${base}/:id/paper-votes`,
    {
      schema: {
        security: SESSION,
        summary: 'Record a paper vote at a service point: cancels the person\u2019s internet ballot; audited',
        params: MV,
        body: Type.Object({ idCode: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ recorded: Type.Boolean(), cancelledInternetBallot: Type.Boolean() }) },
      },
    },
    (r) => recordPaperVote(ctx, r.actor, r.params.code, r.params.id, r.body.idCode),
  );
  app.post(
    `${base}/:id/paper-ballots`,
    {
      schema: {
        security: SESSION,
        summary: 'Enter the counted paper ballots after closing (anonymous; at most the paper voters); audited',
        params: MV,
        body: Type.Object(
          {
            ballots: Type.Array(
              Type.Object(
                {
                  answers: BallotInput.properties.answers,
                  settlementCode: Type.Optional(Type.Union([PlaceCode, Type.Null()])),
                },
                { additionalProperties: false },
              ),
              { maxItems: 10000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entered: Type.Integer() }) },
      },
    },
    (r) => enterPaperBallots(ctx, r.actor, r.params.code, r.params.id, r.body.ballots),
  );
  app.post(
    `/municipalities/:code/pabulib-imports`,
    {
      schema: {
        security: SESSION,
        summary:
          'Import a past participatory budget from a Pabulib .pb file (multipart: field "file"; optional fields "rule" = greedy | greedy-stop | equal-shares and "utility" = cost | cardinality, default the file\u2019s rule); answers the import report',
        params: M,
        consumes: ['multipart/form-data'],
        response: { 200: PbImportReportSchema },
      },
    },
    async (r) => {
      const { files, fields } = await readMultipart(r, { maxFileBytes: 100 * 1024 * 1024, maxFiles: 1 });
      const file = files[0];
      if (!file) throw invalid([{ pointer: '/body/file', detail: 'attach a .pb file' }]);
      const counting: Partial<Counting> = {};
      const rule = fields.rule || undefined;
      if (rule === 'greedy') Object.assign(counting, { rule: 'greedy', greedy: 'skip' });
      else if (rule === 'greedy-stop') Object.assign(counting, { rule: 'greedy', greedy: 'stop' });
      else if (rule === 'equal-shares') counting.rule = 'equal-shares';
      else if (rule !== undefined)
        throw invalid([{ pointer: '/body/rule', detail: 'rule is greedy, greedy-stop or equal-shares' }]);
      const utility = fields.utility || undefined;
      if (utility === 'cost' || utility === 'cardinality') counting.utility = utility;
      else if (utility !== undefined)
        throw invalid([{ pointer: '/body/utility', detail: 'utility is cost or cardinality' }]);
      // The buffered upload is read in pieces, as from a stream (no one huge string).
      const content = file.content;
      async function* chunks() {
        for (let i = 0; i < content.length; i += 1 << 16) yield content.subarray(i, i + (1 << 16));
      }
      return importPabulib(ctx, r.actor, r.params.code, chunks(), { filename: file.filename, counting });
    },
  );
}
