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
import { formatVerdict, verifyRecord } from '../crypto/verify';
import type { ElectionRecord } from '../crypto/record';

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
  let record: ElectionRecord;
  try {
    record = JSON.parse(readFileSync(files[0]!, 'utf8')) as ElectionRecord;
  } catch (e) {
    err(`kov verify: cannot read ${files[0]}: ${(e as Error).message}`);
    return 2;
  }
  const started = Date.now();
  let lastReport = started;
  const verdict = verifyRecord(record, {
    progress: (done, total) => {
      if (!json && total >= 1000 && Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        err(`  … ${done} of ${total} ballots checked`);
      }
    },
  });
  if (json) out(JSON.stringify(verdict, null, 2));
  else out(`${formatVerdict(verdict, record)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return verdict.valid ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runVerifier(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l));
}
