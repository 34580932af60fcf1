import { useState, type ChangeEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, TextField, useLoad } from '../../components/ui';
import {
  collectShares,
  commitRound,
  confirmRound,
  dealRound,
  newSeed,
  verifyCommitment,
  type CeremonyShape,
  type CommitmentMessage,
  type SharesMessage,
} from '../../../../src/modules/verifiable/crypto/dkg';
import { createKeyFile, openKeyFile, type TrusteeKeyFile } from '../../../../src/modules/verifiable/crypto/keyfile';
import { partialDecrypt } from '../../../../src/modules/verifiable/crypto/decrypt';
import { decodePoint, mulSecret, G, type Point } from '../../../../src/modules/verifiable/crypto/group';
import { RecordVerifier } from '../../../../src/modules/verifiable/crypto/verify';
import type { ElectionRecord } from '../../../../src/modules/verifiable/crypto/record';
import { download, vvApi, vvPath, yieldToBrowser, type Election } from './api';
import { useVT } from './shared';

interface Ceremony {
  voteId: string;
  threshold: number;
  publicKey: string | null;
  trustees: {
    index: number;
    name: string;
    commitment: CommitmentMessage | null;
    deal: SharesMessage | null;
    publicShare: { publicShare: string } | null;
    complaint: unknown;
  }[];
}

/**
 * A trustee's part, all in this browser: the key file (a secret seed, optionally protected by a
 * passphrase) is made and read here and never sent anywhere; the server receives only the public
 * messages of each round and the partial decryptions of the tally.
 */
export function VerifiableTrustee() {
  const { t } = useVT();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const vote = useLoad((signal) => api<Election>(vvApi(code, id), { signal }), [code, id, session.me?.authenticated]);
  const ceremony = useLoad((signal) => api<Ceremony>(`${vvApi(code, id)}/ceremony`, { signal }), [code, id]);
  const [seed, setSeed] = useState<Uint8Array>();
  const [pendingFile, setPendingFile] = useState<TrusteeKeyFile>();
  const [saved, setSaved] = useState(false);
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [loadPass, setLoadPass] = useState('');
  const [fileText, setFileText] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string>();
  const [progress, setProgress] = useState<string>();

  const e = vote.data;
  const c = ceremony.data;
  if (!e || !c)
    return vote.error || ceremony.error ? <ErrorNotice error={vote.error ?? ceremony.error} /> : <Loading />;
  const me = e.trustees.find((x) => x.isMe);
  const reload = () => {
    vote.reload();
    ceremony.reload();
  };
  if (!me) {
    return (
      <Page title={t('trustee.title')}>
        <Notice kind="info">{session.me?.authenticated ? t('trustee.notTrustee') : t('trustee.login')}</Notice>
        <p>
          <Link to={vvPath(code, id)}>{t('trustee.back')}</Link>
        </p>
      </Page>
    );
  }
  const shape: CeremonyShape = { voteId: c.voteId, trustees: c.trustees.length, threshold: c.threshold };
  const mine = c.trustees.find((x) => x.index === me.index)!;
  const meta = {
    voteId: id,
    municipalityCode: code,
    trusteeIndex: me.index,
    trustees: c.trustees.length,
    threshold: c.threshold,
  };
  const fileName = `kov-trustee-key-${id.slice(0, 8)}-${me.index}.json`;

  async function run(f: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    await yieldToBrowser();
    try {
      await f();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  }

  const createKey = () =>
    run(async () => {
      if (pass !== pass2) throw new Error(t('trustee.passMismatch'));
      const s = newSeed();
      const file = await createKeyFile(meta, s, pass || undefined);
      download(fileName, JSON.stringify(file, null, 2));
      setSeed(s);
      setPendingFile(file);
      setPass('');
      setPass2('');
    });

  const publishCommitment = () =>
    run(async () => {
      await api(`${vvApi(code, id)}/ceremony/commitment`, {
        method: 'POST',
        body: commitRound(shape, me.index, seed!),
      });
      setMessage(t('trustee.committed'));
      reload();
    });

  const readFile = async (ev: ChangeEvent<HTMLInputElement>) => {
    const f = ev.target.files?.[0];
    setFileText(f ? await f.text() : undefined);
  };

  const loadKey = () =>
    run(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fileText ?? '');
      } catch {
        throw new Error(t('trustee.notAKeyFile'));
      }
      const opened = await openKeyFile(parsed, loadPass || undefined, { voteId: id, trusteeIndex: me.index });
      // The file must hold the key whose transport key this trustee published in round 1.
      if (mine.commitment && (parsed as TrusteeKeyFile).transportKey !== mine.commitment.transportKey)
        throw new Error(t('trustee.otherCeremony'));
      setSeed(opened.seed);
      setLoadPass('');
      setMessage(t('trustee.loaded'));
    });

  const decodedCommitments = () => c.trustees.map((x) => verifyCommitment(shape, x.commitment, `trustee ${x.index}`));

  const deal = () =>
    run(async () => {
      await api(`${vvApi(code, id)}/ceremony/deal`, {
        method: 'POST',
        body: dealRound(shape, me.index, seed!, decodedCommitments()),
      });
      setMessage(t('trustee.dealt'));
      reload();
    });

  const confirm = () =>
    run(async () => {
      const deals = c.trustees.map((x) => x.deal!);
      const out = collectShares(shape, me.index, seed!, decodedCommitments(), deals);
      if (!out.share) {
        const first = out.complaints[0]!;
        await api(`${vvApi(code, id)}/ceremony/confirmation`, {
          method: 'POST',
          body: { complaint: { against: first.against, reason: first.reason } },
        });
        setMessage(t('trustee.complained', { index: first.against }));
      } else {
        await api(`${vvApi(code, id)}/ceremony/confirmation`, {
          method: 'POST',
          body: { publicShare: confirmRound(id, me.index, out.share, deals) },
        });
        setMessage(t('trustee.confirmed'));
      }
      reload();
    });

  const decrypt = () =>
    run(async () => {
      // 1. Check the whole public bulletin board here, with the independent verifier: every ballot's
      //    proofs, the statuses (the last ballot of each slot counts) and that the tally is the
      //    product of the counted ballots — so nothing but that tally (never a single ballot) is
      //    ever decrypted with this share.
      setProgress(t('trustee.fetching'));
      const record = await api<ElectionRecord>(`${vvApi(code, id)}/record`);
      const verifier = new RecordVerifier();
      if (verifier.start(record)) {
        for (const [i, b] of record.ballots.entries()) {
          verifier.ballot(b, i);
          if (i % 10 === 9) {
            setProgress(t('trustee.recomputing', { done: i + 1, total: record.ballots.length }));
            await yieldToBrowser();
          }
        }
      }
      const verdict = verifier.finish();
      if (!verdict.valid || !record.tally)
        throw new Error(
          t('trustee.tallyMismatch', {
            problem: verdict.failures[0] ? `${verdict.failures[0].item}: ${verdict.failures[0].problem}` : '—',
          }),
        );
      // 2. My share, recomputed from my seed and the shares dealt to me; it must match my published public share.
      const deals = c.trustees.map((x) => x.deal!);
      const out = collectShares(shape, me.index, seed!, decodedCommitments(), deals);
      if (!out.share || !mulSecret(G, out.share).equals(decodePoint(mine.publicShare?.publicShare, 'public share')))
        throw new Error(t('trustee.shareMismatch'));
      setProgress(t('trustee.decrypting'));
      await yieldToBrowser();
      const alphas: Point[][] = record.tally.questions.map((q) =>
        q.choices.map((ch) => decodePoint(ch.alpha, 'alpha', { allowIdentity: true })),
      );
      await api(`${vvApi(code, id)}/decryptions`, {
        method: 'POST',
        body: partialDecrypt(id, me.index, out.share, alphas),
      });
      setMessage(
        t('trustee.decrypted', {
          counted: verdict.checked.counted,
          superseded: verdict.checked.superseded,
          cancelled: verdict.checked.cancelled,
        }),
      );
      reload();
    });

  const allCommitted = c.trustees.every((x) => x.commitment);
  const allDealt = c.trustees.every((x) => x.deal);
  const needKey = !seed;
  const task: 'create' | 'commit' | 'deal' | 'confirm' | 'decrypt' | 'wait' | 'done' =
    e.phase === 'ceremony' && !mine.commitment
      ? pendingFile
        ? 'commit'
        : 'create'
      : e.phase === 'ceremony' && allCommitted && !mine.deal
        ? 'deal'
        : e.phase === 'ceremony' && allDealt && !mine.publicShare && !mine.complaint
          ? 'confirm'
          : e.phase === 'tallied' && !me.decrypted
            ? 'decrypt'
            : e.phase === 'published' || (me.decrypted && e.phase !== 'ceremony')
              ? 'done'
              : 'wait';

  return (
    <Page title={t('trustee.title')} lead={t('trustee.lead')}>
      <p>
        <Link to={vvPath(code, id)}>{e.title}</Link>
      </p>
      <p>{t('trustee.youAre', { index: me.index, n: c.trustees.length, k: c.threshold })}</p>
      {e.ceremonyFailure ? <Notice kind="error">{e.ceremonyFailure}</Notice> : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? (
        error instanceof Error && !('status' in error) ? (
          <Notice kind="error">{error.message}</Notice>
        ) : (
          <ErrorNotice error={error} />
        )
      ) : null}
      {progress ? (
        <p role="status" className="vv-progress">
          {progress}
        </p>
      ) : null}

      {task === 'create' ? (
        <section aria-labelledby="vv-r1" className="vv-task">
          <h2 id="vv-r1">{t('trustee.round1')}</h2>
          <p>{t('trustee.createLead')}</p>
          <form className="form" onSubmit={(ev) => (ev.preventDefault(), void createKey())}>
            <TextField
              label={t('trustee.passphrase')}
              help={t('trustee.passphraseHelp')}
              type="password"
              autoComplete="new-password"
              value={pass}
              onChange={(ev) => setPass(ev.target.value)}
            />
            <TextField
              label={t('trustee.passphrase2')}
              type="password"
              autoComplete="new-password"
              value={pass2}
              onChange={(ev) => setPass2(ev.target.value)}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('trustee.createKey')}
            </button>
          </form>
        </section>
      ) : null}
      {task === 'commit' ? (
        <section aria-labelledby="vv-r1b" className="vv-task">
          <h2 id="vv-r1b">{t('trustee.round1')}</h2>
          <Notice kind="info">{t('trustee.fileSaved', { file: fileName })}</Notice>
          <p className="vv-actions">
            <button
              type="button"
              className="button-secondary"
              onClick={() => pendingFile && download(fileName, JSON.stringify(pendingFile, null, 2))}
            >
              {t('trustee.downloadAgain')}
            </button>
          </p>
          <label className="vv-check">
            <input type="checkbox" checked={saved} onChange={(ev) => setSaved(ev.target.checked)} />{' '}
            {t('trustee.iSaved')}
          </label>
          <p>
            <button type="button" className="button" disabled={busy || !saved} onClick={() => void publishCommitment()}>
              {t('trustee.publish1')}
            </button>
          </p>
        </section>
      ) : null}
      {(task === 'deal' || task === 'confirm' || task === 'decrypt') && needKey ? (
        <section aria-labelledby="vv-load" className="vv-task">
          <h2 id="vv-load">{t('trustee.loadTitle')}</h2>
          <p>{t('trustee.loadLead')}</p>
          <form className="form" onSubmit={(ev) => (ev.preventDefault(), void loadKey())}>
            <div className="field">
              <label htmlFor="vv-keyfile">{t('trustee.keyFile')}</label>
              <input id="vv-keyfile" type="file" accept="application/json,.json" onChange={(ev) => void readFile(ev)} />
            </div>
            <TextField
              label={t('trustee.passphraseIfAny')}
              type="password"
              autoComplete="current-password"
              value={loadPass}
              onChange={(ev) => setLoadPass(ev.target.value)}
            />
            <button type="submit" className="button" disabled={busy || !fileText}>
              {t('trustee.load')}
            </button>
          </form>
        </section>
      ) : null}
      {task === 'deal' && !needKey ? (
        <section aria-labelledby="vv-r2" className="vv-task">
          <h2 id="vv-r2">{t('trustee.round2')}</h2>
          <p>{t('trustee.dealLead')}</p>
          <button type="button" className="button" disabled={busy} onClick={() => void deal()}>
            {t('trustee.deal')}
          </button>
        </section>
      ) : null}
      {task === 'confirm' && !needKey ? (
        <section aria-labelledby="vv-r3" className="vv-task">
          <h2 id="vv-r3">{t('trustee.round3')}</h2>
          <p>{t('trustee.confirmLead')}</p>
          <button type="button" className="button" disabled={busy} onClick={() => void confirm()}>
            {t('trustee.confirm')}
          </button>
        </section>
      ) : null}
      {task === 'decrypt' && !needKey ? (
        <section aria-labelledby="vv-dec" className="vv-task">
          <h2 id="vv-dec">{t('trustee.decryptTitle')}</h2>
          <p>{t('trustee.decryptLead')}</p>
          <button type="button" className="button" disabled={busy} onClick={() => void decrypt()}>
            {t('trustee.decrypt')}
          </button>
        </section>
      ) : null}
      {task === 'wait' ? (
        <Notice kind="info">
          {t(
            e.phase === 'ceremony'
              ? 'trustee.waitOthers'
              : e.phase === 'ready' ||
                  e.phase === 'open' ||
                  e.phase === 'scheduled' ||
                  e.phase === 'closing' ||
                  e.phase === 'closed'
                ? 'trustee.waitVote'
                : 'trustee.waitOthers',
          )}
        </Notice>
      ) : null}
      {task === 'done' ? <Notice kind="success">{t('trustee.done')}</Notice> : null}
    </Page>
  );
}
