/**
 * Estonian search without an Estonian stemmer in the database. PostgreSQL 18 ships a snowball
 * `estonian` configuration, PostgreSQL 15 does not, and CI runs both, so the index (`hub_et`)
 * keeps whole words (lower-cased, diacritics removed) and the query side does the stemming: each
 * word loses its case and plural endings (Estonian inflects mostly by suffix: turvalisus,
 * turvalisuse, turvalisust, turvalisusele) and is matched as a prefix (`turvalisu:*`). Trigram
 * similarity on the title (pg_trgm) catches typos and the odd stem change. See docs/hub.md.
 */

// Longest first. Case endings (-sse, -st, -lt, -le, -ks, -ga, -ni, -na, -ta, -s, -l, -t, -d) and
// plural markers (-de, -te, -id, -sid, -i); a final -e or -i of a genitive stem.
const ENDINGS = [
  'dele',
  'tele',
  'sse',
  'sid',
  'des',
  'tes',
  'del',
  'tel',
  'st',
  'lt',
  'le',
  'ks',
  'ga',
  'ni',
  'na',
  'ta',
  'de',
  'te',
  'id',
  'il',
  'is',
  's',
  'l',
  't',
  'd',
  'e',
  'i',
];
const MIN_STEM = 5;

export function estonianStem(word: string): string {
  let w = word.toLocaleLowerCase('et');
  for (let pass = 0; pass < 2; pass++) {
    const ending = ENDINGS.find((e) => w.endsWith(e) && w.length - e.length >= MIN_STEM);
    if (!ending) break;
    w = w.slice(0, -ending.length);
  }
  // Consonant gradation changes the stem's last consonant (eesmärk → eesmärgi, leht → lehe):
  // a final k, p, t, g, b or d is left out of the prefix.
  if (/[kptgbd]$/.test(w) && w.length - 1 >= MIN_STEM) w = w.slice(0, -1);
  return w;
}

/** The words of a query: letters and digits only (so nothing in it is tsquery syntax). */
export function queryWords(q: string): string[] {
  return (q.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}

/** A tsquery text for to_tsquery('hub_et', …): every word's stem as a prefix, all required. */
export function prefixQuery(q: string, any = false): string | undefined {
  const words = queryWords(q);
  if (!words.length) return undefined;
  return words.map((w) => `${estonianStem(w)}:*`).join(any ? ' | ' : ' & ');
}
