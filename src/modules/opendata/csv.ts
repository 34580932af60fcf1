import { parse } from 'csv-parse/sync';

/**
 * Checks a CSV file before anything is stored or published, and describes it (delimiter, header,
 * rows, column types as a Frictionless Table Schema). Problems are reported in words an official
 * can act on, with line numbers: not UTF-8 (with the likely encoding and how to re-save),
 * binary content, no header, empty or repeated column names, rows with too many or too few
 * fields, an unclosed quote.
 */
export type CsvFieldType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string';

export interface CsvInfo {
  encoding: 'utf-8';
  delimiter: string;
  /** Decimal separator of number columns ("," in files saved by Estonian Excel). */
  decimalChar: '.' | ',';
  header: string[];
  rowCount: number;
  /** Column names and types; automatic datasets also say what each column holds (`groupSize`, …) and its title. */
  fields: { name: string; type: CsvFieldType; kind?: string; title?: string }[];
}

export type CsvProblemCode =
  'encoding' | 'binary' | 'empty' | 'no-header' | 'empty-header' | 'duplicate-header' | 'ragged' | 'quotes';

export interface CsvProblem {
  code: CsvProblemCode;
  /** 1-based line of the file, when it points at one. */
  line?: number;
  detail: string;
  expected?: number;
  actual?: number;
}

export type CsvCheck = { ok: true; info: CsvInfo } | { ok: false; problems: CsvProblem[] };

const MAX_REPORTED = 20;

/** The byte offset of the first invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

function guessEncoding(buf: Buffer): string {
  // Estonian text saved by older Windows programs is usually Windows-1257 (Baltic) or -1252.
  const text = new TextDecoder('windows-1257').decode(buf);
  return /[õäöüšžÕÄÖÜŠŽ]/.test(text) ? 'Windows-1257 (Baltic)' : 'Windows-1252 or another 8-bit encoding';
}

function detectDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const d of candidates) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

export function inspectCsv(buf: Buffer): CsvCheck {
  if (buf.length === 0 || buf.toString('utf8').trim() === '')
    return { ok: false, problems: [{ code: 'empty', detail: 'The file is empty.' }] };
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    return {
      ok: false,
      problems: [
        {
          code: 'binary',
          line: lineAt(buf, nul),
          detail:
            'The file is not text (it contains binary data). Is it a spreadsheet (XLSX) named .csv? Save it as CSV and upload it again.',
        },
      ],
    };
  }
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const line = lineAt(buf, bad);
    return {
      ok: false,
      problems: [
        {
          code: 'encoding',
          line,
          detail: `The file is not in UTF-8: line ${line} has a character that is not valid UTF-8 (byte 0x${buf[bad]!.toString(16).toUpperCase().padStart(2, '0')}). It looks like ${guessEncoding(buf)}. Save it as "CSV UTF-8" (Excel) or choose the UTF-8 character set (LibreOffice) and upload it again.`,
        },
      ],
    };
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      relax_quotes: false,
    }) as never;
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    const line = e.lines;
    return {
      ok: false,
      problems: [
        {
          code: 'quotes',
          ...(line ? { line } : {}),
          detail: `The file cannot be read as CSV${line ? ` near line ${line}` : ''}: a quotation mark (") is not closed or a quoted value is followed by other text. Check that every value starting with " also ends with ".`,
        },
      ],
    };
  }
  if (records.length === 0) return { ok: false, problems: [{ code: 'empty', detail: 'The file has no rows.' }] };
  const header = records[0]!.record.map((h) => h.trim());
  const problems: CsvProblem[] = [];
  if (header.length < 1 || header.every((h) => h === ''))
    problems.push({ code: 'no-header', line: 1, detail: 'The first line must name the columns.' });
  header.forEach((h, i) => {
    if (h === '')
      problems.push({ code: 'empty-header', line: 1, detail: `Column ${i + 1} has no name in the first line.` });
  });
  const seen = new Set<string>();
  for (const h of header) {
    if (h && seen.has(h.toLowerCase()))
      problems.push({
        code: 'duplicate-header',
        line: 1,
        detail: `The column name "${h}" appears twice in the first line; each column needs its own name.`,
      });
    seen.add(h.toLowerCase());
  }
  let ragged = 0;
  for (const r of records.slice(1)) {
    if (r.record.length !== header.length) {
      ragged++;
      if (ragged <= MAX_REPORTED) {
        const line = r.info.lines;
        problems.push({
          code: 'ragged',
          line,
          expected: header.length,
          actual: r.record.length,
          detail: `Line ${line} has ${r.record.length} value${r.record.length === 1 ? '' : 's'} but the first line names ${header.length} columns.`,
        });
      }
    }
  }
  if (ragged > MAX_REPORTED)
    problems.push({
      code: 'ragged',
      detail: `…and ${ragged - MAX_REPORTED} more lines with the wrong number of values.`,
    });
  if (problems.length) return { ok: false, problems };

  const rows = records.slice(1).map((r) => r.record);
  const decimalChar = delimiter !== ',' && rows.some((r) => r.some((v) => /^-?\d+,\d+$/.test(v.trim()))) ? ',' : '.';
  const fields = header.map((name, i) => ({
    name,
    type: inferType(
      rows.map((r) => r[i] ?? ''),
      decimalChar,
    ),
  }));
  return { ok: true, info: { encoding: 'utf-8', delimiter, decimalChar, header, rowCount: rows.length, fields } };
}

function inferType(values: string[], decimalChar: '.' | ','): CsvFieldType {
  const vs = values.map((v) => v.trim()).filter((v) => v !== '');
  if (vs.length === 0) return 'string';
  const all = (re: RegExp) => vs.every((v) => re.test(v));
  if (all(/^-?\d{1,15}$/)) return 'integer';
  if (all(decimalChar === ',' ? /^-?\d+(,\d+)?$/ : /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)) return 'number';
  if (all(/^(true|false)$/i)) return 'boolean';
  if (all(/^\d{4}-\d{2}-\d{2}$/)) return 'date';
  if (all(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/)) return 'datetime';
  return 'string';
}

/** The header and the first `limit` rows of a checked CSV file (for the dataset page's preview). */
export function previewCsv(buf: Buffer, delimiter: string, limit = 20): { header: string[]; rows: string[][] } {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    to: limit + 1,
  }) as string[][];
  return { header: records[0] ?? [], rows: records.slice(1) };
}

/** Writes rows as RFC 4180 CSV (UTF-8, comma, CRLF; quotes where needed). */
export function toCsv(header: string[], rows: (string | number | boolean | null)[][]): string {
  const cell = (v: string | number | boolean | null) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
