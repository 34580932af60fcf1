import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidUtf8, inspectCsv, previewCsv, toCsv } from './csv';

test('a good CSV is described: delimiter, header, rows, column types (Estonian Excel: ; and decimal comma)', () => {
  const r = inspectCsv(
    Buffer.from(
      '\uFEFFvald;elanikke;osakaal;kuupäev;aktiivne\nTartu;97000;12,5;2024-01-01;true\nElva;14000;2,25;2024-02-01;false\n',
    ),
  );
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.info.delimiter, ';');
  assert.equal(r.info.decimalChar, ',');
  assert.deepEqual(r.info.header, ['vald', 'elanikke', 'osakaal', 'kuupäev', 'aktiivne']);
  assert.equal(r.info.rowCount, 2);
  assert.deepEqual(
    r.info.fields.map((f) => f.type),
    ['string', 'integer', 'number', 'date', 'boolean'],
  );
});

test('not UTF-8: the line, the byte, the likely encoding and how to fix it', () => {
  const latin = Buffer.concat([
    Buffer.from('nimi,vald\nKool,'),
    Buffer.from([0x54, 0xf5, 0x6e, 0x75]),
    Buffer.from('\n'),
  ]); // "Tõnu" in Windows-1257
  const r = inspectCsv(latin);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.problems[0]!.code, 'encoding');
  assert.equal(r.problems[0]!.line, 2);
  assert.match(r.problems[0]!.detail, /not in UTF-8/);
  assert.match(r.problems[0]!.detail, /Windows-1257/);
  assert.match(r.problems[0]!.detail, /CSV UTF-8/);
  assert.equal(firstInvalidUtf8(Buffer.from('õäöü€😀')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0xe2, 0x82])), 0, 'a truncated sequence is invalid');
  assert.equal(firstInvalidUtf8(Buffer.from([0xc0, 0x80])), 0, 'an overlong encoding is invalid');
});

test('ragged rows: every line with the wrong number of values, with expected and actual counts', () => {
  const r = inspectCsv(Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n'));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.line, p.expected, p.actual]),
    [
      ['ragged', 3, 3, 2],
      ['ragged', 4, 3, 4],
    ],
  );
  const many = inspectCsv(Buffer.from('a,b\n' + '1\n'.repeat(30)));
  assert.ok(
    !many.ok && many.problems.length === 21 && /10 more lines/.test(many.problems[20]!.detail),
    'at most 20 lines listed, then a count',
  );
});

test('header problems, unclosed quotes, binary content and empty files are named', () => {
  const codes = (s: string | Buffer) => {
    const r = inspectCsv(Buffer.isBuffer(s) ? s : Buffer.from(s));
    return r.ok ? [] : r.problems.map((p) => p.code);
  };
  assert.deepEqual(codes('a,,c\n1,2,3\n'), ['empty-header']);
  assert.deepEqual(codes('a,b,A\n1,2,3\n'), ['duplicate-header']);
  assert.deepEqual(codes('a,b\n"1,2\n3,4\n'), ['quotes']);
  assert.deepEqual(codes(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), ['binary']);
  assert.deepEqual(codes(''), ['empty']);
  assert.deepEqual(codes('\n\n'), ['empty']);
});

test('toCsv quotes what needs quoting and previewCsv reads the first rows back', () => {
  const text = toCsv(
    ['a', 'b'],
    [
      ['x, y', 'say "hi"'],
      [1, null],
      [true, ' padded'],
    ],
  );
  assert.equal(text, 'a,b\r\n"x, y","say ""hi"""\r\n1,\r\ntrue," padded"\r\n');
  const p = previewCsv(Buffer.from(text), ',', 2);
  assert.deepEqual(p, {
    header: ['a', 'b'],
    rows: [
      ['x, y', 'say "hi"'],
      ['1', ''],
    ],
  });
});
