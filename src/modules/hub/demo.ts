import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import { inScope } from '../../platform/db/database';
import { RESOURCES_DIR } from '../../platform/places/ehak';
import { prng } from '../../platform/demo/population';
import { ELVL } from './store';
import { type MeasureStatus } from './eitsStore';

import { storeCatalogue } from './importCatalogue';

export const sampleCatalogue = (year: 2023 | 2024): unknown =>
  JSON.parse(readFileSync(path.join(RESOURCES_DIR, `eits/e-its-sample-${year}.json`), 'utf8'));

const ARTICLES = [
  {
    slug: 'e-its-auditi-tellimise-juhend',
    kind: 'guide',
    visibility: 'officials' as const,
    topics: ['security'],
    eits: ['ISMS.1'],
    title: 'E-ITS auditi tellimise juhend omavalitsusele',
    summary: 'Kuidas valmistuda E-ITS auditiks, mida lähteülesandesse kirjutada ja kuidas auditeerijat valida.',
    body: 'E-ITS audit tuleb avalikul asutusel läbi viia iga kahe kuni kolme aasta tagant. Enne auditi tellimist koosta ülevaade infoturbe haldussüsteemi seisust ja turvalisuse eesmärkidest.\n\nLähteülesandes kirjelda auditi ulatus: millised moodulid ja protsessid kuuluvad auditisse, milline on sihttase ning millal ootad auditi aruannet.\n\nAuditeerija valikul küsi varasemaid E-ITS auditeid ja sertifitseeritud audiitorite nimekirja.',
  },
  {
    slug: 'varundamise-standardlahendus',
    kind: 'standard_solution',
    visibility: 'officials' as const,
    topics: ['security', 'it_management'],
    eits: ['CON.3', 'OPS.1.1.2'],
    title: 'Varundamise standardlahendus väikesele omavalitsusele',
    summary: 'Andmevarunduse kontseptsiooni näidis, mis katab CON.3 põhimeetmed.',
    body: 'Varundamise standardlahendus kirjeldab, milliseid andmeid varundatakse, kui tihti ja kus varukoopiaid hoitakse. Lahendus järgib reeglit 3-2-1: kolm koopiat, kahel eri andmekandjal, üks asukohast väljas.\n\nVarukoopiate taastamist proovitakse vähemalt kord kvartalis. Taastetesti tulemus dokumenteeritakse ja lisatakse E-ITS tõendusmaterjalina.',
  },
  {
    slug: 'paroolipoliitika-mall',
    kind: 'template',
    visibility: 'officials' as const,
    topics: ['security'],
    eits: ['ORP.4'],
    title: 'Paroolipoliitika mall',
    summary: 'Kohandatav paroolipoliitika dokument ORP.4 meetmete täitmiseks.',
    body: 'Paroolipoliitika mall sisaldab nõudeid paroolide pikkusele, mitmikautentimisele ja kontode lukustamisele. Kohanda malli oma asutuse infoturbepoliitikaga.\n\nKaugjuurdepääsul kasutatakse alati mitmikautentimist.',
  },
  {
    slug: 'digipoorde-tegevuskava-tutvustus',
    kind: 'article',
    visibility: 'public' as const,
    topics: ['services', 'data'],
    eits: [],
    title: 'Omavalitsuste digipöörde tegevuskava lühidalt',
    summary: 'Mida ELVL digipöörde tegevuskava aastatel 2023–2026 ette näeb.',
    body: 'Digipöörde tegevuskava eesmärk on, et omavalitsuste avalikud teenused oleksid juhitud elaniku vaatest ning omavalitsused liiguksid kasutajakesksuse, andmepõhisuse ja küberturvalisuse suunas.\n\nTegevuskavas on kaheksa algatust, alates rahvaküsitluste digilahendusest kuni digikogukonna tugevdamiseni.',
  },
  {
    slug: 'intsidendist-teatamise-juhend',
    kind: 'guide',
    visibility: 'officials' as const,
    topics: ['security'],
    eits: ['DER.2.1'],
    title: 'Turvaintsidendist teatamise juhend',
    summary: 'Kellele ja kuidas teatada turvaintsidendist; millal teavitada CERT-EE-d.',
    body: 'Turvaintsidendi korral teata kohe oma asutuse infoturbejuhile. Kui intsident mõjutab teenuste kättesaadavust või isikuandmeid, teavita ka CERT-EE-d ja vajadusel Andmekaitse Inspektsiooni.\n\nJuhendi lõpus on intsidendi registreerimise vorm.',
  },
];

const STATUSES: MeasureStatus[] = [
  'implemented',
  'implemented',
  'in_progress',
  'not_started',
  'implemented',
  'in_progress',
];

/** Deterministic demo content: the sample catalogue (two versions), articles, trackers and a mentor. */
export async function seedHubDemo(ctx: AppContext, opts: SeedOptions) {
  const elvlAdmin = opts.officials[ELVL]?.admin ?? null;
  await storeCatalogue(ctx, '2023', sampleCatalogue(2023), elvlAdmin, 'sample (resources/eits)');
  const v = await storeCatalogue(ctx, '2024', sampleCatalogue(2024), elvlAdmin, 'sample (resources/eits)');
  opts.log(
    `  E-ITS sample catalogue 2024: ${v.measures} measures, ${v.diff.changed.length} changed, ${v.diff.added.length} added, ${v.diff.removed.length} removed since 2023`,
  );

  const author = elvlAdmin ?? opts.officials['0793']?.editor ?? null;
  await inScope(ctx.db, { tenant: ELVL }, async (trx) => {
    for (const a of ARTICLES) {
      const row = await trx
        .insertInto('hub_article')
        .values({
          municipality_code: ELVL,
          slug: a.slug,
          kind: a.kind,
          visibility: a.visibility,
          status: 'published',
          topics: a.topics,
          eits_modules: a.eits,
          tags: [],
          title: a.title,
          summary: a.summary,
          body: a.body,
          version: 1,
          author_id: author,
          author_municipality: ELVL,
          published_at: new Date('2025-02-01T09:00:00Z'),
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('hub_article_version')
        .values({
          municipality_code: ELVL,
          article_id: row.id,
          version: 1,
          title: a.title,
          summary: a.summary,
          body: a.body,
          kind: a.kind,
          visibility: a.visibility,
          topics: a.topics,
          eits_modules: a.eits,
          tags: [],
          change_note: 'demo',
          edited_by: author,
        })
        .execute();
    }
  });

  const measures = await ctx.db
    .selectFrom('eits_measure')
    .select(['code'])
    .where('version', '=', '2024')
    .orderBy('module_code')
    .orderBy('ordinal')
    .execute();
  const rand = prng(opts.seed + 10);
  for (const [i, code] of ['0793', '0784', '0171'].entries()) {
    const editor = opts.officials[code]?.editor ?? null;
    await inScope(ctx.db, { tenant: code }, async (trx) => {
      await trx
        .insertInto('eits_tracker')
        .values({ municipality_code: code, target_level: 'standard', updated_by: editor })
        .execute();
      for (const m of measures) {
        if (rand() < 0.25 + i * 0.2) continue;
        const status = STATUSES[Math.floor(rand() * STATUSES.length)]!;
        await trx
          .insertInto('eits_measure_state')
          .values({
            municipality_code: code,
            measure_code: m.code,
            status,
            reason: '',
            responsible_role: 'IT-juht',
            responsible_person: '',
            due_date: status === 'implemented' ? null : `2026-0${1 + Math.floor(rand() * 9)}-15`,
            evidence: '[]',
            notes: '',
            catalogue_version: '2024',
            updated_by: editor,
          })
          .execute();
      }
    });
  }

  const mentor = opts.officials['0793']?.admin;
  if (mentor) {
    await inScope(ctx.db, { tenant: ELVL }, (trx) =>
      trx
        .insertInto('mentor_offer')
        .values({
          municipality_code: ELVL,
          person_id: mentor,
          home_municipality: '0793',
          eits_modules: ['ISMS.1', 'CON.3', 'ORP.4'],
          description: 'Tartu linna infoturbejuht: E-ITS juurutamise kogemus 2021–2024.',
          capacity: 3,
        })
        .execute(),
    );
  }
  const asker = opts.officials['0171']?.editor;
  if (asker) {
    await inScope(ctx.db, { tenant: ELVL }, (trx) =>
      trx
        .insertInto('mentor_request')
        .values({
          municipality_code: ELVL,
          requesting_municipality: '0171',
          requested_by: asker,
          eits_modules: ['CON.3'],
          description: 'Vajame abi varunduse kontseptsiooni koostamisel.',
        })
        .execute(),
    );
  }
}
