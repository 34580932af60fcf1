import pg from 'pg';
import { sql } from 'kysely';
import type { BenchScenario } from '../lib';
import { load, percentile } from '../lib';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createSession } from '../../src/platform/auth/sessions';
import { inScope } from '../../src/platform/db/database';
import type { PersonActor } from '../../src/platform/auth/actor';
import { createEvent } from '../../src/modules/community/manageEvents';
import { communityModule } from '../../src/modules/community/index';

// A vocabulary of synthetic words with the domain's words among them, so that a query matches a
// realistic share of the articles (a few per cent), not all of them.
const SYLLABLES = ['ka', 'lu', 'mi', 'ro', 'se', 'tu', 'va', 'ne', 'pi', 'ko', 'ra', 'le', 'mu', 'ti', 'sa', 'no'];
const FILLER = Array.from(
  { length: 3000 },
  (_, i) => SYLLABLES[i % 16]! + SYLLABLES[Math.floor(i / 16) % 16]! + SYLLABLES[Math.floor(i / 256) % 16]! + 'ne',
);
const WORDS = [
  'turvalisus',
  'turvalisuse',
  'andmete',
  'varundamine',
  'juhend',
  'teenuste',
  'omavalitsuse',
  'infosüsteem',
  'koolitus',
  'eelarve',
  'auditi',
  'paroolid',
  'võrgu',
  'kasutajad',
  'juurdepääs',
  'intsident',
  'riskid',
  'hange',
  'leping',
  'arendus',
];

async function official(env: Parameters<BenchScenario['run']>[0], n: number, code: string, role: 'editor' | 'analyst') {
  const personId = await upsertPerson(env.ctx.db, {
    idCode: makeIdCode('female', '1980-02-02', 500 + n),
    givenName: 'Bench',
    familyName: `Official${n}`,
    birthDate: '1980-02-02',
  });
  await inScope(env.ctx.db, { tenant: code }, (trx) =>
    trx
      .insertInto('role_grant')
      .values({ municipality_code: code, person_id: personId, role, granted_by: null })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  const s = await createSession(env.ctx.db, personId, { idleMinutes: 30, absoluteHours: 12 });
  return { personId, cookie: `kov_session=${s.token}`, csrf: s.csrfToken };
}

/** Estonian search in a hub of 5,000 articles: an inflected query, stems as prefixes, trigram on titles. */
export const hubSearchScenario: BenchScenario = {
  name: 'hub-search',
  title: 'GET /api/v1/hub/articles?q=turvalisus over 5,000 articles (official)',
  async run(env) {
    let state = 7;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    // One word in 1,000 is a domain word: "turvalisus" or "turvalisuse" shows up in about 6 % of articles.
    const word = () =>
      rand() < 0.001 ? WORDS[Math.floor(rand() * WORDS.length)]! : FILLER[Math.floor(rand() * FILLER.length)]!;
    const text = (n: number) => Array.from({ length: n }, word).join(' ');
    const n = 5000;
    await inScope(env.ctx.db, { tenant: '0000' }, async (trx) => {
      for (let i = 0; i < n; i += 1000) {
        const rows = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
          slug: `bench-${i + k}`,
          title: `${text(4)} ${i + k}`,
          body: text(300),
        }));
        await sql`INSERT INTO hub_article (slug, kind, visibility, topics, title, summary, body)
          SELECT s, 'guide', 'officials', '{security}', t, '', b FROM unnest(${rows.map((r) => r.slug)}::text[], ${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.body)}::text[]) AS x(s, t, b)`.execute(
          trx,
        );
      }
    });
    const owner = new pg.Client({ connectionString: env.ownerUrl });
    await owner.connect();
    await owner.query('ANALYZE hub_article');
    await owner.end();
    const o = await official(env, 1, '0793', 'analyst');
    const r = await load({
      url: `${env.url}/api/v1/hub/articles?q=turvalisus&limit=20`,
      duration: env.seconds,
      headers: { cookie: o.cookie },
    });
    return {
      metrics: {
        ...r,
        articles: n,
        ratioToInsertBaseline: env.baseline
          ? Math.round((r.requestsPerSecond / env.baseline.insertsPerSecond) * 100) / 100
          : NaN,
      },
      notes: [
        'Each answer ranks every matching article (ts_rank + word_similarity) and builds a headline for the top 20.',
      ],
    };
  },
};

/**
 * A registration rush: 400 officials register for one event of 100 places, 20 at a time, through
 * the HTTP API. Every registration locks the event row, so this measures the serialised path.
 */
export const communityRegistrationScenario: BenchScenario = {
  name: 'community-registration',
  title: 'POST /api/v1/community/events/{id}/registration, 400 officials for 100 places, 20 concurrent',
  async run(env) {
    // The bench server does not run the job queue; registrations enqueue reminders, so start it here.
    communityModule.jobs!(env.ctx);
    await env.ctx.jobs.start();
    const organiser = await official(env, 2, '0000', 'editor');
    const actor: PersonActor = {
      kind: 'person',
      personId: organiser.personId,
      givenName: null,
      familyName: null,
      birthDate: '1980-02-02',
      idCodeMasked: '',
      roles: [{ municipalityCode: '0000', role: 'editor' }],
      acr: 'high',
    };
    const start = new Date(Date.now() + 30 * 86_400_000);
    const { id } = await createEvent(env.ctx, actor, {
      kind: 'seminar',
      title: 'Bench seminar',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      location: 'Tartu',
      capacity: 100,
      visibility: 'officials',
    });
    const people: Awaited<ReturnType<typeof official>>[] = [];
    for (let i = 0; i < 400; i++) people.push(await official(env, 10 + i, i % 2 ? '0793' : '0171', 'analyst'));
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < people.length) {
          const p = people[next++]!;
          const s = performance.now();
          const res = await fetch(`${env.url}/api/v1/community/events/${id}/registration`, {
            method: 'POST',
            headers: { cookie: p.cookie, 'x-csrf-token': p.csrf },
          });
          if (!res.ok) errors += 1;
          await res.arrayBuffer();
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const counts = await inScope(env.ctx.db, { tenant: '0000' }, (trx) =>
      sql<{
        status: string;
        n: number;
      }>`SELECT status, count(*)::int AS n FROM community_registration WHERE event_id = ${id} GROUP BY status`.execute(
        trx,
      ),
    );
    const by = Object.fromEntries(counts.rows.map((r) => [r.status, Number(r.n)]));
    await env.ctx.jobs.stop();
    return {
      metrics: {
        registrationsPerSecond: Math.round(people.length / seconds),
        p50Ms: Math.round(percentile(latencies, 0.5) * 10) / 10,
        p99Ms: Math.round(percentile(latencies, 0.99) * 10) / 10,
        errors,
        registered: by.registered ?? 0,
        waitlisted: by.waitlisted ?? 0,
      },
      notes: ['registered must be exactly 100 and waitlisted 300: the capacity holds under the rush.'],
    };
  },
};
