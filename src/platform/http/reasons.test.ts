import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P, defineReason, fieldError, invalid, reasonCodes, refusal } from './problems';

const closes = defineReason('test-closes-before-opens', 'must be later than opensAt');
const tooLong = defineReason<{ length: number; max: number }>(
  'test-name-too-long',
  (p) => `is ${p.length} characters; at most ${p.max}`,
);

test('a field refusal carries its pointer, reason code, params and English detail', () => {
  assert.deepEqual(invalid([fieldError('/body/name', tooLong, { length: 93, max: 80 })]).toJSON().errors, [
    {
      pointer: '/body/name',
      code: 'test-name-too-long',
      params: { length: 93, max: 80 },
      detail: 'is 93 characters; at most 80',
    },
  ]);
  assert.deepEqual(fieldError('/body/closesAt', closes), {
    pointer: '/body/closesAt',
    code: 'test-closes-before-opens',
    detail: 'must be later than opensAt',
  });
});

test('a refusal not about a field carries the code at the top, beside type', () => {
  const json = refusal(P.conflict, tooLong, { length: 3, max: 2 }).toJSON() as Record<string, unknown>;
  assert.equal(json.type, '/problems/conflict');
  assert.equal(json.status, 409);
  assert.equal(json.code, 'test-name-too-long');
  assert.deepEqual(json.params, { length: 3, max: 2 });
  assert.equal(json.detail, 'is 3 characters; at most 2');
});

test('reason codes are registered once, dashed lowercase, never a JSON Schema keyword', () => {
  assert.ok(reasonCodes().includes('test-closes-before-opens'));
  assert.throws(() => defineReason('test-closes-before-opens', 'again'), /defined twice/);
  assert.throws(() => defineReason('required', 'x'), /JSON Schema keyword/);
  assert.throws(() => defineReason('Bad_Code', 'x'), /lowercase/);
});
