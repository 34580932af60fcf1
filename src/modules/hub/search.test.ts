import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estonianStem, prefixQuery } from './search';

test('inflected Estonian forms share a stem that prefixes all of them', () => {
  const families = [
    ['turvalisus', 'turvalisuse', 'turvalisust', 'turvalisusele', 'turvalisuses'],
    ['juhend', 'juhendi', 'juhendid', 'juhendite'],
    ['koolitus', 'koolituse', 'koolitused', 'koolitustel'],
    ['andmed', 'andmete', 'andmeid'],
    ['eesmärk', 'eesmärgi', 'eesmärgid', 'eesmärke'],
  ];
  for (const forms of families) {
    for (const query of forms) {
      const stem = estonianStem(query);
      for (const form of forms)
        assert.ok(form.startsWith(stem), `query "${query}" (stem ${stem}) should find "${form}"`);
    }
  }
  assert.equal(estonianStem('E'), 'e', 'short words stay');
});

test('queries keep only letters and digits (no tsquery syntax gets through)', () => {
  assert.equal(prefixQuery("turvalisus & !x | 'y':*"), 'turvalisu:* & x:* & y:*');
  assert.equal(prefixQuery('  '), undefined);
  assert.equal(prefixQuery('turvalisus juhend', true), 'turvalisu:* | juhen:*');
});
