import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, TableWrap, TextField, formatDate, useLoad } from '../../components/ui';
import { vvApi, vvPath, type Election } from './api';
import { Hex, PhaseBadge, SelectionRule, useVT } from './shared';

/** A verifiable vote: what is asked, where it stands, the officials' actions, the result. */
export function VerifiableVote() {
  const { t, i18n } = useVT();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const vote = useLoad((signal) => api<Election>(vvApi(code, id), { signal }), [code, id, session.me?.authenticated]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const e = vote.data;

  async function act(path: string, body?: unknown, done?: string) {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await api(`${vvApi(code, id)}/${path}`, { method: 'POST', body: body ?? {} });
      if (done) setMessage(done);
      vote.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (vote.loading && !e) return <Loading />;
  if (!e)
    return (
      <Page title={t('vote.title')}>
        {vote.error ? <ErrorNotice error={vote.error} onRetry={vote.reload} /> : null}
      </Page>
    );
  const me = e.trustees.find((x) => x.isMe);
  return (
    <Page title={e.title} lead={t(`kind.${e.kind}`)}>
      <p className="vv-status">
        <PhaseBadge phase={e.phase} />{' '}
        {t('vote.window', {
          opens: formatDate(e.opensAt, i18n.language, true),
          closes: formatDate(e.closesAt, i18n.language, true),
        })}
      </p>
      <p className="vv-links">
        {e.phase === 'open' ? (
          <Link className="button" to={vvPath(code, id, 'haaleta')}>
            {t('vote.goVote')}
          </Link>
        ) : null}
        {me ? <Link to={vvPath(code, id, 'usaldusisik')}>{t('vote.goTrustee', { index: me.index })}</Link> : null}
        {e.phase !== 'draft' ? <Link to={vvPath(code, id, 'tahvel')}>{t('vote.goBoard')}</Link> : null}
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}

      {e.result ? <Result e={e} /> : null}

      <h2>{t('vote.questions')}</h2>
      {e.questions.map((q) => (
        <section key={q.id} className="vv-question">
          <h3>{q.title}</h3>
          <p className="help">
            <SelectionRule q={q} />
          </p>
          <ul>
            {q.choices.map((c) => (
              <li key={c.id}>{c.label}</li>
            ))}
          </ul>
        </section>
      ))}

      <h2>{t('vote.committee')}</h2>
      <p>{t('vote.committeeLead', { n: e.trustees.length, k: e.threshold })}</p>
      {e.ceremonyFailure ? <Notice kind="error">{e.ceremonyFailure}</Notice> : null}
      <TableWrap label={t('vote.committee')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('vote.trustee')}</th>
              <th scope="col">{t('vote.round1')}</th>
              <th scope="col">{t('vote.round2')}</th>
              <th scope="col">{t('vote.round3')}</th>
              <th scope="col">{t('vote.decrypted')}</th>
            </tr>
          </thead>
          <tbody>
            {e.trustees.map((x) => (
              <tr key={x.index}>
                <th scope="row">
                  {x.index}. {x.name}
                </th>
                <td>{x.committed ? t('vote.yes') : t('vote.no')}</td>
                <td>{x.dealt ? t('vote.yes') : t('vote.no')}</td>
                <td>{x.confirmed ? t('vote.yes') : x.complained ? t('vote.complained') : t('vote.no')}</td>
                <td>{x.decrypted ? t('vote.yes') : t('vote.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {e.publicKey ? (
        <p>
          {t('vote.publicKey')}: <Hex value={e.publicKey} n={64} />
        </p>
      ) : null}

      {e.canManage ? <Manage e={e} busy={busy} act={act} /> : null}
    </Page>
  );
}

function Result({ e }: { e: Election }) {
  const { t } = useVT();
  const r = e.result!;
  return (
    <section aria-labelledby="vv-result" className="vv-result">
      <h2 id="vv-result">{t('vote.result')}</h2>
      <p>
        {t('vote.resultLead', {
          counted: e.tally?.ballotsCounted ?? 0,
          paper: e.paper?.ballots ?? 0,
          by: r.decryptedBy.join(', '),
        })}
      </p>
      {e.questions.map((q, qi) => (
        <TableWrap key={q.id} label={q.title}>
          <table>
            <caption>{q.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vote.choice')}</th>
                <th scope="col">{t('vote.encrypted')}</th>
                <th scope="col">{t('vote.paperCol')}</th>
                <th scope="col">{t('vote.total')}</th>
              </tr>
            </thead>
            <tbody>
              {q.choices.map((c, ci) => (
                <tr key={c.id}>
                  <th scope="row">{c.label}</th>
                  <td>{r.questions[qi]!.counts[ci]}</td>
                  <td>{e.paper?.questions[qi]?.counts[ci] ?? 0}</td>
                  <td>{r.totals[qi]!.counts[ci]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ))}
    </section>
  );
}

function Manage({
  e,
  busy,
  act,
}: {
  e: Election;
  busy: boolean;
  act: (path: string, body?: unknown, done?: string) => Promise<void>;
}) {
  const { t } = useVT();
  const [idCode, setIdCode] = useState('');
  const [paper, setPaper] = useState<number[][]>(() => e.questions.map(() => []));
  const [copies, setCopies] = useState('1');
  const code = e.municipalityCode;
  const toggle = (qi: number, ci: number) =>
    setPaper((p) =>
      p.map((sel, i) => (i !== qi ? sel : sel.includes(ci) ? sel.filter((x) => x !== ci) : [...sel, ci].sort())),
    );
  const submitPaperVoter = (ev: FormEvent) => {
    ev.preventDefault();
    void act('paper-voters', { idCode: idCode.trim() }, t('manage.paperVoterDone')).then(() => setIdCode(''));
  };
  const submitPaperBallots = (ev: FormEvent) => {
    ev.preventDefault();
    const n = Math.max(1, Math.min(10000, Number(copies) || 1));
    void act(
      'paper-ballots',
      { ballots: Array.from({ length: n }, () => ({ answers: paper })) },
      t('manage.paperBallotsDone', { count: n }),
    );
  };
  return (
    <section aria-labelledby="vv-manage" className="vv-manage">
      <h2 id="vv-manage">{t('manage.title')}</h2>
      {e.phase === 'draft' ? (
        <p className="vv-actions">
          <Link className="button-secondary" to={vvPath(code, e.id, 'muuda')}>
            {t('manage.edit')}
          </Link>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void act('ceremony/start', undefined, t('manage.started'))}
          >
            {t('manage.startCeremony')}
          </button>
        </p>
      ) : null}
      {e.phase === 'draft' ? <p className="help">{t('manage.startHelp')}</p> : null}
      {e.phase === 'ceremony' ? (
        <Notice kind="info">{t('manage.waitingTrustees', { round: e.ceremonyRound })}</Notice>
      ) : null}
      {e.phase === 'ceremony' || e.phase === 'ready' ? (
        <p className="vv-actions">
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => void act('ceremony/restart', { toDraft: false }, t('manage.restarted'))}
          >
            {t('manage.restart')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => void act('ceremony/restart', { toDraft: true }, t('manage.backToDraft'))}
          >
            {t('manage.toDraft')}
          </button>
        </p>
      ) : null}
      {e.phase === 'ready' ? (
        <p className="vv-actions">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void act('open', undefined, t('manage.opened'))}
          >
            {t('manage.open')}
          </button>
        </p>
      ) : null}
      {e.phase === 'open' || e.phase === 'scheduled' ? (
        <form className="form" onSubmit={submitPaperVoter}>
          <h3>{t('manage.paperVoter')}</h3>
          <p className="help">{t('manage.paperVoterHelp')}</p>
          <TextField
            label={t('manage.idCode')}
            value={idCode}
            inputMode="numeric"
            autoComplete="off"
            onChange={(ev) => setIdCode(ev.target.value)}
          />
          <button type="submit" className="button-secondary" disabled={busy || !idCode}>
            {t('manage.recordPaperVoter')}
          </button>
        </form>
      ) : null}
      {e.phase === 'closing' ? (
        <p className="vv-actions">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void act('close', undefined, t('manage.closed'))}
          >
            {t('manage.close')}
          </button>
        </p>
      ) : null}
      {e.phase === 'closed' ? (
        <>
          <form className="form" onSubmit={submitPaperBallots}>
            <h3>{t('manage.paperBallots')}</h3>
            <p className="help">{t('manage.paperBallotsHelp')}</p>
            {e.questions.map((q, qi) => (
              <fieldset key={q.id} className="vv-fieldset">
                <legend>{q.title}</legend>
                {q.choices.map((c, ci) => (
                  <label key={c.id} className="vv-check">
                    <input type="checkbox" checked={paper[qi]!.includes(ci)} onChange={() => toggle(qi, ci)} />{' '}
                    {c.label}
                  </label>
                ))}
              </fieldset>
            ))}
            <TextField
              label={t('manage.copies')}
              type="number"
              min={1}
              value={copies}
              onChange={(ev) => setCopies(ev.target.value)}
            />
            <button type="submit" className="button-secondary" disabled={busy}>
              {t('manage.addPaperBallots')}
            </button>
          </form>
          <p className="help">{t('manage.tallyHelp')}</p>
          <p className="vv-actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void act('tally', undefined, t('manage.tallied'))}
            >
              {t('manage.tally')}
            </button>
          </p>
        </>
      ) : null}
      {e.phase === 'tallied' ? <Notice kind="info">{t('manage.waitingDecryption', { k: e.threshold })}</Notice> : null}
    </section>
  );
}
