import type { CliCommand } from '../../cli/command';
import { masterKeyUse, rekey, shredDueKeys } from './retention';

export const ballotBoxCommands: CliCommand[] = [
  {
    name: 'ballots keys',
    summary: 'Which ballot master keys wrap live data keys, and which can be retired',
    help: `Usage: kov ballots keys

Lists the master keys (by their id, never the key) that wrap the data keys of ballot boxes whose
ballots can still be opened, and the keys of the keyring that wrap none: those can be removed
from KOV_BALLOT_MASTER_KEYS / KOV_BALLOT_KEY_FILE once the backups made while they were in use
have expired (docs/configuration.md, "Ballot master keys").`,
    async run(io) {
      const { ctx, close } = await io.openContext();
      try {
        const { used, unused } = await masterKeyUse(ctx);
        for (const u of used)
          io.out(
            `${u.keyId}  ${u.boxes} box(es)${u.current ? '  (newest: wraps new data keys)' : ''}${u.inKeyring ? '' : '  MISSING from the keyring'}`,
          );
        if (used.length === 0) io.out('no live data key');
        for (const id of unused) io.out(`${id}  wraps no live data key: can be retired`);
        return used.some((u) => !u.inKeyring) ? 1 : 0;
      } finally {
        await close();
      }
    },
  },
  {
    name: 'ballots rekey',
    summary: 'Re-wrap every live ballot data key under the newest master key',
    help: `Usage: kov ballots rekey

Put the new master key first in the keyring (keeping the old ones after it), run this, and the
old keys wrap nothing live any more (kov ballots keys). Removing an old key then also destroys,
in every backup and WAL archive made before, the data keys of ballots already destroyed.`,
    async run(io) {
      const { ctx, close } = await io.openContext();
      try {
        const r = await rekey(ctx);
        io.out(`re-wrapped ${r.rewrapped} data key(s) under the newest master key`);
        return 0;
      } finally {
        await close();
      }
    },
  },
  {
    name: 'ballots shred',
    summary: 'Destroy the data keys of ballot boxes whose retention period has passed (also daily)',
    help: `Usage: kov ballots shred

Counts each due box if needed, then destroys its data key (audited). The platform does this every
hour by itself; the command is for operators who want it now.`,
    async run(io) {
      const { ctx, close } = await io.openContext();
      try {
        io.out(`destroyed the data keys of ${await shredDueKeys(ctx)} ballot box(es)`);
        return 0;
      } finally {
        await close();
      }
    },
  },
];
