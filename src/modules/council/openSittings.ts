import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';

/**
 * Public sittings that are live now or start within the next two weeks (home page and "Minu
 * vald": what is open now). Drafts and cancelled sittings are not listed; RLS scopes the read to
 * the municipality.
 */
export async function liveAndComingSittings(ctx: AppContext, code: string) {
  const now = ctx.now();
  const until = new Date(now.getTime() + 14 * 24 * 3600_000);
  const rows = await inScope(ctx.db, { tenant: code }, (trx) =>
    trx
      .selectFrom('council_sitting')
      .select(['id', 'number', 'title', 'starts_at', 'status', 'format'])
      .where('municipality_code', '=', code)
      .where('published_at', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'open'),
          eb.and([eb('status', '=', 'published'), eb('starts_at', '>=', now), eb('starts_at', '<=', until)]),
        ]),
      )
      .orderBy('starts_at')
      .limit(20)
      .execute(),
  );
  return rows.map((s) => ({
    id: s.id,
    number: s.number,
    title: s.title,
    startsAt: new Date(s.starts_at).toISOString(),
    live: s.status === 'open',
    format: s.format,
  }));
}
