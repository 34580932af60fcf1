import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { notFound } from '../../platform/http/problems';
import { homeMunicipality, requireOfficial } from './policy';
import { ELVL, articleBySlug, helpedOf } from './store';

async function publishedArticle(trx: Parameters<typeof articleBySlug>[0], slug: string) {
  const a = await articleBySlug(trx, slug);
  if (!a || a.status !== 'published') throw notFound(`Article ${slug}`);
  return a;
}

/** Officials comment on articles (the public sees no comments). */
export async function commentOnArticle(ctx: AppContext, actor: Actor, slug: string, body: string) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const a = await publishedArticle(trx, slug);
    const row = await trx
      .insertInto('hub_comment')
      .values({
        municipality_code: ELVL,
        article_id: a.id,
        author_id: official.personId,
        author_municipality: homeMunicipality(official),
        body: body.trim(),
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: 'hub.comment.added',
      subject: `article:${a.id}`,
      details: { comment: row.id },
    });
    return { id: row.id, createdAt: row.created_at.toISOString() };
  });
}

/** "This helped": one mark per official and article; marking twice changes nothing. */
export async function markHelped(ctx: AppContext, actor: Actor, slug: string, helped: boolean) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const a = await publishedArticle(trx, slug);
    if (helped) {
      await trx
        .insertInto('hub_helped')
        .values({ municipality_code: ELVL, article_id: a.id, person_id: official.personId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else {
      await trx
        .deleteFrom('hub_helped')
        .where('municipality_code', '=', ELVL)
        .where('article_id', '=', a.id)
        .where('person_id', '=', official.personId)
        .execute();
    }
    return helpedOf(trx, a.id, official.personId);
  });
}
