/**
 * The Estonian personal ID code (isikukood, EVS 585:2007): `GYYMMDDSSSC`.
 * G = sex and century (1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s, 7/8 → 2100s; odd male, even female),
 * YYMMDD = a real birth date, SSS = serial, C = check digit.
 *
 * Written here rather than taken from the `isikukood` package because that one builds dates in
 * the local time zone, knows no 7/8 century digits and accepts non-digits; the property tests
 * use it as an independent oracle for the check digit.
 */
import { defineReason, fieldError, type FieldError } from '../http/problems';

export type Sex = 'male' | 'female';

export interface PersonalIdCode {
  code: string;
  sex: Sex;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
}

export type IdCodeProblem = 'format' | 'century' | 'date' | 'checksum';

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
const W2 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];

export function checkDigit(first10: string): number {
  const digits = [...first10].map(Number);
  const sum = (w: number[]) => digits.reduce((acc, d, i) => acc + d * w[i]!, 0) % 11;
  let c = sum(W1);
  if (c === 10) {
    c = sum(W2);
    if (c === 10) c = 0;
  }
  return c;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseIdCode(
  input: string,
): { ok: true; value: PersonalIdCode } | { ok: false; problem: IdCodeProblem } {
  const code = input.trim();
  if (!/^[0-9]{11}$/.test(code)) return { ok: false, problem: 'format' };
  const g = Number(code[0]);
  if (g < 1 || g > 8) return { ok: false, problem: 'century' };
  const century = 1800 + Math.floor((g - 1) / 2) * 100;
  const year = century + Number(code.slice(1, 3));
  const month = Number(code.slice(3, 5));
  const day = Number(code.slice(5, 7));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, problem: 'date' };
  if (checkDigit(code.slice(0, 10)) !== Number(code[10])) return { ok: false, problem: 'checksum' };
  const birthDate = `${String(year).padStart(4, '0')}-${code.slice(3, 5)}-${code.slice(5, 7)}`;
  return { ok: true, value: { code, sex: g % 2 === 1 ? 'male' : 'female', birthDate } };
}

export function isValidIdCode(input: string): boolean {
  return parseIdCode(input).ok;
}

/** Age in whole years on `onDate` (YYYY-MM-DD). A person born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/** Builds a valid code (used by the synthetic population and tests). */
export function makeIdCode(sex: Sex, birthDate: string, serial: number): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const centuryIndex = Math.floor((Number(y) - 1800) / 100);
  if (centuryIndex < 0 || centuryIndex > 3) throw new RangeError(`birth year ${y} outside 1800–2199`);
  const g = 1 + centuryIndex * 2 + (sex === 'female' ? 1 : 0);
  const first10 = `${g}${y.slice(2)}${m}${d}${String(serial).padStart(3, '0')}`;
  if (first10.length !== 10) throw new RangeError(`serial ${serial} must be 0–999`);
  return first10 + checkDigit(first10);
}

/** `38001085718` → `380010*****`: enough to recognise one's own code, not to use someone else's. */
export function maskIdCode(code: string): string {
  return code.length === 11 ? code.slice(0, 6) + '*****' : '***';
}

/** Masks anything that looks like a personal ID code inside free text (logs). */
export function maskIdCodesIn(text: string): string {
  return text.replace(/(?<![0-9])([1-8][0-9]{5})[0-9]{5}(?![0-9])/g, '$1*****');
}

const ID_CODE_REASONS = {
  format: defineReason('id-code-format', 'is not a valid personal ID code (format)'),
  century: defineReason('id-code-century', 'is not a valid personal ID code (century)'),
  date: defineReason('id-code-date', 'is not a valid personal ID code (date)'),
  checksum: defineReason('id-code-checksum', 'is not a valid personal ID code (checksum)'),
} satisfies Record<IdCodeProblem, unknown>;

/** The field error for a code `parseIdCode` refused, worded by the page from its reason. */
export function idCodeError(pointer: string, problem: IdCodeProblem): FieldError {
  return fieldError(pointer, ID_CODE_REASONS[problem]);
}
