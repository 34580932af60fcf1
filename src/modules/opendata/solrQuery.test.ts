import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SolrSyntaxError, parseDismax, parseFq, parseQ, parseStandard, type QueryNode } from './solrQuery';
import { solrDate } from './solrDate';

/**
 * The Solr query syntax as Lucene's classic parser reads it with CKAN's q.op=AND, and CKAN's
 * choice between DisMax and the standard parser for q. Written as a compact form:
 * +must, -mustNot, ?should; field:value; [a..b] ranges.
 */
function show(n: QueryNode): string {
  switch (n.kind) {
    case 'all':
      return '*:*';
    case 'term':
      return `${n.field ?? ''}:${n.phrase ? `"${n.value}"` : n.value}`;
    case 'wildcard':
      return `${n.field ?? ''}:${n.pattern}`;
    case 'range':
      return `${n.field ?? ''}:${n.lowerInclusive ? '[' : '{'}${n.lower ?? '*'}..${n.upper ?? '*'}${n.upperInclusive ? ']' : '}'}`;
    case 'bool':
      return `(${n.clauses.map((c) => `${c.occur === 'must' ? '+' : c.occur === 'mustNot' ? '-' : '?'}${show(c.node)}`).join(' ')}${n.minShouldMatch !== undefined ? ` mm=${n.minShouldMatch}` : ''})`;
  }
}

test('the standard syntax: fields, phrases, wildcards, ranges, groups, and Lucene’s conjunctions with default AND', () => {
  const cases: [string, string][] = [
    ['title:eelarve', 'title:eelarve'],
    ['title:eelarve notes:kool', '(+title:eelarve +notes:kool)'],
    ['title:eelarve AND notes:kool', '(+title:eelarve +notes:kool)'],
    ['a OR b', '(?:a ?:b)'],
    // Lucene's classic parser: with a required clause, the OR-ed ones become optional.
    [
      'organization:a OR organization:b metadata_modified:[2020-01-01T00:00:00Z TO *]',
      '(?organization:a ?organization:b +metadata_modified:[2020-01-01T00:00:00Z..*])',
    ],
    [
      '(organization:a OR organization:b) metadata_modified:[NOW-1DAY TO *]',
      '(+(?organization:a ?organization:b) +metadata_modified:[NOW-1DAY..*])',
    ],
    ['-organization:x', '(-organization:x)'],
    ['tags:a NOT tags:b', '(+tags:a -tags:b)'],
    ['tags:a AND NOT tags:b', '(+tags:a -tags:b)'],
    ['tags:a && !tags:b || tags:c', '(+tags:a -tags:b ?tags:c)'],
    ['+capacity:public +state:(active OR draft)', '(+capacity:public +(?state:active ?state:draft))'],
    ['title:"kaasav eelarve"', 'title:"kaasav eelarve"'],
    ['name:tartu-linn-*', 'name:tartu-linn-*'],
    ['tags:õ?ne', 'tags:õ?ne'],
    [
      'metadata_created:{2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z]',
      'metadata_created:{2020-01-01T00:00:00Z..2021-01-01T00:00:00Z]',
    ],
    ['metadata_modified:[* TO NOW-1DAY/DAY]', 'metadata_modified:[*..NOW-1DAY/DAY]'],
    ['*:*', '*:*'],
    ['title:*', 'title:[*..*]'],
    ['title:(kool lasteaed)', '(+title:kool +title:lasteaed)'],
    ['title:eelarve^2 notes:x', '(+title:eelarve +notes:x)'],
    ['name:a\\:b', 'name:a:b'],
  ];
  for (const [input, expected] of cases) assert.equal(show(parseStandard(input)), expected, input);
});

test('malformed queries are syntax errors, as Solr reports them, never something else', () => {
  for (const bad of [
    'title:"unclosed',
    'metadata_modified:[2020-01-01T00:00:00Z TO *',
    'metadata_modified:[2020-01-01T00:00:00Z *]',
    '(title:a',
    'title:a)',
    'title:a AND',
    'OR title:a',
    'title:',
    'foo~2',
    '"a b"~3',
    '/reg.x/',
    'title:a ^',
    '{!lucene}title:a',
    'name:a]',
  ]) {
    assert.throws(() => parseFq(bad), SolrSyntaxError, bad);
  }
  assert.throws(() => parseQ('{!func}x'), /Local parameters are not supported/);
  assert.match(
    (() => {
      try {
        parseFq('title:"x');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })(),
    /^Cannot parse 'title:"x': /,
  );
});

test('q without a colon is DisMax: no syntax errors, +/-, phrases, and CKAN’s minimum-should-match 2<-1 5<80%', () => {
  assert.equal(show(parseQ('eelarve')), '(?:eelarve mm=1)');
  assert.equal(show(parseQ('eelarve tartu')), '(?:eelarve ?:tartu mm=2)');
  assert.equal(show(parseQ('a b c')), '(?:a ?:b ?:c mm=2)');
  assert.equal(show(parseQ('a b c d e f g h i j')).endsWith('mm=8)'), true);
  assert.equal(show(parseQ('+kool -lasteaed "kaasav eelarve"')), '(+:kool -:lasteaed ?:"kaasav eelarve" mm=1)');
  assert.equal(show(parseDismax('"unbalanced quote')), '(?:unbalanced ?:quote mm=2)');
  assert.equal(show(parseQ('a AND b')), '(?:a ?:b mm=2)');
  assert.equal(show(parseQ('')), '*:*');
  assert.equal(show(parseQ('tags:x')), 'tags:x', 'a colon switches to the standard parser');
});

test('Solr dates and date math, in UTC', () => {
  const now = new Date('2026-03-29T01:30:00.250Z');
  const iso = (v: string) => solrDate(v, now).toISOString();
  assert.equal(iso('2020-01-01T00:00:00Z'), '2020-01-01T00:00:00.000Z');
  assert.equal(iso('2024-05-01T09:12:33.123456Z'), '2024-05-01T09:12:33.123Z');
  assert.equal(iso('NOW'), '2026-03-29T01:30:00.250Z');
  assert.equal(iso('NOW-1DAY'), '2026-03-28T01:30:00.250Z');
  assert.equal(iso('NOW/DAY'), '2026-03-29T00:00:00.000Z');
  assert.equal(iso('NOW-1DAY/DAY'), '2026-03-28T00:00:00.000Z');
  assert.equal(iso('NOW+2HOURS/HOUR'), '2026-03-29T03:00:00.000Z');
  assert.equal(
    iso('2020-01-31T00:00:00Z+1MONTH'),
    '2020-02-29T00:00:00.000Z',
    'clamped to the end of February, as Solr does',
  );
  assert.equal(iso('2024-02-29T12:00:00Z+1YEAR'), '2025-02-28T12:00:00.000Z');
  assert.equal(iso('NOW/YEAR'), '2026-01-01T00:00:00.000Z');
  for (const bad of [
    '2020-01-01',
    '2020-13-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    'yesterday',
    'NOW-1FORTNIGHT',
    'NOW-DAY',
    '2020-01-01T00:00:00',
  ])
    assert.throws(() => solrDate(bad, now), SolrSyntaxError, bad);
});
