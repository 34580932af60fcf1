import type { AppContext } from '../context';
import type { KovModule, SeedOptions } from '../module';
import { inScope } from '../db/database';
import { ELVL_TENANT } from '../places/ehak';
import { appendAudit } from '../audit/audit';
import { DEMO_MUNICIPALITIES, generatePopulation, type SyntheticPerson } from './population';
import { upsertPersons } from '../auth/persons';

export interface DemoSeedOptions {
  residents: number;
  seed: number;
  log: (line: string) => void;
  /** Seed even if persons exist already. */
  force?: boolean;
}

/** How the demo residents are spread: roughly Tallinn : Tartu : Elva as in life, but small. */
export function demoSpread(total: number): Record<string, number> {
  const tallinn = Math.round(total * 0.55);
  const tartu = Math.round(total * 0.3);
  return {
    [DEMO_MUNICIPALITIES[0]]: tallinn,
    [DEMO_MUNICIPALITIES[1]]: tartu,
    [DEMO_MUNICIPALITIES[2]]: total - tallinn - tartu,
  };
}

/**
 * Seeds the synthetic population, the demo officials and every module's demo data. Runs on an
 * empty database (or with `force`); returns false if there was already data.
 */
export async function seedDemo(ctx: AppContext, modules: KovModule[], opts: DemoSeedOptions): Promise<boolean> {
  // Platform-wide: row-level security shows persons to no narrower scope (migration 0901).
  const existing = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  if (Number(existing.n) > 0 && !opts.force) return false;

  const people = [...generatePopulation({ seed: opts.seed, residents: demoSpread(opts.residents) })];
  opts.log(`seeding ${people.length} synthetic residents`);
  const population: SeedOptions['population'] = [];
  for (let i = 0; i < people.length; i += 2000) {
    const batch = people.slice(i, i + 2000);
    const ids = await upsertPersons(ctx.db, batch);
    batch.forEach((p, j) => population.push({ ...p, personId: ids[j]! }));
    opts.log(`  ${Math.min(i + 2000, people.length)} / ${people.length}`);
  }

  // Officials: adults of each demo municipality, chosen deterministically (first in generation order).
  const officials: SeedOptions['officials'] = {};
  const adults = (code: string) =>
    population.filter((p) => p.residence.municipalityCode === code && Number(p.birthDate.slice(0, 4)) < 1995);
  const grant = async (
    municipalityCode: string,
    person: SyntheticPerson & { personId: string },
    role: 'admin' | 'editor' | 'analyst',
  ) => {
    await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
      await trx
        .insertInto('role_grant')
        .values({ municipality_code: municipalityCode, person_id: person.personId, role, granted_by: null })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await appendAudit(trx, {
        municipalityCode,
        actorId: null,
        action: 'role.granted',
        subject: `person:${person.personId}`,
        details: { role, by: 'demo seed' },
      });
    });
    (officials[municipalityCode] ??= {})[role] = person.personId;
  };
  for (const code of DEMO_MUNICIPALITIES) {
    const [a, e, an] = adults(code);
    if (a) await grant(code, a, 'admin');
    if (e) await grant(code, e, 'editor');
    if (an) await grant(code, an, 'analyst');
  }
  const elvlAdmin = adults(DEMO_MUNICIPALITIES[0])[3];
  if (elvlAdmin) await grant(ELVL_TENANT, elvlAdmin, 'admin');

  for (const m of modules) {
    if (!m.seedDemo) continue;
    opts.log(`seeding demo data of ${m.name}`);
    await m.seedDemo(ctx, { seed: opts.seed, log: opts.log, population, officials });
  }
  return true;
}
