import { makeIdCode, type Sex } from '../identity/personalIdCode';
import { readEhak } from '../places/ehak';

/**
 * A deterministic synthetic population: valid personal ID codes, Estonian (and Russian) names,
 * an age pyramid close to Estonia's, and residences spread over the settlement units of chosen
 * municipalities in realistic proportions. Same seed, same people.
 */
export interface SyntheticPerson {
  idCode: string;
  givenName: string;
  familyName: string;
  sex: Sex;
  birthDate: string;
  residence: {
    municipalityCode: string;
    settlementCode: string;
    address: string;
    since: string;
  };
  /** Earlier residences, oldest first; each ends (`until`, inclusive) the day before the next starts. */
  previous?: { municipalityCode: string; settlementCode: string; address: string; since: string; until: string }[];
}

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickWeighted<T>(rand: () => number, items: readonly T[], weight: (t: T) => number): T {
  let total = 0;
  for (const i of items) total += weight(i);
  let r = rand() * total;
  for (const i of items) {
    r -= weight(i);
    if (r < 0) return i;
  }
  return items[items.length - 1]!;
}

const MALE_ET = [
  'Andres',
  'Ants',
  'Aivar',
  'Indrek',
  'Jaan',
  'Juhan',
  'Kalev',
  'Kristjan',
  'Lauri',
  'Madis',
  'Margus',
  'Marko',
  'Martin',
  'Mati',
  'Meelis',
  'Mihkel',
  'Peeter',
  'Priit',
  'Rain',
  'Rasmus',
  'Siim',
  'Sten',
  'Tanel',
  'Tarmo',
  'Toomas',
  'Tõnu',
  'Urmas',
  'Jüri',
  'Kaspar',
  'Karl',
  'Oskar',
  'Robin',
  'Markus',
  'Hugo',
  'Henri',
  'Oliver',
  'Sander',
  'Taavi',
  'Rene',
  'Raul',
];
const FEMALE_ET = [
  'Anu',
  'Anneli',
  'Eha',
  'Elo',
  'Helen',
  'Helle',
  'Kadri',
  'Kai',
  'Kersti',
  'Kristiina',
  'Liis',
  'Maarja',
  'Mari',
  'Marika',
  'Merike',
  'Piret',
  'Reet',
  'Riina',
  'Sirje',
  'Tiina',
  'Triin',
  'Tiiu',
  'Ülle',
  'Ene',
  'Eliise',
  'Emma',
  'Mia',
  'Sofia',
  'Lisete',
  'Hanna',
  'Grete',
  'Laura',
  'Kertu',
  'Katrin',
  'Evelin',
  'Siiri',
  'Kätlin',
  'Maria',
  'Hele',
  'Ly',
];
const FAMILY_ET = [
  'Tamm',
  'Saar',
  'Sepp',
  'Mägi',
  'Kask',
  'Kukk',
  'Rebane',
  'Ilves',
  'Pärn',
  'Koppel',
  'Lepik',
  'Kuusk',
  'Karu',
  'Ots',
  'Põder',
  'Oja',
  'Raudsepp',
  'Kõiv',
  'Lepp',
  'Kallas',
  'Vaher',
  'Mets',
  'Mölder',
  'Kivi',
  'Luik',
  'Laur',
  'Lill',
  'Jõgi',
  'Kangur',
  'Kaasik',
  'Toom',
  'Uibo',
  'Järv',
  'Kuusik',
  'Pukk',
  'Paju',
  'Aas',
  'Teder',
  'Org',
  'Vares',
  'Valk',
  'Nurk',
  'Hein',
  'Männik',
  'Sild',
  'Rand',
  'Kruus',
  'Kull',
  'Allik',
  'Maasikas',
];
const MALE_RU = [
  'Aleksandr',
  'Sergei',
  'Dmitri',
  'Andrei',
  'Aleksei',
  'Vladimir',
  'Nikolai',
  'Ivan',
  'Maksim',
  'Artjom',
  'Pavel',
  'Igor',
  'Roman',
  'Mihhail',
  'Denis',
];
const FEMALE_RU = [
  'Jelena',
  'Olga',
  'Tatjana',
  'Natalja',
  'Irina',
  'Svetlana',
  'Anna',
  'Julia',
  'Marina',
  'Jekaterina',
  'Anastassia',
  'Viktoria',
  'Ljudmila',
  'Darja',
  'Valentina',
];
const FAMILY_RU_M = [
  'Ivanov',
  'Smirnov',
  'Kuznetsov',
  'Popov',
  'Vassiljev',
  'Petrov',
  'Sokolov',
  'Mihhailov',
  'Fjodorov',
  'Morozov',
  'Volkov',
  'Aleksejev',
  'Lebedev',
  'Semjonov',
  'Jegorov',
];
/** Street names of the synthetic addresses (the Land Board stand-in lays them out, `places/demoAddresses.ts`). */
export const DEMO_STREETS = [
  'Tartu mnt',
  'Pärnu mnt',
  'Narva mnt',
  'Kooli',
  'Aia',
  'Pargi',
  'Jaama',
  'Vabaduse pst',
  'Lille',
  'Metsa',
  'Tuule',
  'Kalda',
  'Vee',
  'Sõpruse pst',
  'Mäe',
  'Põllu',
  'Raja',
  'Turu',
  'Riia',
  'Kase',
];

/** Farm names of the synthetic village addresses ("Tamme-12"), numbered 1–40. */
export const DEMO_FARMS = ['Kase', 'Männi', 'Vahtra', 'Tamme', 'Kuuse', 'Pihlaka', 'Saare'] as const;

/** Estonia's age pyramid in five-year bands 0–4 … 90–94 (thousands of people, 2024, rounded). */
const AGE_BANDS = [62, 73, 75, 70, 62, 70, 90, 95, 92, 88, 85, 80, 85, 82, 70, 50, 40, 25, 12];
const BAND_INDEX = AGE_BANDS.map((_, i) => i);

/**
 * How a municipality's age structure differs from the national one (multipliers per band):
 * the capital has more people of working age, a university town a student bulge at 19–29, a
 * rural municipality fewer young adults and more older people (Statistics Estonia, 2024, rounded).
 */
type Profile = 'capital' | 'university' | 'rural';
const PROFILE_SHAPE: Record<Profile, number[]> = {
  //          0-4  5-9  10-14 15-19 20-24 25-29 30-34 35-39 40-44 45-49 50-54 55-59 60-64 65-69 70-74 75-79 80-84 85-89 90-94
  capital: [1.0, 0.95, 0.9, 0.85, 1.05, 1.25, 1.25, 1.15, 1.05, 1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 0.95, 0.9, 0.85, 0.8],
  university: [0.95, 0.9, 0.85, 1.0, 1.9, 1.5, 1.15, 1.0, 0.95, 0.9, 0.85, 0.85, 0.85, 0.9, 0.9, 0.95, 0.95, 0.9, 0.9],
  rural: [0.95, 1.05, 1.1, 1.05, 0.7, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.15, 1.1, 1.0, 1.0, 0.95, 0.95],
};
const PROFILES: Record<string, Profile> = { '0784': 'capital', '0793': 'university' };
const profileOf = (code: string, kind: string): Profile => PROFILES[code] ?? (kind === 'linn' ? 'capital' : 'rural');

/** Share of Russian-speaking residents, roughly, per municipality. */
const RUSSIAN_SHARE: Record<string, number> = { '0784': 0.38, '0250': 0.5, '0793': 0.12, '0171': 0.04, '0890': 0.1 };

/**
 * Residents per settlement unit (2024, rounded) where known: Tallinn's districts (Lasnamäe large,
 * Pirita small), Tartu linn (the city and the villages of former Tähtvere vald), Elva vald (Elva
 * linn and the small towns). Other units get a typical size for their kind.
 */
const KNOWN_RESIDENTS: Record<string, number> = {
  // Tallinn
  '0176': 48_000,
  '0298': 67_000,
  '0339': 33_000,
  '0387': 120_000,
  '0482': 67_000,
  '0524': 40_000,
  '0596': 19_000,
  '0614': 64_000,
  // Tartu linn
  '8151': 91_000,
  '2050': 600,
  '5277': 750,
  // Elva vald
  '1586': 5_800,
  '7167': 900,
  '6393': 750,
  '6822': 350,
  '3949': 350,
  '8655': 270,
  '3637': 400,
};

function settlementWeight(kind: string, code: string, rand: () => number): number {
  if (KNOWN_RESIDENTS[code]) return KNOWN_RESIDENTS[code]!;
  switch (kind) {
    case 'linn':
      return 4_000;
    case 'linnaosa':
      return 20_000;
    case 'alev':
      return 1_500;
    case 'alevik':
      return 300 + rand() * 500;
    default:
      return 15 + rand() * 110; // villages: a dozen to a hundred-odd people
  }
}

function isoDate(year: number, month: number, day: number) {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface PopulationOptions {
  seed: number;
  /** municipality code → number of residents */
  residents: Record<string, number>;
  /** Reference date for ages, YYYY-MM-DD. */
  today?: string;
}

export const DEMO_MUNICIPALITIES = ['0784', '0793', '0171'] as const;

/**
 * Yields `residents[code]` people per municipality, in order, deterministic by `seed`: ages by the
 * municipality's age profile, settlement units by their sizes, about a quarter having moved in
 * the last ten years (from elsewhere in the municipality or from another one).
 */
export function* generatePopulation(opts: PopulationOptions): Generator<SyntheticPerson> {
  const rand = prng(opts.seed);
  const today = opts.today ?? '2026-01-01';
  const thisYear = Number(today.slice(0, 4));
  const units = readEhak();
  const allSettlements = units.filter((u) => u.level === 'settlement');
  const usedSerials = new Set<string>();
  const addressIn = (settlement: { name: string; kind: string }) =>
    settlement.kind === 'küla'
      ? `${settlement.name}, ${DEMO_FARMS[Math.floor(rand() * 7)]}-${1 + Math.floor(rand() * 40)}`
      : `${DEMO_STREETS[Math.floor(rand() * DEMO_STREETS.length)]} ${1 + Math.floor(rand() * 120)}${rand() < 0.7 ? `-${1 + Math.floor(rand() * 80)}` : ''}, ${settlement.name}`;
  for (const [municipalityCode, count] of Object.entries(opts.residents)) {
    const municipality = units.find((u) => u.code === municipalityCode);
    const settlements = allSettlements.filter((u) => u.parent === municipalityCode);
    if (!municipality || settlements.length === 0)
      throw new Error(`Municipality ${municipalityCode} has no settlement units in EHAK`);
    const weights = new Map(settlements.map((s) => [s.code, settlementWeight(s.kind, s.code, rand)]));
    const shape = PROFILE_SHAPE[profileOf(municipalityCode, municipality.kind)];
    const bandWeight = AGE_BANDS.map((w, i) => w * shape[i]!);
    const ruShare = RUSSIAN_SHARE[municipalityCode] ?? 0.05;
    for (let i = 0; i < count; i++) {
      const sex: Sex = rand() < 0.53 ? 'female' : 'male';
      const band = pickWeighted(rand, BAND_INDEX, (b) => bandWeight[b]!);
      const age = band * 5 + Math.floor(rand() * 5);
      const year = thisYear - 1 - age;
      const month = 1 + Math.floor(rand() * 12);
      const day = 1 + Math.floor(rand() * new Date(Date.UTC(year, month, 0)).getUTCDate());
      const birthDate = isoDate(year, month, day);
      let serial = Math.floor(rand() * 1000);
      while (usedSerials.has(`${sex}${birthDate}${serial}`)) serial = (serial + 1) % 1000;
      usedSerials.add(`${sex}${birthDate}${serial}`);
      const russian = rand() < ruShare;
      const givenName = russian
        ? (sex === 'male' ? MALE_RU : FEMALE_RU)[Math.floor(rand() * 15)]!
        : (sex === 'male' ? MALE_ET : FEMALE_ET)[Math.floor(rand() * 40)]!;
      const ruFamily = FAMILY_RU_M[Math.floor(rand() * FAMILY_RU_M.length)]!;
      const familyName = russian
        ? sex === 'female'
          ? `${ruFamily}a`
          : ruFamily
        : FAMILY_ET[Math.floor(rand() * FAMILY_ET.length)]!;
      const settlement = pickWeighted(rand, settlements, (s) => weights.get(s.code)!);
      const address = addressIn(settlement);
      // Since when: adults moved in at some point in the last 30 years; children live there since birth or later.
      const sinceYear = Math.max(year, thisYear - 1 - Math.floor(rand() * 30));
      let since = sinceYear === year ? birthDate : isoDate(sinceYear, 1 + Math.floor(rand() * 12), 1);
      if (since > today) since = birthDate;
      const previous: NonNullable<SyntheticPerson['previous']> = [];
      const movedYear = thisYear - 1 - Math.floor(rand() * 10);
      if (age >= 20 && rand() < 0.25 && movedYear > year + 18) {
        since = isoDate(movedYear, 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28));
        if (since > today) since = isoDate(movedYear, 1, 1);
        const fromElsewhere = rand() < 0.4;
        const from = fromElsewhere
          ? allSettlements[Math.floor(rand() * allSettlements.length)]!
          : pickWeighted(rand, settlements, (s) => weights.get(s.code)!);
        const until = new Date(Date.parse(`${since}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        const fromSince = isoDate(
          Math.max(year + 18, movedYear - 1 - Math.floor(rand() * 15)),
          1 + Math.floor(rand() * 12),
          1,
        );
        if (fromSince <= until)
          previous.push({
            municipalityCode: from.parent!,
            settlementCode: from.code,
            address: addressIn(from),
            since: fromSince,
            until,
          });
      }
      yield {
        idCode: makeIdCode(sex, birthDate, serial),
        givenName,
        familyName,
        sex,
        birthDate,
        residence: { municipalityCode, settlementCode: settlement.code, address, since },
        ...(previous.length ? { previous } : {}),
      };
    }
  }
}
