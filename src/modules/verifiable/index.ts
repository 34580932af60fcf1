import type { KovModule } from '../../platform/module';
import { closeDueElections } from './manageElections';
import { verifiableRoutes } from './routes';
import { seedVerifiableDemo } from './seed';
import { VERIFIER_HELP, runVerifier } from './verifier/main';

/**
 * Verifiable voting: end-to-end verifiable secret ballots. Ballots are encrypted in the voter's
 * browser (exponential ElGamal on ristretto255 with zero-knowledge proofs), cast into the
 * participation module's ballot box, published on a bulletin board, tallied homomorphically and
 * decrypted by a committee of trustees whose key no single party ever holds; anyone re-checks
 * the election record with `kov verify`. See docs/verifiable-voting.md.
 */
export const verifiableModule: KovModule = {
  name: 'verifiable',
  description:
    'End-to-end verifiable secret ballots: trustees’ key ceremony, encrypted ballots with zero-knowledge proofs, cast-or-audit, public bulletin board, homomorphic tally, threshold decryption and the election record.',
  api: verifiableRoutes,
  jobs(ctx) {
    ctx.jobs.define('verifiable.close-due', async () => {
      const n = await closeDueElections(ctx);
      if (n) ctx.log.info({ closed: n }, 'closed verifiable votes whose closing time passed');
    });
    ctx.jobs.schedule('verifiable.close-due', '* * * * *');
  },
  seedDemo: seedVerifiableDemo,
  commands: [
    {
      name: 'verify',
      summary: 'Check a verifiable vote’s election record (proofs, tally, decryption, result)',
      help: VERIFIER_HELP,
      options: { json: { type: 'boolean' } },
      async run(io) {
        const args = [...io.positionals, ...(io.values.json ? ['--json'] : [])];
        return runVerifier(args, io.out, (l) => console.error(l));
      },
    },
  ],
};
