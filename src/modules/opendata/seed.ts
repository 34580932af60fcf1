import type { AppContext } from '../../platform/context';
import type { PersonActor } from '../../platform/auth/actor';
import type { SeedOptions } from '../../platform/module';
import type { Role } from '../../platform/db/tables';
import { inScope } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { updateCatalogue } from './catalogue';
import { createDataset } from './createDataset';
import { addFileDistribution, addLinkDistribution } from './addDistribution';
import { submitForReview } from './submitForReview';
import { publishDataset } from './publishDataset';
import { updateDataset } from './updateDataset';
import { createInfoSystem } from './infoSystems';

import { toCsv } from './csv';
import { runProviders } from './autoPublish';
import type { DataTheme, DatasetProvider, Frequency } from '../../platform/openData';

/**
 * Demo data (deterministic): catalogue settings of the demo municipalities and ELVL, published
 * datasets with CSV files, one dataset in each other state, an information system inventory with
 * systems missing from RIHA, data governance roles, and a first automatic publication run over
 * what the other modules seeded.
 */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const actorFor = (personId: string, code: string, role: Role): PersonActor => ({
  kind: 'person',
  personId,
  givenName: null,
  familyName: null,
  birthDate: '1970-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode: code, role }],
  acr: 'high',
});

interface DemoDataset {
  shortName: string;
  titleEt: string;
  titleEn: string;
  descriptionEt: string;
  descriptionEn: string;
  keywordsEt: string[];
  keywordsEn: string[];
  themes: DataTheme[];
  frequency: Frequency;
  temporalStart?: string;
  temporalEnd?: string;
  qualityNote?: string;
  file?: { name: string; csv: string };
  link?: { url: string; titleEt: string; titleEn: string; format: string };
  state: 'published' | 'review' | 'draft' | 'planned';
  system?: string;
}

function datasetsFor(code: string, name: string, rand: () => number): DemoDataset[] {
  const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
  const lights = toCsv(
    ['kuu', 'teated', 'parandatud_7_paeva_jooksul'],
    months.map((m) => {
      const n = 20 + Math.floor(rand() * 60);
      return [m, n, Math.floor(n * (0.6 + rand() * 0.35))];
    }),
  );
  const lines = [
    ['Haridus', 'Haridus', 0.38],
    ['Sotsiaalhoolekanne', 'Social welfare', 0.14],
    ['Teed ja tänavad', 'Roads and streets', 0.11],
    ['Kultuur ja sport', 'Culture and sport', 0.09],
    ['Elamu- ja kommunaalmajandus', 'Housing and utilities', 0.08],
    ['Keskkonnakaitse', 'Environment', 0.05],
    ['Üldised valitsussektori teenused', 'General public services', 0.15],
  ] as const;
  const total = code === '0784' ? 1_000_000_000 : code === '0793' ? 300_000_000 : 40_000_000;
  const budget = toCsv(
    ['valdkond', 'field', 'eelarve_eur', 'taitmine_eur'],
    lines.map(([et, en, share]) => {
      const planned = Math.round(total * share);
      return [et, en, planned, Math.round(planned * (0.9 + rand() * 0.12))];
    }),
  );
  const libraries = toCsv(
    ['raamatukogu', 'kulastusi', 'laenutusi'],
    ['Keskraamatukogu', 'Lasteraamatukogu', 'Harukogu 1', 'Harukogu 2'].map((l) => [
      l,
      5000 + Math.floor(rand() * 40000),
      8000 + Math.floor(rand() * 60000),
    ]),
  );
  return [
    {
      shortName: 'eelarve-2024',
      titleEt: `${name}: eelarve täitmine 2024`,
      titleEn: `${name}: budget execution 2024`,
      descriptionEt:
        'Eelarve kulud tegevusalade kaupa: planeeritud summa ja tegelik täitmine eurodes aasta lõpu seisuga.',
      descriptionEn:
        'Budget expenditure by field: the planned amount and the actual execution in euros at the end of the year.',
      keywordsEt: ['eelarve', 'rahandus'],
      keywordsEn: ['budget', 'finance'],
      themes: ['ECON', 'GOVE'],
      frequency: 'ANNUAL',
      temporalStart: '2024-01-01',
      temporalEnd: '2024-12-31',
      qualityNote: 'Summad on ümardatud eurodeni; täitmine on esialgne kuni majandusaasta aruande kinnitamiseni.',
      file: { name: 'eelarve-2024.csv', csv: budget },
      state: 'published',
      system: 'finants',
    },
    {
      shortName: 'tanavavalgustus-2024',
      titleEt: `${name}: tänavavalgustuse rikketeated 2024`,
      titleEn: `${name}: street lighting fault reports 2024`,
      descriptionEt:
        'Tänavavalgustuse rikketeadete arv kuude kaupa ja kui paljud neist parandati seitsme päeva jooksul.',
      descriptionEn:
        'Number of street lighting fault reports by month and how many of them were repaired within seven days.',
      keywordsEt: ['tänavavalgustus', 'taristu'],
      keywordsEn: ['street lighting', 'infrastructure'],
      themes: ['TRAN', 'REGI'],
      frequency: 'MONTHLY',
      temporalStart: '2024-01-01',
      temporalEnd: '2024-12-31',
      file: { name: 'tanavavalgustus-2024.csv', csv: lights },
      state: 'published',
    },
    {
      shortName: 'raamatukogud',
      titleEt: `${name}: raamatukogude külastused`,
      titleEn: `${name}: library visits`,
      descriptionEt: 'Linna- ja vallaraamatukogude külastuste ja laenutuste arv aastas raamatukogude kaupa.',
      descriptionEn: 'Yearly visits and loans of the public libraries, by library.',
      keywordsEt: ['raamatukogu', 'kultuur'],
      keywordsEn: ['library', 'culture'],
      themes: ['EDUC'],
      frequency: 'ANNUAL',
      file: { name: 'raamatukogud-2024.csv', csv: libraries },
      state: 'review',
    },
    {
      shortName: 'uhistransport',
      titleEt: `${name}: ühistranspordi sõiduplaanid`,
      titleEn: `${name}: public transport timetables`,
      descriptionEt: 'Kohaliku ühistranspordi liinid ja sõiduplaanid riiklikus ühistranspordiregistris.',
      descriptionEn: 'Local public transport routes and timetables in the national public transport register.',
      keywordsEt: ['ühistransport'],
      keywordsEn: ['public transport'],
      themes: ['TRAN'],
      frequency: 'WEEKLY',
      link: {
        url: 'https://www.peatus.ee/',
        titleEt: 'Sõiduplaanid (peatus.ee)',
        titleEn: 'Timetables (peatus.ee)',
        format: 'HTML',
      },
      state: 'draft',
    },
    {
      shortName: 'parkimine',
      titleEt: `${name}: avalikud parklad`,
      titleEn: `${name}: public car parks`,
      descriptionEt: '',
      descriptionEn: '',
      keywordsEt: [],
      keywordsEn: [],
      themes: [],
      frequency: 'IRREG',
      state: 'planned',
    },
  ];
}

const SYSTEMS = (ownerCode: string, ownerName: string) =>
  [
    {
      shortName: 'dhs',
      name: 'Dokumendihaldussüsteem',
      purpose: 'Dokumentide registreerimine, menetlemine ja arhiveerimine.',
      dataObjects: ['dokumendid', 'kirjavahetus'],
      personalData: ['personal'] as const,
      vendor: 'Demo Tarkvara OÜ',
      riha: true,
      xroad: 'JOINED' as const,
      standard: 'E-ITS',
      level: 'M' as const,
    },
    {
      shortName: 'finants',
      name: 'Finantsarvestuse infosüsteem',
      purpose: 'Raamatupidamine, eelarve koostamine ja täitmise jälgimine.',
      dataObjects: ['eelarve', 'kulud', 'tulud'],
      personalData: ['personal'] as const,
      vendor: 'Demo Finants AS',
      riha: false,
      xroad: 'NOT_JOINED' as const,
      standard: 'E-ITS',
      level: 'M' as const,
    },
    {
      shortName: 'veeb',
      name: 'Veebileht',
      purpose: 'Teave elanikele.',
      dataObjects: ['uudised', 'teenuste kirjeldused'],
      personalData: ['none'] as const,
      vendor: null,
      riha: false,
      xroad: 'NOT_JOINED' as const,
      standard: null,
      level: null,
    },
  ].map((s) => ({ ...s, ownerCode, ownerName }));

export async function seedOpenData(ctx: AppContext, opts: SeedOptions, providers: DatasetProvider[]): Promise<void> {
  const rand = prng(opts.seed * 31 + 9);
  for (const code of Object.keys(opts.officials)) {
    const o = opts.officials[code]!;
    if (!o.admin) continue;
    const admin = actorFor(o.admin, code, 'admin');
    const name =
      (await ctx.db.selectFrom('tenant').select('name').where('code', '=', code).executeTakeFirst())?.name ?? code;
    const slug = name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, '');
    await updateCatalogue(ctx, admin, code, {
      titleEt: `${name} — avaandmed`,
      titleEn: `${name} — open data`,
      descriptionEt: `${name} avaandmed: eelarve, teenused, kaasamine ja linnaruum.`,
      descriptionEn: `Open data of ${name}: budget, services, participation and public space.`,
      contactName: 'Avaandmete kontakt',
      contactEmail: `avaandmed@${slug || 'kov'}.example`,
      homepage: null,
    });
    if (code === ELVL_TENANT) continue;

    const systems = new Map<string, string>();
    for (const s of SYSTEMS(code === '0784' ? '75014913' : code === '0793' ? '75006546' : '77000410', name)) {
      const created = await createInfoSystem(ctx, admin, code, {
        name: s.name,
        shortName: `${slug}-${s.shortName}`.slice(0, 100),
        ownerCode: s.ownerCode,
        ownerName: s.ownerName,
        purpose: s.purpose,
        dataObjects: [...s.dataObjects],
        personalData: [...s.personalData],
        securityStandard: s.standard,
        securityLevel: s.level,
        systemStatus: 'IN_USE',
        developmentStatus: 'NOT_IN_DEVELOPMENT',
        xRoadStatus: s.xroad,
        vendor: s.vendor,
        rihaRegistered: s.riha,
        contacts: [{ name: 'IT-juht', email: `it@${slug || 'kov'}.example` }],
        documents: [],
        legislations: [],
      });
      systems.set(s.shortName, created.id);
    }

    for (const d of datasetsFor(code, name, rand)) {
      const ds = await createDataset(ctx, admin, code, {
        shortName: d.shortName,
        titleEt: d.titleEt,
        titleEn: d.titleEn,
        descriptionEt: d.descriptionEt,
        descriptionEn: d.descriptionEn,
        keywordsEt: d.keywordsEt,
        keywordsEn: d.keywordsEn,
        themes: d.themes,
        frequency: d.frequency,
        ...(d.temporalStart ? { temporalStart: d.temporalStart } : {}),
        ...(d.temporalEnd ? { temporalEnd: d.temporalEnd } : {}),
        ...(d.qualityNote ? { qualityNote: d.qualityNote } : {}),
        ...(d.system && systems.get(d.system) ? { infoSystemId: systems.get(d.system)! } : {}),
        agreedOn: '2025-02-01',
      });
      if (d.file)
        await addFileDistribution(ctx, admin, code, ds.id, {
          filename: d.file.name,
          content: Buffer.from(d.file.csv, 'utf8'),
        });
      if (d.link) await addLinkDistribution(ctx, admin, code, ds.id, d.link);
      if (d.state === 'review' || d.state === 'published') await submitForReview(ctx, admin, code, ds.id);
      if (d.state === 'published') {
        await publishDataset(ctx, admin, code, ds.id);
        if (d.shortName === 'eelarve-2024') {
          // A second version, so the version history shows.
          await updateDataset(ctx, admin, code, ds.id, {
            changeNote: 'Täpsustatud kirjeldus',
            descriptionEt: `${d.descriptionEt} Andmed pärinevad finantsarvestuse infosüsteemist.`,
          });
          await submitForReview(ctx, admin, code, ds.id);
          await publishDataset(ctx, admin, code, ds.id);
        }
      }
    }

    await inScope(ctx.db, { tenant: code }, async (trx) => {
      await trx
        .insertInto('opendata_governance_role')
        .values({
          municipality_code: code,
          person_id: o.admin!,
          role: 'head_of_data_governance',
          info_system_id: null,
          assigned_by: null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      if (o.editor)
        await trx
          .insertInto('opendata_governance_role')
          .values({
            municipality_code: code,
            person_id: o.editor,
            role: 'data_steward',
            info_system_id: systems.get('dhs') ?? null,
            assigned_by: null,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
    });
  }
  const runs = await runProviders(ctx, providers, {
    trigger: 'seed',
    municipalities: Object.keys(opts.officials),
  });
  const published = runs.reduce((n, r) => n + r.changes.filter((c) => c.change === 'new').length, 0);
  opts.log(`  open data: ${published} automatic datasets published`);
}
