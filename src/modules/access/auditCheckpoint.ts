import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import {
  loadAuditKeys,
  readLatestCheckpoint,
  signCheckpoint,
  writeCheckpoint,
  type Checkpoint,
} from '../../platform/audit/checkpoint';
import { auditChainHeads } from './store';

export const CHECKPOINT_JOB = 'access.audit-checkpoint';

/**
 * Signs the head of every audit chain and writes the checkpoint outside the database
 * (KOV_AUDIT_CHECKPOINT_DIR): on a schedule, and on demand with `kov audit checkpoint`.
 */
export async function checkpointAuditChains(ctx: AppContext): Promise<{ checkpoint: Checkpoint; file: string }> {
  const heads = await inScope(ctx.db, { tenant: '*' }, (trx) => auditChainHeads(trx));
  const checkpoint = signCheckpoint(loadAuditKeys(ctx.config.audit), heads, ctx.now());
  return { checkpoint, file: writeCheckpoint(ctx.config.audit.checkpointDir, checkpoint) };
}

/** The latest published checkpoint (public: chain heads only, no entry content). */
export function latestCheckpoint(ctx: AppContext): Checkpoint {
  const cp = readLatestCheckpoint(ctx.config.audit.checkpointDir);
  if (!cp) throw notFound('An audit checkpoint');
  return cp as Checkpoint;
}

/** The public key that checkpoints verify with (PEM, SPKI) and its id. */
export function checkpointPublicKey(ctx: AppContext): { keyId: string; publicKeyPem: string } {
  const keys = loadAuditKeys(ctx.config.audit);
  return { keyId: keys.keyId, publicKeyPem: keys.publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}
