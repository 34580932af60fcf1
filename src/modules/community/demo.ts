import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import { inScope } from '../../platform/db/database';
import { ELVL } from './store';

/** Deterministic demo events around "now": a public webinar, an officials' workshop, a training group. */
export async function seedCommunityDemo(ctx: AppContext, opts: SeedOptions) {
  const organiser = opts.officials[ELVL]?.admin ?? null;
  const day = (d: number, h: number) => {
    const t = new Date(ctx.now());
    t.setUTCDate(t.getUTCDate() + d);
    t.setUTCHours(h, 0, 0, 0);
    return t;
  };
  await inScope(ctx.db, { tenant: ELVL }, async (trx) => {
    const programme = await trx
      .insertInto('training_programme')
      .values({
        municipality_code: ELVL,
        title: 'KOV teenuste omanike arenguprogramm',
        description: 'Teenuspõhine juhtimine, kasutajakogemus, andmekaitse ja turvalisus.',
        required_sessions: 3,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const group = await trx
      .insertInto('training_group')
      .values({ municipality_code: ELVL, programme_id: programme.id, name: 'Pilootgrupp', region_code: null })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    for (const [code, roles] of Object.entries(opts.officials)) {
      if (code === ELVL || !roles.editor) continue;
      await trx
        .insertInto('training_member')
        .values({
          municipality_code: ELVL,
          group_id: group.id,
          person_id: roles.editor,
          member_municipality: code,
        })
        .execute();
    }
    const events = [
      {
        kind: 'webinar',
        title: 'E-ITS rakendamise veebiseminar',
        description: 'RIA ja ELVL ühine veebiseminar E-ITS põhimeetmetest.',
        starts_at: day(7, 10),
        ends_at: day(7, 11),
        online_url: 'https://teams.example.invalid/e-its',
        location: '',
        capacity: 100,
        visibility: 'public' as const,
        group_id: null,
      },
      {
        kind: 'workshop',
        title: 'IT-juhtimise parimate praktikate töötuba',
        description: 'Kogemuslood: IT-teenuste korraldus omavalitsuses.',
        starts_at: day(14, 9),
        ends_at: day(14, 13),
        location: 'Tallinn, ELVL, Kaarli pst 3',
        online_url: '',
        capacity: 12,
        visibility: 'officials' as const,
        group_id: null,
      },
      {
        kind: 'seminar',
        title: 'Sügisseminar 2026 (kahepäevane)',
        description: 'KOV digivaldkonna kogukonna sügisseminar.',
        starts_at: day(60, 7),
        ends_at: day(61, 14),
        location: 'Tartu',
        online_url: '',
        capacity: 80,
        visibility: 'public' as const,
        group_id: null,
      },
      {
        kind: 'training_meeting',
        title: 'Pilootgrupp: 1. kohtumine',
        description: 'Teenuspõhine juhtimine.',
        starts_at: day(10, 9),
        ends_at: day(10, 15),
        location: 'Paide',
        online_url: '',
        capacity: 25,
        visibility: 'officials' as const,
        group_id: group.id,
      },
    ];
    for (const e of events)
      await trx
        .insertInto('community_event')
        .values({ municipality_code: ELVL, ...e, created_by: organiser })
        .execute();
  });
  opts.log('  community: 4 events, 1 training programme with a pilot group');
}
