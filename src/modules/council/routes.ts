import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { openSse } from '../../platform/events/sse';
import { inScope } from '../../platform/db/database';
import { invalid } from '../../platform/http/problems';
import { readMultipart } from '../../platform/files/files';
import { PlaceCode } from '../places';
import * as S from './schemas';
import * as L from './liveSchemas';
import * as A from './archiveSchemas';

import { visibleSitting } from './access';
import { addFaction, createCouncil, updateCouncil } from './createCouncil';
import { addMember, setOffice } from './addMember';
import { changeMandate } from './changeMandate';
import { getCouncil, listMinuteKeepers } from './getCouncil';
import { changeSittingStatus, createSitting, setCurrentItem, updateSitting } from './sittings';
import { addAgendaItem, updateAgendaItem } from './editAgenda';
import { MAX_DOCUMENT_BYTES, readDocument, uploadDocument } from './documents';
import { getSitting, listSittings } from './getSitting';
import { markAttendance, registerOwnAttendance } from './attendance';
import { declareRecusal } from './declareRecusal';
import { startVote } from './startVote';
import { castBallot } from './castBallot';
import { closeVote, previewCloseVote } from './closeVote';
import { getMyPlace } from './getMyPlace';
import { generateMinutes, getMinutesStatus, readMinutesHtml, readMinutesPdf, signMinutes } from './minutes';
import { MINUTES_STYLE_HASH } from './minutesHtml';
import { listDecisions, toCsv, votingRecords } from './archive';
import { liveHub } from './live';
import { loadSnapshot } from './liveState';

const SESSION = [{ session: [] }];
const Uuid = Type.String({ format: 'uuid' });
const Code = Type.Object({ code: PlaceCode });
const CouncilP = Type.Object({ code: PlaceCode, councilId: Uuid });
const SittingP = Type.Object({ code: PlaceCode, sittingId: Uuid });
const ItemP = Type.Object({ code: PlaceCode, sittingId: Uuid, itemId: Uuid });
const VoteP = Type.Object({ code: PlaceCode, voteId: Uuid });
const Id = Type.Object({ id: Uuid });
const CouncilQuery = Type.Object({ councilId: Type.Optional(Uuid) });

export async function councilRoutes(app: Api, ctx: AppContext) {
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 } });

  // ---------- composition
  app.get(
    '/municipalities/:code/council',
    {
      schema: {
        summary: "The municipality's current council: seats, quorum, factions, members and substitutes (public)",
        params: Code,
        response: { 200: S.CouncilSchema },
      },
    },
    (r) => getCouncil(ctx, r.actor, r.params.code),
  );
  app.get(
    '/municipalities/:code/councils/:councilId',
    { schema: { summary: 'A council of a given term (public)', params: CouncilP, response: { 200: S.CouncilSchema } } },
    (r) => getCouncil(ctx, r.actor, r.params.code, r.params.councilId),
  );
  app.post(
    '/municipalities/:code/councils',
    {
      schema: {
        security: SESSION,
        summary: 'Create the council of a term (admins, editors); audited',
        params: Code,
        body: S.CouncilInput,
        response: { 200: Id },
      },
    },
    (r) => createCouncil(ctx, r.actor, r.params.code, r.body),
  );
  app.patch(
    '/municipalities/:code/councils/:councilId',
    {
      schema: {
        security: SESSION,
        summary: 'Rename, end the term or change the quorum rule; audited',
        params: CouncilP,
        body: S.CouncilUpdate,
        response: { 204: Type.Null() },
      },
    },
    async (r, reply) => {
      await updateCouncil(ctx, r.actor, r.params.code, r.params.councilId, r.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/municipalities/:code/councils/:councilId/factions',
    {
      schema: {
        security: SESSION,
        summary: 'Add a faction (election list); audited',
        params: CouncilP,
        body: S.FactionInput,
        response: { 200: Type.Object({ id: Uuid, name: Type.String() }) },
      },
    },
    (r) => addFaction(ctx, r.actor, r.params.code, r.params.councilId, r.body.name),
  );
  app.post(
    '/municipalities/:code/councils/:councilId/members',
    {
      schema: {
        security: SESSION,
        summary: 'Add an elected member or a substitute (grants the council_member role); audited',
        params: CouncilP,
        body: S.MemberInput,
        response: { 200: Type.Object({ id: Uuid, personId: Uuid }) },
      },
    },
    (r) => addMember(ctx, r.actor, r.params.code, r.params.councilId, r.body),
  );
  app.put(
    '/municipalities/:code/councils/:councilId/members/:memberId/office',
    {
      schema: {
        security: SESSION,
        summary: 'Make a member chair or vice-chair, or clear the office; audited',
        params: Type.Object({ code: PlaceCode, councilId: Uuid, memberId: Uuid }),
        body: S.OfficeInput,
        response: { 204: Type.Null() },
      },
    },
    async (r, reply) => {
      await setOffice(ctx, r.actor, r.params.code, r.params.councilId, r.params.memberId, r.body.office);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/municipalities/:code/councils/:councilId/members/:memberId/mandate',
    {
      schema: {
        security: SESSION,
        summary: 'Suspend (a substitute steps in), restore or end a mandate; audited',
        params: Type.Object({ code: PlaceCode, councilId: Uuid, memberId: Uuid }),
        body: S.MandateChange,
        response: { 200: Type.Object({ memberId: Uuid, substituteMemberId: Type.Union([Uuid, Type.Null()]) }) },
      },
    },
    (r) => changeMandate(ctx, r.actor, r.params.code, r.params.councilId, r.params.memberId, r.body),
  );
  app.get(
    '/municipalities/:code/council/officials',
    {
      schema: {
        security: SESSION,
        summary: 'Officials who may keep the minutes (admins and editors), for choosing a secretary',
        params: Code,
        response: {
          200: Type.Array(Type.Object({ personId: Uuid, name: Type.String(), idCodeMasked: Type.String() })),
        },
      },
    },
    (r) => listMinuteKeepers(ctx, r.actor, r.params.code),
  );

  // ---------- sittings and agenda
  app.get(
    '/municipalities/:code/council/sittings',
    {
      schema: {
        summary: 'Sittings of the current council (public ones; managers also see drafts)',
        params: Code,
        querystring: CouncilQuery,
        response: { 200: Type.Array(S.SittingSummary) },
      },
    },
    (r) => listSittings(ctx, r.actor, r.params.code, r.query),
  );
  app.post(
    '/municipalities/:code/councils/:councilId/sittings',
    {
      schema: {
        security: SESSION,
        summary: 'Convene a sitting (a draft until published); audited',
        params: CouncilP,
        body: S.SittingInput,
        response: { 200: Type.Object({ id: Uuid, number: Type.Integer() }) },
      },
    },
    (r) => createSitting(ctx, r.actor, r.params.code, r.params.councilId, r.body),
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId',
    {
      schema: {
        summary: 'A sitting with its agenda, documents and agenda changes',
        params: SittingP,
        response: { 200: S.SittingDetail },
      },
    },
    (r) => getSitting(ctx, r.actor, r.params.code, r.params.sittingId),
  );
  app.patch(
    '/municipalities/:code/council/sittings/:sittingId',
    {
      schema: {
        security: SESSION,
        summary: 'Change time, place, link, chair or secretary before the sitting opens; recorded',
        params: SittingP,
        body: S.SittingUpdate,
        response: { 204: Type.Null() },
      },
    },
    async (r, reply) => {
      await updateSitting(ctx, r.actor, r.params.code, r.params.sittingId, r.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/status',
    {
      schema: {
        security: SESSION,
        summary: 'Publish or cancel (managers); open or close (its chair or secretary); audited',
        params: SittingP,
        body: S.SittingAction,
        response: { 200: Type.Object({ status: Type.String(), notice: Type.Optional(S.Notice) }) },
      },
    },
    (r) => changeSittingStatus(ctx, r.actor, r.params.code, r.params.sittingId, r.body.action),
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/items',
    {
      schema: {
        security: SESSION,
        summary: 'Add an agenda item with its majority rule (and candidates of an election); recorded',
        params: SittingP,
        body: S.ItemInput,
        response: { 200: Id },
      },
    },
    (r) => addAgendaItem(ctx, r.actor, r.params.code, r.params.sittingId, r.body),
  );
  app.patch(
    '/municipalities/:code/council/sittings/:sittingId/items/:itemId',
    {
      schema: {
        security: SESSION,
        summary: 'Edit, move or withdraw an agenda item, or write its note for the minutes; recorded',
        params: ItemP,
        body: S.ItemUpdate,
        response: { 204: Type.Null() },
      },
    },
    async (r, reply) => {
      await updateAgendaItem(ctx, r.actor, r.params.code, r.params.sittingId, r.params.itemId, r.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/items/:itemId/documents',
    {
      schema: {
        security: SESSION,
        summary: `Attach a PDF (multipart/form-data: file, title, isPublic; at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`,
        params: ItemP,
        consumes: ['multipart/form-data'],
        response: { 200: S.DocumentSchema },
      },
    },
    async (r) => {
      const form = await readMultipart(r, { maxFileBytes: MAX_DOCUMENT_BYTES, maxFiles: 1 });
      const file = form.files[0];
      if (!file) throw invalid([{ pointer: '/body/file', detail: 'attach a PDF file' }]);
      const isPublic = form.fields.isPublic === undefined ? undefined : form.fields.isPublic === 'true';
      return uploadDocument(ctx, r.actor, r.params.code, r.params.sittingId, r.params.itemId, file, {
        title: form.fields.title,
        isPublic,
      });
    },
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/documents/:documentId',
    {
      schema: {
        summary: 'A sitting document (PDF); closed items only for the council and officials',
        params: Type.Object({ code: PlaceCode, sittingId: Uuid, documentId: Uuid }),
        produces: ['application/pdf'],
      },
    },
    async (r, reply) => {
      const f = await readDocument(ctx, r.actor, r.params.code, r.params.sittingId, r.params.documentId);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${encodeURIComponent(f.filename)}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .header('x-content-sha256', f.sha256)
        .header('cache-control', 'private, max-age=300')
        .send(f.content);
    },
  );

  // ---------- running a sitting
  app.put(
    '/municipalities/:code/council/sittings/:sittingId/current-item',
    {
      schema: {
        security: SESSION,
        summary: 'Move the sitting to an agenda item (chair, secretary)',
        params: SittingP,
        body: S.CurrentItemInput,
        response: { 204: Type.Null() },
      },
    },
    async (r, reply) => {
      await setCurrentItem(ctx, r.actor, r.params.code, r.params.sittingId, r.body.itemId);
      return reply.code(204).send(null);
    },
  );
  const AttendanceAnswer = Type.Object({
    memberId: Uuid,
    present: Type.Boolean(),
    mode: Type.String(),
    changed: Type.Boolean(),
  });
  app.put(
    '/municipalities/:code/council/sittings/:sittingId/attendance/me',
    {
      schema: {
        security: SESSION,
        summary: 'A member registers their own presence (or leaves)',
        params: SittingP,
        body: S.AttendanceInput,
        response: { 200: AttendanceAnswer },
      },
    },
    (r) => registerOwnAttendance(ctx, r.actor, r.params.code, r.params.sittingId, r.body),
  );
  app.put(
    '/municipalities/:code/council/sittings/:sittingId/attendance/:memberId',
    {
      schema: {
        security: SESSION,
        summary: "The chair or secretary records a member's presence; audited",
        params: Type.Object({ code: PlaceCode, sittingId: Uuid, memberId: Uuid }),
        body: S.AttendanceInput,
        response: { 200: AttendanceAnswer },
      },
    },
    (r) => markAttendance(ctx, r.actor, r.params.code, r.params.sittingId, r.params.memberId, r.body),
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/items/:itemId/recusals',
    {
      schema: {
        security: SESSION,
        summary: 'Declare a conflict of interest on an item (the member, or the chair/secretary for them)',
        params: ItemP,
        body: S.RecusalInput,
        response: {
          200: Type.Object({ memberId: Uuid, itemId: Uuid, declaredAt: Type.String(), created: Type.Boolean() }),
        },
      },
    },
    (r) => declareRecusal(ctx, r.actor, r.params.code, r.params.sittingId, r.params.itemId, r.body),
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/me',
    {
      schema: {
        security: SESSION,
        summary:
          "The logged-in person's place in the sitting: member, presence, recusals, own ballot in the vote in progress",
        params: SittingP,
        response: { 200: L.MyPlaceSchema },
      },
    },
    (r) => getMyPlace(ctx, r.actor, r.params.code, r.params.sittingId),
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/votes',
    {
      schema: {
        security: SESSION,
        summary: 'Start a vote on an item (chair, secretary): needs a quorum; an election is a secret ballot; audited',
        params: SittingP,
        body: S.StartVoteInput,
        response: {
          200: Type.Object({ id: Uuid, number: Type.Integer(), kind: Type.String(), question: Type.String() }),
        },
      },
    },
    (r) => startVote(ctx, r.actor, r.params.code, r.params.sittingId, r.body),
  );
  app.post(
    '/municipalities/:code/council/votes/:voteId/ballot',
    {
      config: { countAs: 'council_vote' },
      schema: {
        security: SESSION,
        summary:
          'Vote (acting members present and not recused); may be changed while the vote is open, the last one counts',
        params: VoteP,
        body: S.BallotInput,
        response: {
          200: Type.Object({
            voteId: Uuid,
            kind: Type.String(),
            choice: Type.Union([Type.String(), Type.Null()]),
            replaced: Type.Boolean(),
            receipt: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    (r) => castBallot(ctx, r.actor, r.params.code, r.params.voteId, r.body.choice),
  );
  app.post(
    '/municipalities/:code/council/votes/:voteId/close',
    {
      schema: {
        security: SESSION,
        summary: 'Close the vote and count it (chair, secretary); audited',
        description:
          '`expectNotVoted` (member ids, from `GET …/not-voted`) is what the chair saw when confirming: if it no longer holds, 409 `council-not-voted-changed` with the list now (`notVoted`), and the vote stays open.',
        params: VoteP,
        body: Type.Optional(
          Type.Object(
            {
              expectNotVoted: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: L.ClosedVoteSchema },
      },
      // The body is optional (API clients close without one, as before `expectNotVoted`): no body is {}.
      preValidation: async (r) => {
        r.body ??= {};
      },
    },
    (r) => closeVote(ctx, r.actor, r.params.code, r.params.voteId, r.body ?? {}),
  );

  app.get(
    '/municipalities/:code/council/votes/:voteId/not-voted',
    {
      schema: {
        security: SESSION,
        summary: 'Before closing: how many have voted and who of the members present has not (chair, secretary)',
        params: VoteP,
        response: {
          200: Type.Object({
            voted: Type.Integer(),
            notVoted: Type.Array(Type.Object({ memberId: Type.String(), name: Type.String() })),
          }),
        },
      },
    },
    (r) => previewCloseVote(ctx, r.actor, r.params.code, r.params.voteId),
  );

  // ---------- live view
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/state',
    {
      schema: {
        summary: 'The live state of a sitting once (what the event stream starts with)',
        params: SittingP,
        response: { 200: L.SnapshotSchema },
      },
    },
    async (r) =>
      inScope(
        ctx.db,
        { tenant: r.params.code, actor: r.actor.kind === 'person' ? r.actor.personId : undefined },
        async (t) => {
          await visibleSitting(t, r.actor, r.params.code, r.params.sittingId);
          return loadSnapshot(t, r.params.code, r.params.sittingId);
        },
      ),
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/live',
    {
      schema: {
        summary:
          'Server-Sent Events: snapshot, then state, attendance, roster, agenda, progress and result as they happen (every app node)',
        params: SittingP,
        produces: ['text/event-stream'],
      },
    },
    async (r, reply) => {
      await inScope(
        ctx.db,
        { tenant: r.params.code, actor: r.actor.kind === 'person' ? r.actor.personId : undefined },
        (t) => visibleSitting(t, r.actor, r.params.code, r.params.sittingId),
      );
      const stream = openSse(r, reply, { heartbeatMs: 25_000 });
      try {
        await liveHub(ctx).attach(r.params.code, r.params.sittingId, stream);
      } catch (err) {
        r.log.error({ err }, 'live view could not start');
        stream.close();
      }
    },
  );

  // ---------- minutes
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/minutes',
    {
      schema: {
        summary: 'Minutes: version, SHA-256 of the PDF, sign-offs (approved minutes are public)',
        params: SittingP,
        response: { 200: S.MinutesStatusSchema },
      },
    },
    (r) => getMinutesStatus(ctx, r.actor, r.params.code, r.params.sittingId),
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/minutes',
    {
      schema: {
        security: SESSION,
        summary: 'Generate the minutes of a closed sitting (chair, secretary), again until signed; audited',
        params: SittingP,
        response: { 200: S.MinutesStatusSchema },
      },
    },
    (r) => generateMinutes(ctx, r.actor, r.params.code, r.params.sittingId),
  );
  app.post(
    '/municipalities/:code/council/sittings/:sittingId/minutes/sign',
    {
      schema: {
        security: SESSION,
        summary: 'Sign off the minutes as chair or secretary (names the SHA-256 read); audited',
        params: SittingP,
        body: S.SignInput,
        response: { 200: S.MinutesStatusSchema },
      },
    },
    (r) => signMinutes(ctx, r.actor, r.params.code, r.params.sittingId, r.body),
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/minutes.pdf',
    { schema: { summary: 'The minutes as PDF/A', params: SittingP, produces: ['application/pdf'] } },
    async (r, reply) => {
      const f = await readMinutesPdf(ctx, r.actor, r.params.code, r.params.sittingId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${f.filename}"`)
        .header('x-content-sha256', f.sha256)
        .header('cache-control', 'no-cache')
        .send(f.content);
    },
  );
  app.get(
    '/municipalities/:code/council/sittings/:sittingId/minutes.html',
    { schema: { summary: 'The minutes as an HTML document', params: SittingP, produces: ['text/html'] } },
    async (r, reply) => {
      const html = await readMinutesHtml(ctx, r.actor, r.params.code, r.params.sittingId);
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string')
        reply.header(
          'content-security-policy',
          csp.replace("style-src 'self'", `style-src 'self' ${MINUTES_STYLE_HASH}`),
        );
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    },
  );

  // ---------- archive and open data
  app.get(
    '/municipalities/:code/council/decisions',
    {
      schema: {
        summary: "Archive of the council's votes and decisions (public)",
        params: Code,
        querystring: CouncilQuery,
        response: { 200: A.DecisionsSchema },
      },
    },
    (r) => listDecisions(ctx, r.actor, r.params.code, r.query),
  );
  app.get(
    '/municipalities/:code/council/voting-records',
    {
      schema: {
        summary: "Members' voting records: open votes with each vote, secret votes only as took part (public)",
        params: Code,
        querystring: Type.Object({ councilId: Type.Optional(Uuid), memberId: Type.Optional(Uuid) }),
        response: {
          200: A.VotingRecordsSchema,
        },
      },
    },
    (r) => votingRecords(ctx, r.actor, r.params.code, r.query),
  );
  app.get(
    '/municipalities/:code/council/open-data/decisions.csv',
    {
      schema: {
        summary: 'Decisions as CSV (open data)',
        params: Code,
        querystring: CouncilQuery,
        produces: ['text/csv'],
      },
    },
    async (r, reply) => {
      const d = await listDecisions(ctx, r.actor, r.params.code, r.query);
      const header = [
        'sitting_number',
        'sitting_date',
        'item',
        'vote_number',
        'kind',
        'question',
        'rule',
        'for',
        'against',
        'abstain',
        'not_voted',
        'recused',
        'absent',
        'outcome',
        'elected',
        'closed_at',
      ];
      const rows = d.decisions.map((x) => [
        x.sittingNumber,
        x.sittingDate,
        x.itemTitle,
        x.voteNumber,
        x.kind,
        x.question,
        x.rule,
        x.for,
        x.against,
        x.abstain,
        x.notVoted,
        x.recused,
        x.absent,
        x.outcome,
        x.elected,
        x.closedAt,
      ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="council-decisions-${r.params.code}.csv"`)
        .send(toCsv(header, rows));
    },
  );
  app.get(
    '/municipalities/:code/council/open-data/decisions.json',
    {
      schema: {
        summary: 'Decisions as JSON (open data)',
        params: Code,
        querystring: CouncilQuery,
        response: { 200: A.DecisionsSchema },
      },
    },
    (r) => listDecisions(ctx, r.actor, r.params.code, r.query),
  );
  app.get(
    '/municipalities/:code/council/open-data/voting-records.csv',
    {
      schema: {
        summary: "Members' voting records as CSV (open data)",
        params: Code,
        querystring: CouncilQuery,
        produces: ['text/csv'],
      },
    },
    async (r, reply) => {
      const d = await votingRecords(ctx, r.actor, r.params.code, r.query);
      const header = [
        'sitting_number',
        'sitting_date',
        'item',
        'vote_number',
        'kind',
        'question',
        'outcome',
        'member_id',
        'member',
        'faction',
        'record',
      ];
      const rows = d.records.map((x) => [
        x.sittingNumber,
        x.sittingDate,
        x.itemTitle,
        x.voteNumber,
        x.kind,
        x.question,
        x.outcome,
        x.memberId,
        x.memberName,
        x.faction,
        x.record,
      ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="council-voting-records-${r.params.code}.csv"`)
        .send(toCsv(header, rows));
    },
  );
  app.get(
    '/municipalities/:code/council/open-data/voting-records.json',
    {
      schema: {
        summary: "Members' voting records as JSON (open data)",
        params: Code,
        querystring: CouncilQuery,
        response: {
          200: A.VotingRecordsSchema,
        },
      },
    },
    (r) => votingRecords(ctx, r.actor, r.params.code, r.query),
  );
}
