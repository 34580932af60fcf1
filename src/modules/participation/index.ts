import { createReadStream, statSync } from 'node:fs';
import type { KovModule, SeedOptions } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import type { PersonActor } from '../../platform/auth/actor';
import { UsageError } from '../../cli/command';
import { participationRoutes } from './routes';
import { TELL_JOB, tellAboutVotes } from './tellPeople';
import { ADVANCE_JOB, advanceDueVotes, advanceVote, createVote, openProposals, scheduleVote } from './manageVotes';
import { importPabulib, type Counting, type PbImportReport } from './pabulibImport';
import { nominateCandidate, reviewCandidate, reviewIdea, submitIdea } from './proposals';
import { inScope } from '../../platform/db/database';
import { declinePlace } from '../../platform/language/placeNames';
import { participationResultsProvider } from './openData';

/** Public API for other modules. */
export { myVotes } from './myVotes';
export { advanceVote } from './manageVotes';

/**
 * Participation: municipal polls and referendums, village elder elections and participatory
 * budgets, each vote on a ballot box of the ballot box module (`../ballotBox`).
 * See docs/participation.md.
 */
export const participationModule: KovModule = {
  name: 'participation',
  description:
    'Municipal polls and referendums, village elder elections and participatory budgets: secret ballots with receipts and re-voting, paper votes, results, Pabulib import and export.',
  api: participationRoutes,
  jobs(ctx) {
    ctx.jobs.define<{ municipalityCode: string; voteId: string }>(ADVANCE_JOB, async (d) => {
      await advanceVote(ctx, d.municipalityCode, d.voteId);
    });
    // The sweep catches anything a delayed job missed (and votes of a database restored from backup).
    ctx.jobs.define('participation.sweep', async () => {
      const n = await advanceDueVotes(ctx);
      if (n) ctx.log.info({ votes: n }, 'participation: phases advanced');
    });
    ctx.jobs.schedule('participation.sweep', '* * * * *');
    // Telling the electorate: a vote opened, a reminder before it closes, results (docs/notifications.md).
    ctx.jobs.define(TELL_JOB, async () => void (await tellAboutVotes(ctx)), { retryLimit: 1 });
    ctx.jobs.schedule(TELL_JOB, '* * * * *');
  },
  seedDemo: seedParticipation,
  openData: [participationResultsProvider],
  commands: [
    {
      name: 'pb import',
      summary: 'Import a past participatory budget from a Pabulib .pb file',
      help: `Usage: kov pb import FILE.pb --municipality CODE [--rule greedy|greedy-stop|equal-shares] [--utility cost|cardinality]

Reads the file as a stream and loads its metadata, projects and every vote (approval, cumulative,
scoring or ordinal) as a closed participatory budget of the municipality; counts the winners by
the file's META rule (or --rule) and compares them with the file's "selected" column. Prints the
import report: errors (nothing imported) and warnings, each with its line number.
  --municipality CODE   EHAK code of the municipality (e.g. 0793 for Tartu)
  --rule RULE           greedy (with skipping, as Pabulib), greedy-stop (funding stops at the first
                        project that does not fit, e.g. Poznań) or equal-shares; default: the file's
  --utility U           equal shares: cost (default) or cardinality utilities`,
      options: {
        municipality: { type: 'string' },
        rule: { type: 'string' },
        greedy: { type: 'string' },
        utility: { type: 'string' },
      },
      async run(io) {
        const file = io.positionals[0];
        const m = io.values.municipality;
        if (!file) throw new UsageError('name the .pb file');
        if (typeof m !== 'string' || !/^\d{4}$/.test(m))
          throw new UsageError('--municipality CODE (4 digits) is required');
        const counting: Partial<Counting> = {};
        const rule = io.values.rule ?? (io.values.greedy === 'stop' ? 'greedy-stop' : undefined);
        if (rule === 'greedy') Object.assign(counting, { rule: 'greedy', greedy: 'skip' });
        else if (rule === 'greedy-stop') Object.assign(counting, { rule: 'greedy', greedy: 'stop' });
        else if (rule === 'equal-shares') counting.rule = 'equal-shares';
        else if (rule !== undefined) throw new UsageError('--rule must be greedy, greedy-stop or equal-shares');
        const utility = io.values.utility;
        if (utility === 'cost' || utility === 'cardinality') counting.utility = utility;
        else if (utility !== undefined) throw new UsageError('--utility must be cost or cardinality');
        try {
          statSync(file);
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
        }
        const { ctx, close } = await io.openContext();
        try {
          const report: PbImportReport = await importPabulib(ctx, null, m, createReadStream(file), {
            filename: file.split('/').pop()!,
            counting,
          }).catch((err) => {
            if (err?.extras?.report) return err.extras.report;
            throw err;
          });
          for (const i of report.issues) io.out(`line ${i.line}: ${i.severity}: ${i.message}`);
          io.out(
            `${report.imported ? 'imported' : 'NOT imported'}: "${report.title}" — ${report.projects} projects, ${report.votes} votes, ${report.errors} error(s), ${report.warnings} warning(s)`,
          );
          if (report.imported) {
            const how =
              report.counting.rule === 'greedy'
                ? `the greedy rule (${report.counting.greedy === 'skip' ? 'with skipping' : 'without skipping'})`
                : `equal shares (${report.counting.utility} utilities, add-one completion)`;
            if (report.countingNote) io.out(report.countingNote);
            io.out(`vote id ${report.voteId}; winners by ${how}: ${report.winners.join(', ') || '(none)'}`);
            if (report.unsupported.length)
              io.out(`never funded (nobody voted for them): ${report.unsupported.join(', ')}`);
            if (report.matchesFileSelection !== null)
              io.out(
                report.matchesFileSelection
                  ? 'the winners match the file\u2019s selected projects'
                  : `the winners differ from the file:\n  ${report.differences.join('\n  ')}`,
              );
          }
          return report.imported ? 0 : 1;
        } finally {
          await close();
        }
      },
    },
  ],
};

const DAY = 86_400_000;

/** Demo: an open poll (Tartu), a participatory budget in its voting phase (Tartu), a village elder election (Elva). */
async function seedParticipation(ctx: AppContext, opts: SeedOptions) {
  const TARTU = '0793';
  const ELVA = '0171';
  const adminOf = (code: string): PersonActor | null => {
    const id = opts.officials[code]?.admin;
    return id
      ? {
          kind: 'person',
          personId: id,
          givenName: 'Demo',
          familyName: 'Admin',
          birthDate: '1980-01-01',
          idCodeMasked: '',
          roles: [{ municipalityCode: code, role: 'admin' }],
          acr: 'high',
        }
      : null;
  };
  const now = Date.now();
  const at = (d: number) => new Date(now + d * DAY).toISOString();
  const past = (days: number): AppContext => ({ ...ctx, now: () => new Date(now - days * DAY) });
  const tartu = adminOf(TARTU);
  if (tartu) {
    const poll = await createVote(ctx, tartu, TARTU, {
      kind: 'poll',
      title: 'Raekoja platsi autovabaks muutmine',
      description:
        'Tartu linn küsib elanike arvamust: kas Raekoja plats peaks olema aastaringselt autovaba, ja mida platsile juurde tuua.',
      opensAt: at(-1),
      closesAt: at(14),
      electorate: { scope: 'municipality', minAge: 16 },
      questions: [
        { text: 'Kas Raekoja plats peaks olema aastaringselt autovaba?', kind: 'yesno', allowBlank: true },
        {
          text: 'Mida platsile juurde tuua? (kuni kaks)',
          kind: 'multiple',
          choices: ['Rohkem haljastust', 'Pingid ja varjualused', 'Laste mänguala', 'Välikohvikud'],
          minChoices: 1,
          maxChoices: 2,
        },
      ],
    });
    await scheduleVote(ctx, tartu, TARTU, poll.id);
    opts.log(`  open poll "${poll.title}"`);

    const settlements = opts.population
      .filter((p) => p.residence.municipalityCode === TARTU)
      .map((p) => p.residence.settlementCode);
    const budget = await createVote(past(20), tartu, TARTU, {
      kind: 'budget',
      title: 'Kaasav eelarve 2027',
      description: 'Tartu kaasav eelarve: €200 000, iga idee kuni €100 000. Vali kuni kolm ideed.',
      proposalsCloseAt: at(-5),
      opensAt: at(-1),
      closesAt: at(7),
      electorate: { scope: 'municipality', minAge: 14 },
      budget: {
        method: 'approval',
        maxChoices: 3,
        greedy: 'skip',
        districts: [{ name: 'Tartu', budgetCents: 200_000_00, settlementCodes: [] }],
      },
    });
    await openProposals(past(20), tartu, TARTU, budget.id);
    const residents = opts.population.filter((p) => p.residence.municipalityCode === TARTU).slice(0, 8);
    const ideas = [
      ['Annelinna rulapark', 85_000_00],
      ['Emajõe kalda pingid ja valgustus', 40_000_00],
      ['Karlova kogukonnaaed', 25_000_00],
      ['Supilinna mänguväljak', 60_000_00],
      ['Tähtvere pargi discgolfi rada', 30_000_00],
      ['Ülejõe jalgrattaparklad', 20_000_00],
    ] as const;
    for (let i = 0; i < ideas.length; i++) {
      const [title, cost] = ideas[i]!;
      const who = residents[i % residents.length]!;
      const author: PersonActor = {
        kind: 'person',
        personId: who.personId,
        givenName: who.givenName,
        familyName: who.familyName,
        birthDate: who.birthDate,
        idCodeMasked: '',
        roles: [],
        acr: 'high',
      };
      const idea = await submitIdea(past(15), author, TARTU, budget.id, {
        title,
        description: `${title}: elanike ettepanek.`,
        settlementCode: settlements[i % settlements.length] ?? null,
        estimatedCostCents: cost,
      });
      await reviewIdea(past(15), tartu, TARTU, budget.id, idea.id, {
        status: 'feasible',
        finalCostCents: cost,
        districtId: 1,
      });
    }
    await advanceVote(ctx, TARTU, budget.id);
    await scheduleVote(ctx, tartu, TARTU, budget.id);
    opts.log(`  participatory budget "${budget.title}" in its voting phase`);
  }
  const elva = adminOf(ELVA);
  if (elva) {
    // The village with most demo residents of Elva.
    const counts = new Map<string, typeof opts.population>();
    for (const p of opts.population.filter((x) => x.residence.municipalityCode === ELVA))
      counts.set(p.residence.settlementCode, [...(counts.get(p.residence.settlementCode) ?? []), p]);
    const places = await ctx.db
      .selectFrom('place')
      .select(['code', 'kind', 'name'])
      .where('municipality_code', '=', ELVA)
      .execute();
    const villages = [...counts.entries()]
      .filter(([code]) => places.find((p) => p.code === code)?.kind === 'küla')
      .sort((a, b) => b[1].length - a[1].length);
    const [village, people] = villages[0] ?? [];
    if (village && people) {
      const name = places.find((p) => p.code === village)!.name;
      const election = await createVote(past(20), elva, ELVA, {
        kind: 'elder',
        title: `${name} külavanema valimine`,
        description: `${declinePlace(name, 'genitive')} elanikud valivad külavanema. Hääletada saavad vähemalt 16-aastased küla elanikud.`,
        proposalsCloseAt: at(-3),
        opensAt: at(-1),
        closesAt: at(10),
        electorate: { scope: 'settlements', settlementCodes: [village], minAge: 16 },
        elder: { minTurnoutPercent: 10, tieRule: 'lot', candidateMinAge: 18 },
      });
      await openProposals(past(20), elva, ELVA, election.id);
      const adults = people.filter((p) => Number(p.birthDate.slice(0, 4)) < 1990).slice(0, 2);
      for (const a of adults) {
        const self: PersonActor = {
          kind: 'person',
          personId: a.personId,
          givenName: a.givenName,
          familyName: a.familyName,
          birthDate: a.birthDate,
          idCodeMasked: '',
          roles: [],
          acr: 'high',
        };
        const c = await nominateCandidate(past(10), self, ELVA, election.id, {
          statement: 'Soovin, et küla teed oleksid korras ja külaelu elav.',
        }).catch((err) => {
          opts.log(`  (candidate not nominated: ${(err as Error).message})`);
          return null;
        });
        if (c) await reviewCandidate(past(10), elva, ELVA, election.id, c.id, { status: 'approved' });
      }
      await advanceVote(ctx, ELVA, election.id);
      const approved = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
        trx
          .selectFrom('pv_candidate')
          .select('id')
          .where('vote_id', '=', election.id)
          .where('status', '=', 'approved')
          .execute(),
      );
      if (approved.length) {
        await scheduleVote(ctx, elva, ELVA, election.id);
        opts.log(`  village elder election "${election.title}"`);
      }
    }
  }
}
