import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { modules } from '../../src/modules/index';
import { reasonCodes } from '../../src/platform/http/problems';
import { common } from '../../web/src/i18n/common';

/**
 * Every reason code the server can send (`defineReason`, registered when the modules load) is
 * worded in et, ru and en (`common:reasons.<code>`), and the Estonian and Russian words are not
 * the English ones: a refusal a person meets reads in the page's language.
 */
test('every server reason code has its own et, ru and en text', () => {
  assert.ok(modules.length > 0);
  const codes = reasonCodes();
  assert.ok(codes.length >= 50, `only ${codes.length} reason codes registered: were the modules loaded?`);
  const catalog = (lang: 'et' | 'ru' | 'en') => common[lang].reasons as Record<string, string>;
  const problems: string[] = [];
  for (const code of codes) {
    const en = catalog('en')[code];
    if (!en?.trim()) problems.push(`${code}: no en text`);
    for (const lang of ['et', 'ru'] as const) {
      const text = catalog(lang)[code];
      if (!text?.trim()) problems.push(`${code}: no ${lang} text`);
      else if (en && text.trim() === en.trim()) problems.push(`${code}: the ${lang} text is the English one`);
    }
    if (catalog('ru')[code] && !/[А-Яа-яЁё]/.test(catalog('ru')[code]!))
      problems.push(`${code}: ru text has no Cyrillic`);
  }
  assert.deepEqual(problems, []);
  // And nothing stale: a text for a code the server no longer sends is dead weight in every page.
  const known = new Set(codes);
  for (const lang of ['et', 'ru', 'en'] as const)
    assert.deepEqual(
      Object.keys(catalog(lang)).filter((c) => !known.has(c)),
      [],
      `${lang}: texts for codes the server does not send`,
    );
});

/**
 * Field errors without a reason code, per file, still to be given one (issue 18 item 5): a page
 * shows their English `detail`. The list only shrinks: a new uncoded field error fails the test
 * below, and so does a file that got better without its number being lowered here.
 */
const UNCODED_FIELD_ERRORS: Record<string, number> = {
  'council/attendance.ts': 1,
  'council/castBallot.ts': 2,
  'council/changeMandate.ts': 2,
  'council/documents.ts': 2,
  'council/editAgenda.ts': 2,
  'council/routes.ts': 1,
  'council/sittings.ts': 6,
  'council/startVote.ts': 3,
  'hub/attachments.ts': 1,
  'hub/catalogue.ts': 16,
  'hub/importCatalogue.ts': 1,
  'hub/mentorRequests.ts': 2,
  'hub/recordAudit.ts': 2,
  'hub/shareTracker.ts': 1,
  'hub/updateTracker.ts': 2,
  'hub/writeArticle.ts': 2,
  'notifications/routes.ts': 1,
  'notifications/settings.ts': 2,
  'opendata/catalogue.ts': 2,
  'opendata/governanceRoles.ts': 2,
  'opendata/harvesting.ts': 1,
  'opendata/routes.ts': 1,
  'participation/castVote.ts': 3,
  'participation/results.ts': 3,
  'participation/routes.ts': 5,
  'programme/changeVatRule.ts': 1,
  'programme/validatePlan.ts': 25,
  'register/eligibility.ts': 1,
  'register/lists.ts': 1,
  'reports/applyBackOfficeUpdate.ts': 4,
  'reports/delivery.ts': 2,
  'reports/idempotency.ts': 1,
  'reports/listReports.ts': 1,
  'services/assessment.ts': 3,
  'verifiable/casting.ts': 4,
  'verifiable/ceremony.ts': 2,
  'verifiable/manageElections.ts': 11,
};

function moduleSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return moduleSources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Object literals `{ pointer: …, detail: … }` without a `code` (type annotations skipped). */
export function uncodedFieldErrors(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\{\s*pointer\s*:/g)) {
    let depth = 0;
    let i = m.index;
    for (; i < source.length; i++) {
      if (source[i] === '{') depth++;
      else if (source[i] === '}' && --depth === 0) break;
    }
    const literal = source.slice(m.index, i + 1);
    if (/pointer\s*:\s*string\b/.test(literal)) continue;
    if (/\bdetail\b/.test(literal) && !/[{,]\s*code\s*[:,}]/.test(literal)) found.push(literal.replace(/\s+/g, ' '));
  }
  return found;
}

test('the scanner finds a field error built without a code, and not one built with fieldError', () => {
  assert.equal(uncodedFieldErrors("throw invalid([{ pointer: '/body/name', detail: 'too long' }]);").length, 1);
  assert.equal(uncodedFieldErrors("invalid([{ pointer: '/body/code', detail: 'exists' }])").length, 1);
  assert.equal(uncodedFieldErrors('errors.push({\n  pointer: `/body/x/${i}`,\n  detail: `no ${x}`,\n});').length, 1);
  assert.equal(
    uncodedFieldErrors("invalid([{ pointer: '/body/a', code: 'minLength', limit: 1, detail: 'x' }])").length,
    0,
  );
  assert.equal(uncodedFieldErrors("invalid([fieldError('/body/name', R.tooLong, { max: 80 })])").length, 0);
  assert.equal(uncodedFieldErrors('errors?: { pointer: string; detail: string }[]').length, 0);
});

test('every field error in src/modules carries a reason or schema code (no new uncoded ones)', () => {
  const root = join(import.meta.dirname, '../../src/modules');
  const actual: Record<string, number> = {};
  const newOnes: string[] = [];
  for (const file of moduleSources(root)) {
    const found = uncodedFieldErrors(readFileSync(file, 'utf8'));
    const name = relative(root, file).split('\\').join('/');
    if (found.length) actual[name] = found.length;
    if (found.length > (UNCODED_FIELD_ERRORS[name] ?? 0))
      newOnes.push(`${name}: ${found.join(' | ')} — use fieldError(pointer, R.x, params) with defineReason`);
  }
  assert.deepEqual(newOnes, []);
  for (const [name, allowed] of Object.entries(UNCODED_FIELD_ERRORS))
    assert.ok(
      (actual[name] ?? 0) === allowed,
      `${name} has ${actual[name] ?? 0} uncoded field errors, the list says ${allowed}: lower it`,
    );
});
