/**
 * Demo data for `npm start` (deterministic content from the seed):
 *  1. a published verifiable poll in Tartu with encrypted ballots of synthetic residents, its
 *     tally, partial decryptions and result: its election record verifies with `kov verify`;
 *  2. a verifiable poll in Tartu whose key ceremony is waiting for its trustees, the demo
 *     officials of Tartu (admin, editor, analyst; any 2 of 3 decrypt), to walk through in the browser.
 *
 * The trustees of (1) are simulated here and their seeds are dropped when seeding ends: nobody,
 * the demo server included, can decrypt anything of that vote again.
 */
import type { AppContext } from '../../platform/context';
import type { PersonActor } from '../../platform/auth/actor';
import type { SeedOptions } from '../../platform/module';
import { inScope } from '../../platform/db/database';
import { maskIdCode } from '../../platform/identity/personalIdCode';
import * as bb from '../ballotBox';
import { createElectorate } from '../register';
import { encryptBallot } from './crypto/ballot';
import { decodePoint, type RandomSource } from './crypto/group';
import {
  collectShares,
  commitRound,
  confirmRound,
  dealRound,
  newSeed,
  verifyCommitment,
  type SharesMessage,
} from './crypto/dkg';
import { partialDecrypt } from './crypto/decrypt';
import { paramsOf } from './crypto/record';
import { seededRandom } from './crypto/simulate';
import { publicSlot } from './casting';
import { shapeOf, submitCommitment, submitConfirmation, submitDeal } from './ceremony';
import { computeTally, submitDecryption } from './counting';
import { BALLOT_FORMAT, closeElection, createElection, openElection, startCeremony } from './manageElections';
import { appendBallot, findElection, listTrustees } from './store';
import { verifyForCasting } from './verifyWorker';
import { personIdCodes } from '../../platform/auth/persons';

const TARTU = '0793';

function officialActor(personId: string, role: 'admin' | 'editor' | 'analyst'): PersonActor {
  return {
    kind: 'person',
    personId,
    givenName: 'Demo',
    familyName: role,
    birthDate: '1980-01-01',
    idCodeMasked: maskIdCode('38001010000'),
    roles: [{ municipalityCode: TARTU, role }],
    acr: 'high',
  };
}

/**
 * The three rounds of the key ceremony done for trustees in this process (demo data and
 * benchmarks only: real trustees do this in their own browsers). Returns their key shares.
 */
export async function simulateTrusteesCeremony(
  ctx: AppContext,
  code: string,
  id: string,
  trusteeActors: PersonActor[],
  rng: RandomSource,
): Promise<bigint[]> {
  const seeds = trusteeActors.map(() => newSeed(rng));
  const e0 = (await inScope(ctx.db, { tenant: code }, (trx) => findElection(trx, code, id)))!;
  const shape = shapeOf(e0, trusteeActors);
  for (const [i, a] of trusteeActors.entries())
    await submitCommitment(ctx, a, code, id, commitRound(shape, i + 1, seeds[i]!, rng) as never);
  const trustees = await inScope(ctx.db, { tenant: code }, (trx) => listTrustees(trx, code, id));
  const decoded = trustees.map((t) => verifyCommitment(shape, t.commitment, `trustee ${t.idx}`));
  for (const [i, a] of trusteeActors.entries())
    await submitDeal(ctx, a, code, id, dealRound(shape, i + 1, seeds[i]!, decoded, rng) as never);
  const deals = (await inScope(ctx.db, { tenant: code }, (trx) => listTrustees(trx, code, id))).map(
    (t) => t.deal as SharesMessage,
  );
  const shares = seeds.map((s, i) => collectShares(shape, i + 1, s, decoded, deals).share!);
  for (const [i, a] of trusteeActors.entries())
    await submitConfirmation(ctx, a, code, id, {
      publicShare: confirmRound(id, i + 1, shares[i]!, deals, rng),
    } as never);
  return shares;
}

export async function seedVerifiableDemo(ctx: AppContext, opts: SeedOptions) {
  const o = opts.officials[TARTU];
  if (!o?.admin || !o.editor || !o.analyst) {
    opts.log('verifiable: no demo officials in Tartu; skipped');
    return;
  }
  const admin = officialActor(o.admin, 'admin');
  const rng = seededRandom(`kov-verifiable-demo/${opts.seed}`);
  const officials = [o.admin, o.editor, o.analyst];
  // The officials hold roles in Tartu: their rows and codes are readable in its scope (row-level
  // security on person, kov_person_codes).
  const [names, codes] = await inScope(ctx.db, { tenant: TARTU }, async (trx) => [
    await trx.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', 'in', officials).execute(),
    await personIdCodes(trx, officials),
  ]);
  const trusteeOf = (id: string) => {
    const p = names.find((x) => x.id === id)!;
    return { idCode: codes.get(id)!, name: `${p.given_name ?? ''} ${p.family_name ?? ''}`.trim() || 'Demo official' };
  };
  const today = new Date().toISOString().slice(0, 10);
  const electorate = await createElectorate(ctx, admin, TARTU, {
    name: 'Tartu linna elanikud 16+ (kontrollitav hääletus)',
    scope: 'municipality',
    minAge: 16,
    maxAge: null,
    referenceDate: today,
    residenceAt: 'voting-time',
    mode: 'live',
  });
  const questions = [
    {
      title: 'Milline projekt peaks Tartus järgmisena valmima?',
      minSelections: 1,
      maxSelections: 2,
      choices: [
        { label: 'Emajõe kergliiklussild' },
        { label: 'Annelinna rannapark' },
        { label: 'Supilinna kogukonnaaed' },
        { label: 'Tähtvere mänguväljak' },
      ],
    },
  ];
  const now = Date.now();

  // 1. A published vote: simulated trustees (the three demo officials' roles), 24 voters.
  const published = await createElection(ctx, admin, TARTU, {
    kind: 'budget',
    title: 'Näidis: kaasava eelarve eelhääletus (kontrollitav, lõppenud)',
    questions,
    trustees: [trusteeOf(o.admin), trusteeOf(o.editor), trusteeOf(o.analyst)],
    threshold: 2,
    electorateId: electorate.id,
    opensAt: new Date(now - 3 * 86_400_000).toISOString(),
    closesAt: new Date(now + 3_600_000).toISOString(),
  });
  const id = published.id;
  await startCeremony(ctx, admin, TARTU, id);
  const trusteeActors = [
    officialActor(o.admin, 'admin'),
    officialActor(o.editor, 'editor'),
    officialActor(o.analyst, 'analyst'),
  ];
  const shares = await simulateTrusteesCeremony(ctx, TARTU, id, trusteeActors, rng);
  await openElection(ctx, admin, TARTU, id);
  const e = (await inScope(ctx.db, { tenant: TARTU }, (trx) => findElection(trx, TARTU, id)))!;
  const params = paramsOf(e.definition!, e.public_key!);
  const voters = opts.population.filter((p) => p.residence.municipalityCode === TARTU).slice(0, 24);
  let cast = 0;
  for (const [i, v] of voters.entries()) {
    const choice = [[i % 4, ...(i % 3 === 0 ? [(i + 1) % 4] : [])]];
    const slot = publicSlot(ctx.config.secrets.pseudonymKey, e.box_id, v.personId);
    const enc = encryptBallot(params, slot, choice, rng);
    const checked = verifyForCasting(params, slot, enc.ballot);
    // Demo residents may lack register data: the seed casts straight into the ballot box (no eligibility check).
    await inScope(ctx.db, { tenant: TARTU, actor: v.personId }, async (trx) => {
      const r = await bb.castBallot(ctx, trx, {
        municipalityCode: TARTU,
        boxId: e.box_id,
        personId: v.personId,
        settlementCode: v.residence.settlementCode,
        ballot: { format: BALLOT_FORMAT, content: { tracker: checked.tracker }, opaque: true },
      });
      await appendBallot(trx, {
        municipalityCode: TARTU,
        electionId: id,
        slot,
        tracker: checked.tracker,
        receipt: r.receipt,
        ballot: enc.ballot,
        form: checked.form,
      });
    });
    cast++;
  }
  // Time passes: the vote closed an hour ago.
  const closed = new Date(now - 3_600_000);
  await inScope(ctx.db, { tenant: TARTU }, async (trx) => {
    await trx
      .updateTable('vv_election')
      .set({ closes_at: closed })
      .where('municipality_code', '=', TARTU)
      .where('id', '=', id)
      .execute();
    await bb.setClosingTime(trx, { municipalityCode: TARTU, boxId: e.box_id, closesAt: closed });
  });
  await closeElection(ctx, admin, TARTU, id);
  await computeTally(ctx, admin, TARTU, id);
  const tallied = (await inScope(ctx.db, { tenant: TARTU }, (trx) => findElection(trx, TARTU, id)))!;
  const alphas = tallied.tally!.questions.map((q) =>
    q.choices.map((c) => decodePoint(c.alpha, 'alpha', { allowIdentity: true })),
  );
  for (const j of [1, 3])
    await submitDecryption(
      ctx,
      trusteeActors[j - 1]!,
      TARTU,
      id,
      partialDecrypt(id, j, shares[j - 1]!, alphas, rng) as never,
    );
  opts.log(`verifiable: a published verifiable vote with ${cast} encrypted ballots (decrypted by trustees 1 and 3)`);

  // 2. A vote waiting for its trustees' key ceremony (to try in the browser).
  const pending = await createElection(ctx, admin, TARTU, {
    kind: 'poll',
    title: 'Näidis: kas Raekoja platsile tuleb talvine uisuväli? (kontrollitav)',
    questions: [
      {
        title: 'Kas Raekoja platsile tuleb talvine uisuväli?',
        minSelections: 1,
        maxSelections: 1,
        choices: [{ label: 'Jah' }, { label: 'Ei' }],
      },
    ],
    trustees: [trusteeOf(o.admin), trusteeOf(o.editor), trusteeOf(o.analyst)],
    threshold: 2,
    electorateId: electorate.id,
    opensAt: new Date(now).toISOString(),
    closesAt: new Date(now + 14 * 86_400_000).toISOString(),
  });
  await startCeremony(ctx, admin, TARTU, pending.id);
  opts.log('verifiable: a verifiable poll waiting for its trustees (Tartu demo officials) to run the key ceremony');
}
