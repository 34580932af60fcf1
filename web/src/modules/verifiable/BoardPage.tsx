import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, TableWrap, TextField, useLoad } from '../../components/ui';
import { verifyRecord, type Verdict } from '../../../../src/modules/verifiable/crypto/verify';
import type { ElectionRecord } from '../../../../src/modules/verifiable/crypto/record';
import { vvApi, vvPath, yieldToBrowser, type Election } from './api';
import { Hex, PhaseBadge, useVT } from './shared';

interface Board {
  total: number;
  ballots: { slot: string; version: number; tracker: string; status: 'counted' | 'superseded' | 'cancelled' }[];
  audited: { tracker: string; selections: number[][] }[];
}
interface CeremonyView {
  trustees: {
    index: number;
    name: string;
    commitment: { transportKey: string; commitments: string[] } | null;
    publicShare: { publicShare: string } | null;
    decryption: { decryptions: { factor: string }[][] } | null;
  }[];
}

const PAGE = 100;

/**
 * The public bulletin board: parameters and keys, every cast ballot (slot pseudonym, version,
 * tracker, status — no identity), audited ballots, tally, decryptions and the result; the
 * election record to download, and a check of it in this browser.
 */
export function VerifiableBoard() {
  const { t } = useVT();
  const { code = '', id = '' } = useParams();
  const [offset, setOffset] = useState(0);
  const vote = useLoad((signal) => api<Election>(vvApi(code, id), { signal }), [code, id]);
  const board = useLoad(
    (signal) => api<Board>(`${vvApi(code, id)}/board?offset=${offset}&limit=${PAGE}`, { signal }),
    [code, id, offset],
  );
  const ceremony = useLoad((signal) => api<CeremonyView>(`${vvApi(code, id)}/ceremony`, { signal }), [code, id]);
  const [verdict, setVerdict] = useState<Verdict>();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>();
  const [receipt, setReceipt] = useState('');
  const [receiptAnswer, setReceiptAnswer] = useState<{ receipt: string; status: string; tracker: string | null }>();
  const e = vote.data;

  async function check() {
    setChecking(true);
    setError(undefined);
    setVerdict(undefined);
    try {
      const record = await api<ElectionRecord>(`${vvApi(code, id)}/record`);
      await yieldToBrowser();
      setVerdict(verifyRecord(record));
    } catch (err) {
      setError(err);
    } finally {
      setChecking(false);
    }
  }

  async function lookUp(ev: FormEvent) {
    ev.preventDefault();
    setError(undefined);
    try {
      setReceiptAnswer(await api(`${vvApi(code, id)}/receipts/${encodeURIComponent(receipt.trim())}`));
    } catch (err) {
      setError(err);
    }
  }

  if (!e) return vote.error ? <ErrorNotice error={vote.error} /> : <Loading />;
  const labels = (sel: number[][]) =>
    e.questions
      .map((q, qi) => (sel[qi] ?? []).map((ci) => q.choices[ci]?.label ?? ci).join(', ') || t('ballot.nothing'))
      .join(' · ');
  return (
    <Page title={t('board.title')} lead={t('board.lead')}>
      <p>
        <Link to={vvPath(code, id)}>{e.title}</Link> <PhaseBadge phase={e.phase} />
      </p>
      {error ? <ErrorNotice error={error} /> : null}

      <h2>{t('board.record')}</h2>
      <p>{t('board.recordLead')}</p>
      <p className="vv-actions">
        <a className="button-secondary" href={`${vvApi(code, id)}/record`} download={`election-record-${id}.json`}>
          {t('board.download')}
        </a>
        <button type="button" className="button" disabled={checking} onClick={() => void check()}>
          {checking ? t('board.checking') : t('board.check')}
        </button>
      </p>
      <p className="help">{t('board.cli')}</p>
      {verdict ? (
        <div aria-live="polite">
          {verdict.valid ? (
            <Notice kind="success">{t('board.valid')}</Notice>
          ) : (
            <Notice kind="error">{t('board.invalid', { count: verdict.failures.length })}</Notice>
          )}
          {verdict.failures.length ? (
            <ul className="vv-failures">
              {verdict.failures.map((f, i) => (
                <li key={i}>
                  <code>{f.item}</code>: {f.problem}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="help">
            {t('board.checked', {
              ballots: verdict.checked.ballots,
              audited: verdict.checked.audited,
              partials: verdict.checked.partialDecryptions,
            })}
          </p>
        </div>
      ) : null}

      <h2>{t('board.receiptTitle')}</h2>
      <form className="form vv-inline" onSubmit={(ev) => void lookUp(ev)}>
        <TextField
          label={t('board.receipt')}
          value={receipt}
          onChange={(ev) => setReceipt(ev.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="button-secondary" disabled={!receipt.trim()}>
          {t('board.lookUp')}
        </button>
      </form>
      {receiptAnswer ? (
        <p role="status">
          {t('board.receiptAnswer', { receipt: receiptAnswer.receipt, status: t(`status.${receiptAnswer.status}`) })}{' '}
          {receiptAnswer.tracker ? <Hex value={receiptAnswer.tracker} n={64} /> : null}
        </p>
      ) : null}

      <h2>{t('board.parameters')}</h2>
      <dl className="facts">
        <dt>{t('board.fingerprint')}</dt>
        <dd>
          <Hex value={e.fingerprint} n={64} />
        </dd>
        <dt>{t('board.publicKey')}</dt>
        <dd>
          <Hex value={e.publicKey} n={64} />
        </dd>
        <dt>{t('board.threshold')}</dt>
        <dd>{t('board.thresholdValue', { k: e.threshold, n: e.trustees.length })}</dd>
      </dl>
      {ceremony.data ? (
        <TableWrap label={t('board.trustees')}>
          <table>
            <caption>{t('board.trustees')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vote.trustee')}</th>
                <th scope="col">{t('board.transportKey')}</th>
                <th scope="col">{t('board.publicShare')}</th>
              </tr>
            </thead>
            <tbody>
              {ceremony.data.trustees.map((x) => (
                <tr key={x.index}>
                  <th scope="row">
                    {x.index}. {x.name}
                  </th>
                  <td>
                    <Hex value={x.commitment?.transportKey} />
                  </td>
                  <td>
                    <Hex value={x.publicShare?.publicShare} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}

      <h2>{t('board.ballots')}</h2>
      <p>
        {t('board.ballotsLead', {
          counted: e.board.counted,
          superseded: e.board.superseded,
          cancelled: e.board.cancelled,
        })}
      </p>
      {board.loading ? <Loading /> : null}
      {board.data && board.data.ballots.length ? (
        <>
          <TableWrap label={t('board.ballots')}>
            <table className="vv-board">
              <thead>
                <tr>
                  <th scope="col">{t('board.slot')}</th>
                  <th scope="col">{t('board.version')}</th>
                  <th scope="col">{t('board.tracker')}</th>
                  <th scope="col">{t('board.status')}</th>
                </tr>
              </thead>
              <tbody>
                {board.data.ballots.map((b) => (
                  <tr key={b.tracker}>
                    <td>
                      <Hex value={b.slot} n={12} />
                    </td>
                    <td>{b.version}</td>
                    <td>
                      <Hex value={b.tracker} n={24} />
                    </td>
                    <td>{t(`status.${b.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {board.data.total > PAGE ? (
            <p className="vv-actions">
              <button
                type="button"
                className="button-secondary small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                {t('board.previous')}
              </button>
              <span>
                {t('board.page', {
                  from: offset + 1,
                  to: Math.min(offset + PAGE, board.data.total),
                  total: board.data.total,
                })}
              </span>
              <button
                type="button"
                className="button-secondary small"
                disabled={offset + PAGE >= board.data.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                {t('board.next')}
              </button>
            </p>
          ) : null}
        </>
      ) : board.data ? (
        <p>{t('board.noBallots')}</p>
      ) : null}

      <h2>{t('board.audited')}</h2>
      <p className="help">{t('board.auditedLead')}</p>
      {board.data?.audited.length ? (
        <ul className="vv-audited">
          {board.data.audited.map((a) => (
            <li key={a.tracker}>
              <Hex value={a.tracker} n={24} />: {labels(a.selections)}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('board.noAudited')}</p>
      )}

      {e.tally ? (
        <>
          <h2>{t('board.tally')}</h2>
          <p>{t('board.tallyLead', { count: e.tally.ballotsCounted })}</p>
          <p>
            {e.result
              ? t('board.decryptedBy', { who: e.result.decryptedBy.join(', ') })
              : t('board.awaitingDecryption')}
          </p>
          {e.questions.map((q, qi) => {
            const decrypting = (ceremony.data?.trustees ?? []).filter((x) => x.decryption);
            return (
              <TableWrap key={q.id} label={q.title}>
                <table className="vv-board">
                  <caption>{q.title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('vote.choice')}</th>
                      <th scope="col">{t('board.tallyCiphertext')}</th>
                      {decrypting.map((x) => (
                        <th key={x.index} scope="col">
                          {t('board.factorOf', { index: x.index })}
                        </th>
                      ))}
                      <th scope="col">{t('vote.encrypted')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.choices.map((c, ci) => (
                      <tr key={c.id}>
                        <th scope="row">{c.label}</th>
                        <td>
                          <Hex value={e.tally!.questions[qi]?.choices[ci]?.alpha} n={12} />{' '}
                          <Hex value={e.tally!.questions[qi]?.choices[ci]?.beta} n={12} />
                        </td>
                        {decrypting.map((x) => (
                          <td key={x.index}>
                            <Hex value={x.decryption!.decryptions[qi]?.[ci]?.factor} n={12} />
                          </td>
                        ))}
                        <td>{e.result ? e.result.questions[qi]!.counts[ci] : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            );
          })}
          <p className="help">{t('board.tallyHelp')}</p>
        </>
      ) : null}
      {!e.tally && ['open', 'closing', 'scheduled'].includes(e.phase) ? (
        <Notice kind="info">{t('board.hidden')}</Notice>
      ) : null}
    </Page>
  );
}
