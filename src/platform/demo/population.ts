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

const MALE_ET = ['Andres', 'Ants', 'Aivar', 'Indrek', 'Jaan', 'Juhan', 'Kalev', 'Kristjan', 'Lauri', 'Madis', 'Margus', 'Marko', 'Martin', 'Mati', 'Meelis', 'Mihkel', 'Peeter', 'Priit', 'Rain', 'Rasmus', 'Siim', 'Sten', 'Tanel', 'Tarmo', 'Toomas', 'Tõnu', 'Urmas', 'Jüri', 'Kaspar', 'Karl', 'Oskar', 'Robin', 'Markus', 'Hugo', 'Henri', 'Oliver', 'Sander', 'Taavi', 'Rene', 'Raul'];
const FEMALE_ET = ['Anu', 'Anneli', 'Eha', 'Elo', 'Helen', 'Helle', 'Kadri', 'Kai', 'Kersti', 'Kristiina', 'Liis', 'Maarja', 'Mari', 'Marika', 'Merike', 'Piret', 'Reet', 'Riina', 'Sirje', 'Tiina', 'Triin', 'Tiiu', 'Ülle', 'Ene', 'Eliise', 'Emma', 'Mia', 'Sofia', 'Lisete', 'Hanna', 'Grete', 'Laura', 'Kertu', 'Katrin', 'Evelin', 'Siiri', 'Kätlin', 'Maria', 'Hele', 'Ly'];
const FAMILY_ET = ['Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask', 'Kukk', 'Rebane', 'Ilves', 'Pärn', 'Koppel', 'Lepik', 'Kuusk', 'Karu', 'Ots', 'Põder', 'Oja', 'Raudsepp', 'Kõiv', 'Lepp', 'Kallas', 'Vaher', 'Mets', 'Mölder', 'Kivi', 'Luik', 'Laur', 'Lill', 'Jõgi', 'Kangur', 'Kaasik', 'Toom', 'Uibo', 'Järv', 'Kuusik', 'Pukk', 'Paju', 'Aas', 'Teder', 'Org', 'Vares', 'Valk', 'Nurk', 'Hein', 'Männik', 'Sild', 'Rand', 'Kruus', 'Kull', 'Allik', 'Maasikas'];
const MALE_RU = ['Aleksandr', 'Sergei', 'Dmitri', 'Andrei', 'Aleksei', 'Vladimir', 'Nikolai', 'Ivan', 'Maksim', 'Artjom', 'Pavel', 'Igor', 'Roman', 'Mihhail', 'Denis'];
const FEMALE_RU = ['Jelena', 'Olga', 'Tatjana', 'Natalja', 'Irina', 'Svetlana', 'Anna', 'Julia', 'Marina', 'Jekaterina', 'Anastassia', 'Viktoria', 'Ljudmila', 'Darja', 'Valentina'];
const FAMILY_RU_M = ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Vassiljev', 'Petrov', 'Sokolov', 'Mihhailov', 'Fjodorov', 'Morozov', 'Volkov', 'Aleksejev', 'Lebedev', 'Semjonov', 'Jegorov'];
const STREETS = ['Tartu mnt', 'Pärnu mnt', 'Narva mnt', 'Kooli', 'Aia', 'Pargi', 'Jaama', 'Vabaduse pst', 'Lille', 'Metsa', 'Tuule', 'Kalda', 'Vee', 'Sõpruse pst', 'Mäe', 'Põllu', 'Raja', 'Turu', 'Riia', 'Kase'];

/** Estonia's age pyramid in five-year bands (thousands of people, 2024, rounded). */
const AGE_BANDS = [62, 73, 75, 70, 62, 70, 90, 95, 92, 88, 85, 80, 85, 82, 70, 50, 40, 25, 12];
const BAND_INDEX = AGE_BANDS.map((_, i) => i);

/** Share of Russian-speaking residents, roughly, per municipality. */
const RUSSIAN_SHARE: Record<string, number> = { '0784': 0.38, '0250': 0.5, '0793': 0.12, '0171': 0.04, '0890': 0.1 };

/** Tallinn's districts by population (2024), so that Lasnamäe is large and Pirita small. */
const KNOWN_WEIGHTS: Record<string, number> = {
  '0176': 48, '0298': 67, '0339': 33, '0387': 120, '0482': 67, '0524': 40, '0596': 19, '0614': 64,
};

function settlementWeight(kind: string, code: string, rand: () => number): number {
  if (KNOWN_WEIGHTS[code]) return KNOWN_WEIGHTS[code]!;
  switch (kind) {
    case 'linn':
      return 400;
    case 'linnaosa':
      return 50;
    case 'alev':
      return 40;
    case 'alevik':
      return 15 + rand() * 20;
    default:
      return 0.5 + rand() * 4; // villages: a few dozen to a few hundred people
  }
}

export interface PopulationOptions {
  seed: number;
  /** municipality code → number of residents */
  residents: Record<string, number>;
  /** Reference date for ages, YYYY-MM-DD. */
  today?: string;
}

export const DEMO_MUNICIPALITIES = ['0784', '0793', '0171'] as const;

export function* generatePopulation(opts: PopulationOptions): Generator<SyntheticPerson> {
  const rand = prng(opts.seed);
  const today = opts.today ?? '2026-01-01';
  const thisYear = Number(today.slice(0, 4));
  const units = readEhak();
  const usedSerials = new Set<string>();
  for (const [municipalityCode, count] of Object.entries(opts.residents)) {
    const settlements = units.filter((u) => u.parent === municipalityCode && u.level === 'settlement');
    if (settlements.length === 0) throw new Error(`Municipality ${municipalityCode} has no settlement units in EHAK`);
    const weights = new Map(settlements.map((s) => [s.code, settlementWeight(s.kind, s.code, rand)]));
    const ruShare = RUSSIAN_SHARE[municipalityCode] ?? 0.05;
    for (let i = 0; i < count; i++) {
      const sex: Sex = rand() < 0.53 ? 'female' : 'male';
      const band = pickWeighted(rand, BAND_INDEX, (b) => AGE_BANDS[b]!);
      const age = band * 5 + Math.floor(rand() * 5);
      const year = thisYear - 1 - age;
      const month = 1 + Math.floor(rand() * 12);
      const day = 1 + Math.floor(rand() * new Date(Date.UTC(year, month, 0)).getUTCDate());
      const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      let serial = Math.floor(rand() * 1000);
      while (usedSerials.has(`${sex}${birthDate}${serial}`)) serial = (serial + 1) % 1000;
      usedSerials.add(`${sex}${birthDate}${serial}`);
      const russian = rand() < ruShare;
      const givenName = russian ? (sex === 'male' ? MALE_RU : FEMALE_RU)[Math.floor(rand() * 15)]! : (sex === 'male' ? MALE_ET : FEMALE_ET)[Math.floor(rand() * 40)]!;
      const ruFamily = FAMILY_RU_M[Math.floor(rand() * FAMILY_RU_M.length)]!;
      const familyName = russian ? (sex === 'female' ? `${ruFamily}a` : ruFamily) : FAMILY_ET[Math.floor(rand() * FAMILY_ET.length)]!;
      const settlement = pickWeighted(rand, settlements, (s) => weights.get(s.code)!);
      const street = STREETS[Math.floor(rand() * STREETS.length)]!;
      const sinceYear = Math.max(year, thisYear - 1 - Math.floor(rand() * 30));
      yield {
        idCode: makeIdCode(sex, birthDate, serial),
        givenName,
        familyName,
        sex,
        birthDate,
        residence: {
          municipalityCode,
          settlementCode: settlement.code,
          address: settlement.kind === 'küla' ? `${settlement.name}, ${['Kase', 'Männi', 'Vahtra', 'Tamme', 'Kuuse'][Math.floor(rand() * 5)]}-${1 + Math.floor(rand() * 40)}` : `${street} ${1 + Math.floor(rand() * 120)}, ${settlement.name}`,
          since: `${sinceYear}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-01`,
        },
      };
    }
  }
}
