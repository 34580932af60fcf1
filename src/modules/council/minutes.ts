import { tellMinutesAvailable } from './convocation';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, conflict, forbidden, notFound } from '../../platform/http/problems';
import { readFile, storeFile } from '../../platform/files/files';
import { loadSitting, personName, requireOperator, requireStatus, standing, visibleSitting } from './access';
import { isCouncilManager, isInsider } from './policy';

import { buildMinutes } from './minutesModel';
import { renderMinutesPdf } from './minutesPdf';
import { renderMinutesHtml } from './minutesHtml';
import { CP } from './problems';

async function minutesRow(trx: Trx, code: string, sittingId: string) {
  return trx
    .selectFrom('council_minutes')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .executeTakeFirst();
}

async function status(trx: Trx, code: string, sittingId: string) {
  const r = await minutesRow(trx, code, sittingId);
  if (!r) return null;
  // A signatory's name, as the municipality's scope shows it (row-level security on person: a
  // signatory is named by the minutes, migration 0910); never an error if the row is not visible.
  const name = async (id: string | null) => {
    if (!id) return null;
    const p = await trx
      .selectFrom('person')
      .select(['given_name', 'family_name'])
      .where('id', '=', id)
      .executeTakeFirst();
    return p ? personName(p) : '—';
  };
  return {
    version: r.version,
    sha256: r.sha256,
    generatedAt: new Date(r.generated_at).toISOString(),
    chair: r.chair_signed_at
      ? { name: await name(r.chair_signed_by), at: new Date(r.chair_signed_at).toISOString() }
      : null,
    secretary: r.secretary_signed_at
      ? { name: await name(r.secretary_signed_by), at: new Date(r.secretary_signed_at).toISOString() }
      : null,
    approved: Boolean(r.chair_signed_at && r.secretary_signed_at),
  };
}

/** Draft minutes are for the council, its managers and the sitting's operators; approved ones are public. */
async function mayRead(trx: Trx, actor: Actor, code: string, sittingId: string, approved: boolean) {
  if (approved) return true;
  if (isCouncilManager(actor, code)) return true;
  if (actor.kind !== 'person') return false;
  return isInsider(actor, code, await standing(trx, actor, await loadSitting(trx, code, sittingId)));
}

/**
 * The chair or secretary generates the minutes of a closed sitting (again, until someone has
 * signed them). The PDF is stored with its SHA-256; sign-offs refer to that hash.
 */
export async function generateMinutes(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const op = await requireOperator(trx, actor, s);
    requireStatus(s, ['closed'], 'write the minutes');
    const existing = await minutesRow(trx, code, sittingId);
    if (existing && (existing.chair_signed_at || existing.secretary_signed_at))
      throw new Problem(CP.minutesSigned, 'The minutes have been signed; they cannot be generated again');
    const generatedAt = new Date();
    const model = await buildMinutes(trx, code, sittingId);
    const pdf = await renderMinutesPdf(model, generatedAt);
    const file = await storeFile(t, {
      municipalityCode: code,
      filename: `protokoll-${s.number}.pdf`,
      mediaType: 'application/pdf',
      content: pdf,
      purpose: 'council.minutes',
      uploadedBy: op.person.personId,
    });
    const version = (existing?.version ?? 0) + 1;
    await trx
      .insertInto('council_minutes')
      .values({
        municipality_code: code,
        sitting_id: sittingId,
        version,
        pdf_file_id: file.id,
        sha256: file.sha256,
        generated_by: op.person.personId,
        generated_at: generatedAt,
        chair_signed_by: null,
        chair_signed_at: null,
        secretary_signed_by: null,
        secretary_signed_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['municipality_code', 'sitting_id']).doUpdateSet({
          version,
          pdf_file_id: file.id,
          sha256: file.sha256,
          generated_by: op.person.personId,
          generated_at: generatedAt,
        }),
      )
      .execute();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: op.person.personId,
      action: 'council.minutes-generated',
      subject: `sitting:${sittingId}`,
      details: { version, sha256: file.sha256 },
    });
    return (await status(trx, code, sittingId))!;
  });
}

/** The presiding chair and the secretary each sign off the version they have read (by its hash). */
export async function signMinutes(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  input: { as: 'chair' | 'secretary'; sha256: string },
) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const op = await requireOperator(trx, actor, s);
    const mayAs = input.as === 'chair' ? op.as === 'chair' : s.secretary_id === op.person.personId;
    if (!mayAs)
      throw forbidden(
        input.as === 'chair'
          ? 'Only the member who presided the sitting signs as its chair'
          : 'Only the secretary of the sitting signs as secretary',
      );
    const r = await trx
      .selectFrom('council_minutes')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .forUpdate()
      .executeTakeFirst();
    if (!r) throw notFound('Minutes of this sitting');
    if (r.sha256 !== input.sha256)
      throw conflict('The minutes have changed since you opened them; read the current version and sign that', {
        sha256: r.sha256,
      });
    const already = input.as === 'chair' ? r.chair_signed_at : r.secretary_signed_at;
    if (!already) {
      await trx
        .updateTable('council_minutes')
        .set(
          input.as === 'chair'
            ? { chair_signed_by: op.person.personId, chair_signed_at: new Date() }
            : { secretary_signed_by: op.person.personId, secretary_signed_at: new Date() },
        )
        .where('municipality_code', '=', code)
        .where('sitting_id', '=', sittingId)
        .execute();
      await appendAudit(t, {
        municipalityCode: code,
        actorId: op.person.personId,
        action: 'council.minutes-signed',
        subject: `sitting:${sittingId}`,
        details: { as: input.as, sha256: input.sha256, version: r.version },
      });
    }
    const st = (await status(trx, code, sittingId))!;
    if (!already && st.approved) await tellMinutesAvailable(ctx, trx, s);
    return st;
  });
}

export async function getMinutesStatus(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    await visibleSitting(trx, actor, code, sittingId);
    const st = await status(trx, code, sittingId);
    if (!st || !(await mayRead(trx, actor, code, sittingId, st.approved))) throw notFound('Minutes of this sitting');
    return st;
  });
}

export async function readMinutesPdf(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await visibleSitting(trx, actor, code, sittingId);
    const r = await minutesRow(trx, code, sittingId);
    if (!r || !(await mayRead(trx, actor, code, sittingId, Boolean(r.chair_signed_at && r.secretary_signed_at))))
      throw notFound('Minutes of this sitting');
    const file = await readFile(t, code, r.pdf_file_id);
    if (!file) throw notFound('Minutes of this sitting');
    return { content: file.content, filename: `protokoll-${s.number}.pdf`, sha256: r.sha256 };
  });
}

export async function readMinutesHtml(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    await visibleSitting(trx, actor, code, sittingId);
    const r = await minutesRow(trx, code, sittingId);
    if (!r || !(await mayRead(trx, actor, code, sittingId, Boolean(r.chair_signed_at && r.secretary_signed_at))))
      throw notFound('Minutes of this sitting');
    const st = (await status(trx, code, sittingId))!;
    const model = await buildMinutes(trx, code, sittingId);
    return renderMinutesHtml(model, {
      chair: st.chair?.name ?? null,
      chairAt: st.chair?.at ?? null,
      secretary: st.secretary?.name ?? null,
      secretaryAt: st.secretary?.at ?? null,
      sha256: r.sha256,
    });
  });
}
