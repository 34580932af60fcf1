import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, useLoad } from '../../components/ui';
import { ReceiptActions } from '../../components/ReceiptActions';
import {
  checkAudit,
  encryptBallot,
  type ElectionParams,
  type EncryptedBallot,
} from '../../../../src/modules/verifiable/crypto/ballot';
import { groupHex, vvApi, vvPath, yieldToBrowser, type Election } from './api';
import { SelectionRule, useVT } from './shared';

interface SlotInfo {
  slot: string;
  params: ElectionParams | null;
  phase: string;
  eligible: boolean;
  reason: string | null;
  voted: boolean;
  channel: string | null;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'encrypted'; enc: EncryptedBallot; ms: number }
  | { kind: 'cast'; receipt: string; tracker: string; replaced: boolean }
  | { kind: 'audited'; tracker: string; selections: number[][] };

/**
 * Voting: the choices are encrypted in this browser (exponential ElGamal with zero-knowledge
 * proofs bound to this vote and the voter's ballot slot). The voter then casts the ballot, or
 * audits it instead (Benaloh challenge): the randomness is revealed, this page checks that the
 * ballot encrypts what was chosen, it is published on the board and never counted.
 */
export function VerifiableBallot() {
  const { t } = useVT();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const vote = useLoad((signal) => api<Election>(vvApi(code, id), { signal }), [code, id]);
  const slot = useLoad(
    (signal) =>
      session.me?.authenticated ? api<SlotInfo>(`${vvApi(code, id)}/my-slot`, { signal }) : Promise.resolve(undefined),
    [code, id, session.me?.authenticated],
  );
  const [selected, setSelected] = useState<number[][]>([]);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [choiceError, setChoiceError] = useState<string>();
  const statusRef = useRef<HTMLDivElement>(null);
  const e = vote.data;

  if (!session.me?.authenticated && !session.loading) {
    return (
      <Page title={e?.title ?? t('ballot.title')}>
        <Notice kind="info">
          {t('ballot.login')} <a href={session.loginUrl()}>{t('ballot.loginLink')}</a>
        </Notice>
      </Page>
    );
  }
  if (!e || !slot.data)
    return vote.error || slot.error ? <ErrorNotice error={vote.error ?? slot.error} /> : <Loading />;
  const info = slot.data;
  const sel = (qi: number) => selected[qi] ?? [];
  const toggle = (qi: number, ci: number, single: boolean) =>
    setSelected((s) => {
      const next = e.questions.map((_, i) => s[i] ?? []);
      const cur = next[qi]!;
      next[qi] = single ? [ci] : cur.includes(ci) ? cur.filter((x) => x !== ci) : [...cur, ci].sort((a, b) => a - b);
      return next;
    });
  const focusStatus = () => setTimeout(() => statusRef.current?.focus(), 0);

  async function encrypt(ev: FormEvent) {
    ev.preventDefault();
    setError(undefined);
    setChoiceError(undefined);
    const choice = e!.questions.map((_, qi) => sel(qi));
    const wrong = e!.questions.findIndex(
      (q, qi) => choice[qi]!.length < q.minSelections || choice[qi]!.length > q.maxSelections,
    );
    if (wrong >= 0) {
      setChoiceError(t('ballot.wrongCount', { n: wrong + 1 }));
      return;
    }
    setBusy(true);
    await yieldToBrowser();
    try {
      const t0 = performance.now();
      const enc = encryptBallot(info.params!, info.slot, choice);
      const ms = Math.round(performance.now() - t0);
      (window as unknown as { __kovEncryptMs?: number[] }).__kovEncryptMs = [
        ...((window as unknown as { __kovEncryptMs?: number[] }).__kovEncryptMs ?? []),
        ms,
      ];
      setStep({ kind: 'encrypted', enc, ms });
      focusStatus();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function cast() {
    if (step.kind !== 'encrypted') return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ receipt: string; tracker: string; replaced: boolean }>(`${vvApi(code, id)}/ballots`, {
        method: 'POST',
        body: { ballot: step.enc.ballot },
      });
      setStep({ kind: 'cast', ...r });
      slot.reload();
      focusStatus();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function audit() {
    if (step.kind !== 'encrypted') return;
    setBusy(true);
    setError(undefined);
    try {
      // This browser checks the ballot first: every ciphertext must be the encryption of the choice with the revealed randomness.
      const mine = checkAudit(info.params!, step.enc.ballot, step.enc.reveal);
      await api(`${vvApi(code, id)}/audits`, {
        method: 'POST',
        body: { ballot: step.enc.ballot, reveal: step.enc.reveal },
      });
      setStep({ kind: 'audited', tracker: mine.tracker, selections: mine.selections });
      focusStatus();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const labelsOf = (selections: number[][]) =>
    e.questions.map(
      (q, qi) =>
        `${q.title}: ${selections[qi]!.length ? selections[qi]!.map((ci) => q.choices[ci]!.label).join(', ') : t('ballot.nothing')}`,
    );

  return (
    <Page title={e.title} lead={t('ballot.lead')}>
      {info.phase !== 'open' ? <Notice kind="info">{t('ballot.notOpen')}</Notice> : null}
      {!info.eligible && info.phase === 'open' ? (
        <Notice kind="warning">{t('ballot.notEligible', { reason: t(`reason.${info.reason ?? 'unknown'}`) })}</Notice>
      ) : null}
      {info.voted && info.channel === 'paper' ? <Notice kind="info">{t('ballot.votedPaper')}</Notice> : null}
      {info.voted && info.channel === 'internet' && step.kind === 'choose' ? (
        <Notice kind="info">{t('ballot.votedBefore')}</Notice>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      <div ref={statusRef} tabIndex={-1} className="vv-step" aria-live="polite">
        {step.kind === 'encrypted' ? (
          <section aria-labelledby="vv-enc">
            <h2 id="vv-enc">{t('ballot.encryptedTitle')}</h2>
            <p>{t('ballot.encryptedLead', { ms: step.ms })}</p>
            <p>
              {t('ballot.tracker')}: <code className="vv-tracker">{groupHex(step.enc.tracker, 64)}</code>
            </p>
            <p className="help">{t('ballot.trackerHelp')}</p>
            <p className="vv-actions">
              <button type="button" className="button" disabled={busy} onClick={() => void cast()}>
                {t('ballot.cast')}
              </button>
              <button type="button" className="button-secondary" disabled={busy} onClick={() => void audit()}>
                {t('ballot.audit')}
              </button>
            </p>
            <p className="help">{t('ballot.auditHelp')}</p>
          </section>
        ) : null}
        {step.kind === 'cast' ? (
          <section aria-labelledby="vv-cast">
            <h2 id="vv-cast">{t('ballot.castTitle')}</h2>
            <Notice kind="success">{step.replaced ? t('ballot.castReplaced') : t('ballot.castDone')}</Notice>
            <dl className="facts">
              <dt>{t('ballot.receipt')}</dt>
              <dd>
                <code className="vv-receipt">{step.receipt}</code>
              </dd>
              <dt>{t('ballot.tracker')}</dt>
              <dd>
                <code className="vv-tracker">{groupHex(step.tracker, 64)}</code>
              </dd>
            </dl>
            <p className="help">{t('ballot.receiptHelp')}</p>
            <ReceiptActions
              code={step.receipt}
              fileName={`kviitung-${id}.txt`}
              text={`${e.title}\n${t('ballot.receipt')}: ${step.receipt}\n${t('ballot.tracker')}: ${step.tracker}\n${window.location.origin}${vvPath(code, id, 'tahvel')}\n`}
            />
            <p className="vv-links">
              <Link to={vvPath(code, id, 'tahvel')}>{t('ballot.seeBoard')}</Link>
              <button type="button" className="link-button" onClick={() => setStep({ kind: 'choose' })}>
                {t('ballot.voteAgain')}
              </button>
            </p>
          </section>
        ) : null}
        {step.kind === 'audited' ? (
          <section aria-labelledby="vv-audit">
            <h2 id="vv-audit">{t('ballot.auditTitle')}</h2>
            <Notice kind="success">{t('ballot.auditOk')}</Notice>
            <ul className="vv-audit-choices">
              {labelsOf(step.selections).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
            <p>
              {t('ballot.tracker')}: <code className="vv-tracker">{groupHex(step.tracker, 64)}</code>
            </p>
            <p className="help">{t('ballot.auditPublished')}</p>
            <button type="button" className="button" onClick={() => setStep({ kind: 'choose' })}>
              {t('ballot.encryptAgain')}
            </button>
          </section>
        ) : null}
      </div>
      {step.kind === 'choose' &&
      info.phase === 'open' &&
      info.eligible &&
      info.params &&
      !(info.voted && info.channel === 'paper') ? (
        <form className="form vv-ballot" onSubmit={(ev) => void encrypt(ev)}>
          {e.questions.map((q, qi) => {
            const single = q.maxSelections === 1 && q.minSelections === 1;
            return (
              <fieldset key={q.id} className="vv-fieldset">
                <legend>{q.title}</legend>
                <p className="help">
                  <SelectionRule q={q} />
                </p>
                {q.choices.map((c, ci) => (
                  <label key={c.id} className="vv-check">
                    <input
                      type={single ? 'radio' : 'checkbox'}
                      name={`q-${q.id}`}
                      checked={sel(qi).includes(ci)}
                      onChange={() => toggle(qi, ci, single)}
                    />{' '}
                    {c.label}
                  </label>
                ))}
              </fieldset>
            );
          })}
          {choiceError ? (
            <p className="field-error" role="alert">
              {choiceError}
            </p>
          ) : null}
          <p className="help">{t('ballot.encryptHelp')}</p>
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('ballot.encrypting') : t('ballot.encrypt')}
          </button>
        </form>
      ) : null}
    </Page>
  );
}
