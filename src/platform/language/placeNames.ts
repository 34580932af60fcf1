/**
 * Estonian place names in the grammatical cases the pages use.
 *
 * An EHAK name is a proper name followed by the kind of unit ("Elva vald", "Tartu linn",
 * "Tammiste küla", "Lasnamäe linnaosa"), or a single word that already holds it ("Tallinn",
 * "Mäeküla"). Only the last word is declined: the name before it is a genitive attribute that
 * stays as it is ("Elva valla elanikud", "Tartu linnas"). So a short table of the head nouns'
 * forms (EKI's Õigekeelsussõnaraamat) declines every one of the 78 municipalities and the
 * 4,700 settlement units. Names outside EHAK's pattern (a Võro "-külä", "Reinse") get their
 * kind written after them ("Reinse küla"); bilingual Swedish names keep only the Estonian
 * part in a declined form.
 */
export type PlaceCase =
  | 'nominative'
  | 'genitive'
  | 'partitive'
  | 'illative'
  | 'inessive'
  | 'elative'
  | 'allative'
  | 'adessive'
  | 'ablative'
  | 'terminative';

export const PLACE_CASES: readonly PlaceCase[] = [
  'nominative',
  'genitive',
  'partitive',
  'illative',
  'inessive',
  'elative',
  'allative',
  'adessive',
  'ablative',
  'terminative',
];

/** The stem the case endings join (genitive singular) and the forms that are not stem + ending. */
interface Noun {
  genitive: string;
  partitive: string;
  /** The short illative where the language uses one ("Elva valda", "Tammiste külla"). */
  illative: string;
}

const ENDINGS: Record<Exclude<PlaceCase, 'nominative' | 'genitive' | 'partitive' | 'illative'>, string> = {
  inessive: 's',
  elative: 'st',
  allative: 'le',
  adessive: 'l',
  ablative: 'lt',
  terminative: 'ni',
};

const HEADS: Record<string, Noun> = {
  vald: { genitive: 'valla', partitive: 'valda', illative: 'valda' },
  linn: { genitive: 'linna', partitive: 'linna', illative: 'linna' },
  küla: { genitive: 'küla', partitive: 'küla', illative: 'külla' },
  alevik: { genitive: 'aleviku', partitive: 'alevikku', illative: 'alevikku' },
  alev: { genitive: 'alevi', partitive: 'alevit', illative: 'alevisse' },
  linnaosa: { genitive: 'linnaosa', partitive: 'linnaosa', illative: 'linnaossa' },
  maakond: { genitive: 'maakonna', partitive: 'maakonda', illative: 'maakonda' },
};

/** One-word names that are not "<name> <kind>" (the capital). */
const WHOLE: Record<string, Noun> = {
  Tallinn: { genitive: 'Tallinna', partitive: 'Tallinna', illative: 'Tallinnasse' },
};

function formOf(noun: Noun, c: PlaceCase, nominative: string): string {
  switch (c) {
    case 'nominative':
      return nominative;
    case 'genitive':
    case 'partitive':
    case 'illative':
      return noun[c];
    default:
      return noun.genitive + ENDINGS[c];
  }
}

/**
 * `name` declined into `c`. `kind` (EHAK's kind: vald, linn, küla, alevik, alev, linnaosa,
 * maakond) is needed only for names that do not end in it.
 */
export function declinePlace(name: string, c: PlaceCase, kind?: string): string {
  if (c === 'nominative') return name;
  const estonian = (name.split(' / ')[0] ?? name).trim();
  const whole = WHOLE[estonian];
  if (whole) return formOf(whole, c, estonian);
  const space = estonian.lastIndexOf(' ');
  const last = space < 0 ? estonian : estonian.slice(space + 1);
  const before = space < 0 ? '' : estonian.slice(0, space + 1);
  const head = HEADS[last];
  if (head) return before + formOf(head, c, last);
  // A compound ending in its kind: Mäeküla → Mäekülas, Uusküla → Uusküla elanikud.
  for (const [word, noun] of Object.entries(HEADS)) {
    if (last.endsWith(word) && last.length > word.length) {
      return before + last.slice(0, -word.length) + formOf(noun, c, word);
    }
  }
  // Outside the pattern ("Reinse", Võro "Mäekülä"): the kind, declined, after the name.
  const kindNoun = kind ? HEADS[kind] : undefined;
  if (kindNoun) return `${estonian} ${formOf(kindNoun, c, kind!)}`;
  return estonian;
}

/**
 * The word for a municipality's own kind, for phrases like "Valla teenused" / "Linna teenused"
 * ("the municipality's services"): linn for a city (Tallinn included), vald otherwise.
 */
export function municipalityWord(kind: string, c: PlaceCase): string {
  const word = kind === 'linn' ? 'linn' : 'vald';
  return formOf(HEADS[word]!, c, word);
}
