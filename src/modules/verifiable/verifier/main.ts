/**
 * The independent verifier of an election record:
 *
 *   npx tsx src/modules/verifiable/verifier/main.ts RECORD.json [--json]
 *   kov verify RECORD.json [--json]          (the same, through the operators' command line)
 *
 * It imports nothing of the server: only the crypto folder (group, proofs, ballot format, record
 * format, verification), which is pure TypeScript on @noble/curves and @noble/hashes. Exit code 0
 * when the record is valid, 1 when any check fails, 2 on usage errors or an unreadable file.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { RecordVerifier, formatVerdict, type RecordHead } from '../crypto/verify';
import type { ElectionRecord, RecordBallot } from '../crypto/record';

/**
 * Reads a record of any size: the file is scanned as bytes, every top-level value but `ballots`
 * is parsed into the head, and the ballots are parsed and handed over one at a time, so a
 * 100,000-ballot record (about 0.9 GB) never becomes one JavaScript string.
 */
export function readRecord(buf: Buffer): { head: RecordHead; ballots: () => Generator<RecordBallot> } {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`not valid JSON at byte ${pos}: ${what}`);
  };
  const ws = () => {
    while (pos < buf.length && (buf[pos] === 0x20 || buf[pos] === 0x0a || buf[pos] === 0x0d || buf[pos] === 0x09))
      pos++;
  };
  const expect = (ch: number) => {
    ws();
    if (buf[pos] !== ch) fail(`expected "${String.fromCharCode(ch)}"`);
    pos++;
  };
  // Moves pos past one JSON value (strings and nesting aware); the value is validated when parsed.
  const skipValue = () => {
    ws();
    const c = buf[pos];
    if (c === 0x22) {
      pos++;
      while (pos < buf.length && buf[pos] !== 0x22) pos += buf[pos] === 0x5c ? 2 : 1;
      if (pos >= buf.length) fail('unterminated string');
      pos++;
      return;
    }
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      while (pos < buf.length) {
        const d = buf[pos]!;
        if (d === 0x22) {
          skipValue();
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) {
            pos++;
            return;
          }
        }
        pos++;
      }
      fail('unterminated object or array');
    }
    while (pos < buf.length && ![0x2c, 0x7d, 0x5d, 0x20, 0x0a, 0x0d, 0x09].includes(buf[pos]!)) pos++;
  };
  const parse = (start: number, end: number): unknown => {
    try {
      return JSON.parse(buf.toString('utf8', start, end));
    } catch (e) {
      pos = start;
      return fail((e as Error).message);
    }
  };
  const values = new Map<string, { start: number; end: number }>();
  expect(0x7b);
  ws();
  if (buf[pos] === 0x7d) pos++;
  else
    for (;;) {
      ws();
      const ks = pos;
      skipValue();
      const key = parse(ks, pos);
      if (typeof key !== 'string') fail('expected a key');
      expect(0x3a);
      ws();
      const vs = pos;
      skipValue();
      values.set(key as string, { start: vs, end: pos });
      ws();
      if (buf[pos] === 0x2c) {
        pos++;
        continue;
      }
      expect(0x7d);
      break;
    }
  ws();
  if (pos !== buf.length) fail('text after the record');
  const head: Record<string, unknown> = {};
  for (const [k, v] of values) if (k !== 'ballots') head[k] = parse(v.start, v.end);
  const range = values.get('ballots');
  return {
    head: head as RecordHead,
    *ballots() {
      if (!range) return;
      pos = range.start;
      expect(0x5b);
      ws();
      if (buf[pos] === 0x5d) return;
      for (;;) {
        ws();
        const s = pos;
        skipValue();
        yield parse(s, pos) as RecordBallot;
        ws();
        if (buf[pos] === 0x2c) {
          pos++;
          continue;
        }
        expect(0x5d);
        return;
      }
    },
  };
}

export const VERIFIER_HELP = `Usage: kov verify RECORD.json [--json]

Re-checks a verifiable vote's election record (the JSON exported from the public bulletin
board): the trustees' key ceremony, every ballot's zero-knowledge proofs, the ballot statuses,
audited ballots, the homomorphic tally, every partial decryption proof and the announced result.
Prints VALID or INVALID with every failing item named by its place in the record.

Options:
  --json   print the verdict as JSON instead of text

Exit code: 0 valid, 1 invalid, 2 the file cannot be read.`;

export function runVerifier(args: string[], out: (line: string) => void, err: (line: string) => void): number {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (args.includes('--help') || args.includes('-h')) {
    out(VERIFIER_HELP);
    return 0;
  }
  if (files.length !== 1 || args.some((a) => a.startsWith('--') && a !== '--json')) {
    err(VERIFIER_HELP);
    return 2;
  }
  let buf: Buffer;
  let parsed: ReturnType<typeof readRecord>;
  try {
    buf = readFileSync(files[0]!);
    parsed = readRecord(buf);
  } catch (e) {
    err(`kov verify: cannot read ${files[0]}: ${(e as Error).message}`);
    return 2;
  }
  const started = Date.now();
  let lastReport = started;
  const verifier = new RecordVerifier();
  let i = 0;
  try {
    if (verifier.start(parsed.head)) {
      for (const b of parsed.ballots()) {
        verifier.ballot(b, i++);
        if (!json && Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          err(`  … ${i} ballots checked`);
        }
      }
    }
  } catch (e) {
    err(`kov verify: cannot read ${files[0]}: ${(e as Error).message}`);
    return 2;
  }
  const verdict = verifier.finish();
  const record = parsed.head as ElectionRecord;
  if (json) out(JSON.stringify(verdict, null, 2));
  else out(`${formatVerdict(verdict, record)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return verdict.valid ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runVerifier(
    process.argv.slice(2),
    (l) => console.log(l),
    (l) => console.error(l),
  );
}
