import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Isikukood from 'isikukood/dist/isikukood.esm.js';
import { ageOn, checkDigit, isValidIdCode, makeIdCode, maskIdCode, maskIdCodesIn, parseIdCode } from './personalIdCode';

const dateArb = fc
  .date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

test('known codes: valid ones parse with sex and birth date, broken ones say why', () => {
  assert.deepEqual(parseIdCode('37605030299'), {
    ok: true,
    value: { code: '37605030299', sex: 'male', birthDate: '1976-05-03' },
  });
  assert.deepEqual(parseIdCode('60001019906'), {
    ok: true,
    value: { code: '60001019906', sex: 'female', birthDate: '2000-01-01' },
  });
  assert.deepEqual(parseIdCode('37605030290'), { ok: false, problem: 'checksum' });
  assert.deepEqual(parseIdCode('37613030299'), { ok: false, problem: 'date' });
  assert.deepEqual(parseIdCode('39902300000'), { ok: false, problem: 'date' }); // 30 February
  assert.deepEqual(parseIdCode('97605030299'), { ok: false, problem: 'century' });
  assert.deepEqual(parseIdCode('3760503029'), { ok: false, problem: 'format' });
  assert.deepEqual(parseIdCode('3760503029a'), { ok: false, problem: 'format' });
});

test('29 February exists only in leap years (2000 yes, 1900 no)', () => {
  assert.equal(isValidIdCode(makeIdCode('female', '2000-02-29', 1)), true);
  const first10 = '4000229001'; // 1900-02-29
  assert.equal(parseIdCode(first10 + checkDigit(first10)).ok, false);
});

test('property: every code built from a real date, sex and serial is valid and round-trips', () => {
  fc.assert(
    fc.property(
      dateArb,
      fc.constantFrom('male', 'female') as fc.Arbitrary<'male' | 'female'>,
      fc.integer({ min: 0, max: 999 }),
      (date, sex, serial) => {
        const code = makeIdCode(sex, date, serial);
        const parsed = parseIdCode(code);
        assert.ok(parsed.ok);
        assert.equal(parsed.value.birthDate, date);
        assert.equal(parsed.value.sex, sex);
      },
    ),
  );
});

test('property: the check digit agrees with the independent isikukood package (1800–2099)', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[1-6][0-9]{9}$/), (first10) => {
      assert.equal(checkDigit(first10), new Isikukood(first10 + '0').getControlNumber());
    }),
  );
});

test('property: any other check digit makes a valid code invalid', () => {
  fc.assert(
    fc.property(dateArb, fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 9 }), (date, serial, delta) => {
      const code = makeIdCode('male', date, serial);
      const altered = code.slice(0, 10) + ((Number(code[10]) + delta) % 10);
      assert.deepEqual(parseIdCode(altered), { ok: false, problem: 'checksum' });
    }),
  );
});

test('age on a date: birthday on the reference date counts, 29 February turns a year older on 1 March', () => {
  assert.equal(ageOn('2008-05-17', '2026-05-16'), 17);
  assert.equal(ageOn('2008-05-17', '2026-05-17'), 18);
  assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
  assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
  assert.equal(ageOn('2008-02-29', '2028-02-29'), 20);
});

test('masking: a code is shown as its first six digits; codes inside text are masked', () => {
  assert.equal(maskIdCode('37605030299'), '376050*****');
  assert.equal(maskIdCodesIn('GET /x?code=37605030299&n=123456789012'), 'GET /x?code=376050*****&n=123456789012');
  assert.equal(maskIdCodesIn('sub EE60001019906 ok'), 'sub EE600010***** ok');
});
