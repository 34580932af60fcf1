import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import type { PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { inScope } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { prng } from '../../platform/demo/population';
import { adoptTemplate, createService, updateService } from './editService';
import { assessService } from './assessment';
import { updateGeneralData } from './generalData';
import { nationalTemplates } from './templates';
import { refreshAllMonths } from './satisfaction';
import { STANDARD_PRINCIPLES, type ChannelType } from './reference';
import type { ServiceData } from './schemas';

/**
 * Demo data: ELVL's ~40 national templates; five pilot municipalities (Tallinn, Tartu, Elva,
 * Pärnu, Saaremaa) that adopted and adapted many of them and added services of their own; their
 * general data; self-assessments; a year of satisfaction answers; surveys waiting for a few
 * residents. Deterministic for a seed.
 */
const PILOT: {
  code: string;
  name: string;
  share: number;
  site: string;
  street: string;
  phone: string;
  tone: number;
}[] = [
  {
    code: '0784',
    name: 'Tallinn',
    share: 0.75,
    site: 'https://www.tallinn.ee',
    street: 'Vabaduse väljak 7, 15199 Tallinn',
    phone: '+372 640 4200',
    tone: 0.1,
  },
  {
    code: '0793',
    name: 'Tartu',
    share: 0.9,
    site: 'https://www.tartu.ee',
    street: 'Raekoja plats 1a, 50089 Tartu',
    phone: '+372 736 1111',
    tone: 0.35,
  },
  {
    code: '0171',
    name: 'Elva',
    share: 0.65,
    site: 'https://www.elva.ee',
    street: 'Kesk 32, 61507 Elva',
    phone: '+372 730 9880',
    tone: 0.25,
  },
  {
    code: '0624',
    name: 'Pärnu',
    share: 0.5,
    site: 'https://www.parnu.ee',
    street: 'Suur-Sepa 16, 80098 Pärnu',
    phone: '+372 444 8200',
    tone: -0.1,
  },
  {
    code: '0714',
    name: 'Saaremaa',
    share: 0.4,
    site: 'https://www.saaremaavald.ee',
    street: 'Tallinna 10, 93819 Kuressaare',
    phone: '+372 452 5000',
    tone: 0.0,
  },
];

const actorFor = (personId: string, municipalityCode: string, role: Role): PersonActor => ({
  kind: 'person',
  personId,
  givenName: 'Demo',
  familyName: 'Seed',
  birthDate: '1970-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode, role }],
  acr: 'high',
});

function localise(d: ServiceData, p: (typeof PILOT)[number], government: string): ServiceData {
  const email = `info@${new URL(p.site).hostname.replace(/^www\./, '')}`;
  return {
    ...d,
    competentAuthority: government,
    channels: d.channels.map((c) => ({
      ...c,
      address:
        c.type === 'e-service'
          ? `${p.site}/iseteenindus`
          : c.type === 'homepage'
            ? p.site
            : c.type === 'email'
              ? email
              : c.type === 'telephone'
                ? p.phone
                : c.type === 'service-desk'
                  ? p.street
                  : c.address,
      metrics: [2024, 2025].map((year, i) => ({
        year,
        timesProvided: 40 + ((d.name.et.length * 37 + year + i) % 900),
        adminCostCents: 500 + ((d.name.et.length * 113) % 4000),
        clientTimeHours: c.type === 'service-desk' ? 1.5 : 0.5,
      })),
    })),
    owner: { name: `${p.name} teenuste meeskond`, email },
  };
}

export async function seedServices(ctx: AppContext, opts: SeedOptions) {
  const rand = prng(opts.seed * 31 + 8);
  const elvlAdminId = opts.officials[ELVL_TENANT]?.admin;
  if (!elvlAdminId) {
    opts.log('  services: no ELVL admin in the demo seed; skipped');
    return;
  }
  const elvl = actorFor(elvlAdminId, ELVL_TENANT, 'admin');
  // 1. National templates.
  const templates: { id: string; identifier: string; data: ServiceData; version: number }[] = [];
  for (const t of nationalTemplates()) {
    const s = await createService(ctx, elvl, ELVL_TENANT, {
      identifier: t.identifier,
      data: t.data,
      status: 'active',
      changeNote: 'ELVL template',
    });
    templates.push({ id: s.id, identifier: s.identifier, data: s.data, version: s.version });
  }
  opts.log(`  services: ${templates.length} national templates`);

  const tenants = await ctx.db
    .selectFrom('tenant')
    .select(['code', 'name'])
    .where(
      'code',
      'in',
      PILOT.map((p) => p.code),
    )
    .execute();
  const tenantName = new Map(tenants.map((t) => [t.code, t.name]));
  const activeByMunicipality = new Map<string, { id: string; channels: ChannelType[]; quality: number }[]>();

  for (const p of PILOT) {
    const name = tenantName.get(p.code);
    if (!name) continue;
    // Pilot municipalities without demo officials are seeded by the ELVL admin (a platform admin).
    const editor = opts.officials[p.code]?.editor
      ? actorFor(opts.officials[p.code]!.editor!, p.code, 'editor')
      : actorFor(elvlAdminId, ELVL_TENANT, 'admin');
    const government = name.replace(/ linn$/, ' linnavalitsus').replace(/ vald$/, ' vallavalitsus');
    const active: { id: string; channels: ChannelType[]; quality: number }[] = [];
    const chosen = templates.filter(() => rand() < p.share);
    for (const [i, t] of chosen.entries()) {
      const adopted = await adoptTemplate(ctx, editor, p.code, t.id);
      let data = localise(adopted.data, p, government);
      // Some municipalities adapt content too: divergence from the national model.
      if (i % 7 === 3)
        data = {
          ...data,
          requirements: [
            ...data.requirements,
            `Taotleja on ${name.replace(/ (linn|vald)$/, '')} elanik vähemalt 6 kuud`,
          ],
        };
      if (i % 11 === 5)
        data = {
          ...data,
          description: { ...data.description, et: `${data.description.et.slice(0, 200)} ${name}s.`.slice(0, 245) },
        };
      const status = i % 13 === 7 ? 'needs-change' : i % 17 === 9 ? 'being-created' : 'active';
      const saved = await updateService(ctx, editor, p.code, adopted.id, {
        data,
        status,
        baseVersion: adopted.version,
        changeNote: 'Kohalikud andmed lisatud',
      });
      if (status !== 'being-created')
        active.push({
          id: saved.id,
          channels: data.channels.map((c) => c.type as ChannelType),
          quality: p.tone + (rand() - 0.5) * 0.8,
        });
    }
    // A service of the municipality's own, and one that overlaps with a state service without saying so.
    const own = await createService(ctx, editor, p.code, {
      status: 'active',
      data: {
        name: {
          et: `${name.replace(/ (linn|vald)$/, '')} eakate jõulutoetus`,
          en: `Christmas allowance for older residents of ${name.replace(/ (linn|vald)$/, '')}`,
        },
        description: {
          et: 'Ühekordne toetus eakatele detsembris.',
          en: 'A one-off allowance for older residents in December.',
        },
        targetGroups: ['elderly'],
        field: 'elderly-care',
        serviceType: 'benefit',
        competentAuthority: government,
        channels: [{ type: 'e-service', address: `${p.site}/iseteenindus` }],
        feeType: 'free',
        costs: [],
        evidence: [],
        outputs: [{ name: 'Jõulutoetus', type: 'financial-benefit' }],
        legalBasis: [
          {
            law: 'Kohaliku omavalitsuse korralduse seadus',
            section: '§ 6 lg 1',
            url: 'https://www.riigiteataja.ee/akt/KOKS',
          },
        ],
        requirements: ['Vanus vähemalt 75 aastat'],
        lifeEvents: [{ code: 'retirement', step: 2 }],
        stateServices: [
          {
            id: 'ska-old-age-pension',
            name: 'Vanaduspension',
            url: 'https://www.sotsiaalkindlustusamet.ee/',
            relation: 'related',
          },
        ],
        owner: { name: `${p.name} sotsiaalosakond` },
      },
    });
    active.push({ id: own.id, channels: ['e-service'], quality: p.tone + 0.4 });
    if (p.code === '0793') {
      const dup = await createService(ctx, editor, p.code, {
        status: 'active',
        data: {
          name: { et: 'Töötuna arvele võtmise nõustamine', en: 'Advice on registering as unemployed' },
          description: {
            et: 'Linna sotsiaaltöötaja aitab töötuna arvele võtmise avaldust täita.',
            en: 'A social worker helps to fill in the application to register as unemployed.',
          },
          targetGroups: ['residents'],
          field: 'social-assistance',
          serviceType: 'counselling',
          channels: [{ type: 'service-desk', address: p.street, openingHours: 'E–R 9–16' }],
          feeType: 'free',
          costs: [],
          evidence: [],
          outputs: [],
          legalBasis: [
            { law: 'Sotsiaalhoolekande seadus', section: '§ 14', url: 'https://www.riigiteataja.ee/akt/SHS' },
          ],
          requirements: [],
          lifeEvents: [{ code: 'losing-a-job', step: 1 }],
          stateServices: [],
          owner: { name: 'Tartu sotsiaalosakond' },
        },
      });
      active.push({ id: dup.id, channels: ['service-desk'], quality: 0.2 });
    }
    activeByMunicipality.set(p.code, active);

    await updateGeneralData(ctx, editor, p.code, {
      officialName: government.charAt(0).toUpperCase() + government.slice(1),
      address: p.street,
      email: `info@${new URL(p.site).hostname.replace(/^www\./, '')}`,
      phone: p.phone,
      website: p.site,
      openingHours: [
        { days: 'Mo-Th', opens: '08:30', closes: '16:30' },
        { days: 'Fr', opens: '08:30', closes: '14:00' },
      ],
      serviceDesks: [{ name: 'Teenindussaal', address: p.street, phone: p.phone }],
    });

    // Self-assessments of the first services.
    for (const [i, s] of active.slice(0, 6).entries()) {
      await assessService(ctx, editor, p.code, s.id, {
        answers: STANDARD_PRINCIPLES.map((pr, j) => {
          const r = (i * 7 + j * 3 + p.code.charCodeAt(3)) % 10;
          const answer = r < 5 ? 'met' : r < 7 ? 'partly' : r < 9 ? 'not-met' : 'not-applicable';
          return {
            principle: pr.code,
            answer,
            ...(answer === 'met' || answer === 'partly'
              ? { evidence: 'Vaata teenuse kirjeldust ja 2025. aasta rahuloluküsitlust.' }
              : {}),
          };
        }),
      });
    }
    opts.log(`  services: ${name}: ${chosen.length} adopted, ${active.length} in use`);
  }

  // ELVL improves one template after the municipalities adopted it: they see it as outdated.
  const birth = templates.find((t) => t.identifier === 'ELVL-003');
  if (birth) {
    await updateService(ctx, elvl, ELVL_TENANT, birth.id, {
      data: {
        ...birth.data,
        requirements: [...birth.data.requirements, 'Toetus makstakse välja 30 päeva jooksul'],
        description: {
          ...birth.data.description,
          et: 'Omavalitsuse ühekordne toetus lapse sünni puhul; makstakse proaktiivselt rahvastikuregistri andmete põhjal.',
        },
      },
      status: 'active',
      baseVersion: birth.version,
      changeNote: 'Proaktiivne väljamakse',
    });
  }

  // 2. A year of satisfaction answers.
  const now = ctx.now().getTime();
  let total = 0;
  const channelsUsed: ChannelType[] = ['e-service', 'service-desk', 'homepage', 'telephone'];
  for (const [code, services] of activeByMunicipality) {
    const rows: {
      service: string;
      channel: string;
      score: number;
      effort: number | null;
      lang: string;
      source: string;
      at: string;
    }[] = [];
    for (const s of services) {
      const n = 20 + Math.floor(rand() * 140);
      for (let i = 0; i < n; i++) {
        const base = 3.7 + s.quality + (rand() - 0.5) * 2.6;
        const score = Math.max(1, Math.min(5, Math.round(base)));
        const channel =
          s.channels.length && rand() < 0.8
            ? s.channels[Math.floor(rand() * s.channels.length)]!
            : channelsUsed[Math.floor(rand() * channelsUsed.length)]!;
        const at = new Date(now - Math.floor(rand() * 365 * 86_400_000)).toISOString();
        const r = rand();
        rows.push({
          service: s.id,
          channel,
          score,
          effort: r < 0.6 ? Math.max(1, Math.min(5, score + (rand() < 0.5 ? 0 : rand() < 0.5 ? -1 : 1))) : null,
          lang: r < 0.75 ? 'et' : r < 0.92 ? 'ru' : 'en',
          source: r < 0.5 ? 'embed' : r < 0.8 ? 'qr' : 'link',
          at,
        });
      }
    }
    await inScope(ctx.db, { tenant: code }, async (trx) => {
      for (let i = 0; i < rows.length; i += 5000) {
        const b = rows.slice(i, i + 5000);
        await sql`
          INSERT INTO survey_answer (municipality_code, service_id, channel, score, effort, lang, source, answered_at)
          SELECT ${code}, * FROM unnest(${b.map((r) => r.service)}::uuid[], ${b.map((r) => r.channel)}::text[], ${b.map((r) => r.score)}::smallint[], ${b.map((r) => r.effort)}::smallint[], ${b.map((r) => r.lang)}::text[], ${b.map((r) => r.source)}::text[], ${b.map((r) => r.at)}::timestamptz[])`.execute(
          trx,
        );
      }
    });
    total += rows.length;
  }
  await refreshAllMonths(ctx);
  opts.log(`  services: ${total} satisfaction answers over the past year`);

  // 3. Surveys waiting for a few residents of Tartu (shown on their "Minu vald").
  const tartu = activeByMunicipality.get('0793') ?? [];
  const residents = opts.population
    .filter((r) => r.residence.municipalityCode === '0793' && Number(r.birthDate.slice(0, 4)) < 2000)
    .slice(0, 5);
  if (tartu.length) {
    await inScope(ctx.db, { tenant: '0793' }, async (trx) => {
      for (const [i, r] of residents.entries()) {
        const s = tartu[i % tartu.length]!;
        await trx
          .insertInto('survey_delivery')
          .values({
            municipality_code: '0793',
            token_hash: Buffer.from(`demo-${opts.seed}-${i}`.padEnd(32, '.')),
            service_id: s.id,
            channel: s.channels[0] ?? 'service-desk',
            person_id: r.personId,
            lang: 'et',
            created_by: 'demo seed',
            expires_at: new Date(now + 14 * 86_400_000),
          })
          .execute();
      }
    });
    opts.log(`  services: surveys waiting for ${residents.length} Tartu residents`);
  }
}
