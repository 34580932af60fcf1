import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import {
  ConfirmDialog,
  ErrorNotice,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  TextField,
  fieldId,
  formErrors,
  formatDate,
  useLoad,
} from '../../components/ui';
import { langOf, UntranslatedMark, usePickText } from '../../components/LocalText';
import { votePath, votesApi, type MyVote, type Vote } from './api';
import { KindLabel, MunicipalityPicker, PhaseBadge, useManager, useP } from './shared';

function VoteItem({
  v,
  voted,
  level = 3,
}: {
  v: Pick<
    Vote,
    'id' | 'municipalityCode' | 'kind' | 'title' | 'phase' | 'opensAt' | 'closesAt' | 'proposalsCloseAt'
  > & { translations?: Vote['translations'] | undefined };
  voted?: boolean | undefined;
  level?: 3 | 4;
}) {
  const { t, i18n } = useP();
  const m = useMunicipality();
  const title = usePickText()(v.title, v.translations?.title);
  const when =
    v.phase === 'proposals' && v.proposalsCloseAt
      ? t('list.proposalsUntil', { at: formatDate(v.proposalsCloseAt, i18n.language, true) })
      : v.phase === 'open'
        ? t('list.openUntil', { at: formatDate(v.closesAt, i18n.language, true) })
        : v.phase === 'scheduled' || v.phase === 'review' || v.phase === 'draft'
          ? t('list.opensAt', { at: formatDate(v.opensAt, i18n.language, true) })
          : t('list.closedAt', { at: formatDate(v.closesAt, i18n.language, true) });
  const H = level === 4 ? 'h4' : 'h3';
  return (
    <li className="card pv-vote-card">
      <H>
        <Link to={votePath(v.municipalityCode, v.id)} lang={langOf(title)}>
          {title.text}
        </Link>
        <UntranslatedMark picked={title} />
      </H>
      <p>
        <KindLabel kind={v.kind} /> · {m.nameOf(v.municipalityCode)} · <PhaseBadge phase={v.phase} />
      </p>
      <p>{when}</p>
      {voted !== undefined ? (
        <p className={voted ? 'pv-voted' : ''}>
          {voted ? t('list.youVoted') : v.phase === 'open' ? t('list.notVotedYet') : ''}
        </p>
      ) : null}
    </li>
  );
}

function SubHeading({ level, children }: { level: 2 | 3; children: string }) {
  return level === 2 ? <h2>{children}</h2> : <h3>{children}</h3>;
}

/** "Votes I can take part in": every municipality's votes whose electorate includes me. */
export function MyVotesList() {
  const { t } = useP();
  const session = useSession();
  const mine = useLoad(
    (signal) =>
      session.me?.authenticated
        ? api<MyVote[]>('/api/v1/participation/my-votes', { signal })
        : Promise.resolve([] as MyVote[]),
    [session.me?.authenticated],
  );
  if (!session.me?.authenticated) return null;
  return (
    <section aria-labelledby="pv-mine-h">
      <h2 id="pv-mine-h">{t('list.mine')}</h2>
      {mine.loading ? <Loading /> : null}
      {mine.error ? <ErrorNotice error={mine.error} onRetry={mine.reload} /> : null}
      {mine.data && mine.data.length === 0 ? <p>{t('list.mineNone')}</p> : null}
      {mine.data?.length ? (
        <ul className="cards">
          {mine.data.map((v) => (
            <VoteItem key={v.id} v={v} voted={v.voted} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** /haaletused: my votes, and the votes of the chosen municipality. */
export function VotesIndex() {
  const { t } = useP();
  const session = useSession();
  const m = useMunicipality();
  return (
    <Page title={t('list.title')} lead={t('list.lead')}>
      {!session.me?.authenticated && !session.loading ? (
        <p>
          <a className="button" href={session.loginUrl()}>
            {t('list.loginToSee')}
          </a>
        </p>
      ) : null}
      <MyVotesList />
      <h2>{t('list.byMunicipality')}</h2>
      <MunicipalityPicker code={m.selected} to={(c) => `/haaletused/${c}`} />
      {m.selected ? <MunicipalityVoteList code={m.selected} level={3} /> : null}
    </Page>
  );
}

function MunicipalityVoteList({ code, level }: { code: string; level: 2 | 3 }) {
  const { t } = useP();
  const session = useSession();
  const votes = useLoad((signal) => api<Vote[]>(votesApi(code), { signal }), [code, session.me?.authenticated]);
  const current = (votes.data ?? []).filter((v) =>
    ['proposals', 'review', 'scheduled', 'open', 'draft'].includes(v.phase),
  );
  const past = (votes.data ?? []).filter((v) => ['closed', 'published'].includes(v.phase));
  return (
    <>
      {votes.loading ? <Loading /> : null}
      {votes.error ? <ErrorNotice error={votes.error} onRetry={votes.reload} /> : null}
      <SubHeading level={level}>{t('list.current')}</SubHeading>
      {votes.data && current.length === 0 ? <p>{t('list.none')}</p> : null}
      <ul className="cards">
        {current.map((v) => (
          <VoteItem key={v.id} v={v} level={level === 2 ? 3 : 4} />
        ))}
      </ul>
      {past.length ? (
        <>
          <SubHeading level={level}>{t('list.past')}</SubHeading>
          <ul className="cards">
            {past.map((v) => (
              <VoteItem key={v.id} v={v} level={level === 2 ? 3 : 4} />
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** /haaletused/:code: a municipality's votes; officials also create new ones here. */
export function MunicipalityVotes() {
  const { t } = useP();
  const { code = '' } = useParams();
  const m = useMunicipality();
  const manager = useManager(code);
  const admin = useSession()
    .municipalitiesWith(['admin'])
    .some((x) => x === code || x === '*');
  return (
    <Page title={t('list.titleOf', { name: m.nameOf(code) })} lead={t('list.lead')}>
      <MunicipalityPicker code={code} to={(c) => `/haaletused/${c}`} />
      {manager ? (
        <nav aria-label={t('list.newVote')} className="pv-actions">
          <Link className="button" to={`/haaletused/${code}/uus?liik=poll`}>
            {t('list.newPoll')}
          </Link>
          <Link className="button-secondary" to={`/haaletused/${code}/uus?liik=budget`}>
            {t('list.newBudget')}
          </Link>
          <Link className="button-secondary" to={`/haaletused/${code}/uus?liik=elder`}>
            {t('list.newElder')}
          </Link>
          <Link className="button-secondary" to={`/haaletused/${code}/pabulib`}>
            {t('pb.import.link')}
          </Link>
        </nav>
      ) : null}
      <MunicipalityVoteList code={code} level={2} />
      {admin ? <BallotRetention code={code} /> : null}
    </Page>
  );
}

/**
 * How long sealed ballots are kept after the results are final (admins set it; ballotBox's
 * ballot-retention API). Shortening it means ballots are destroyed sooner and for good (crypto-
 * shredding), so the change asks first, saying what will happen.
 */
function BallotRetention({ code }: { code: string }) {
  const { t } = useP();
  const current = useLoad(
    (signal) =>
      api<{ days: number; defaultDays: number }>(`/api/v1/municipalities/${code}/ballot-retention`, { signal }),
    [code],
  );
  const [days, setDays] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) setDays(String(current.data.days));
  }, [current.data]);
  const wanted = Number(days);
  const valid = /^\d+$/.test(days.trim()) && wanted <= 3650;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (!valid) {
      setError(formErrors([{ pointer: '/body/days', detail: t('retention.invalid') }]));
      return;
    }
    setError(undefined);
    setAsking(true);
  };
  const save = async () => {
    setBusy(true);
    try {
      await api(`/api/v1/municipalities/${code}/ballot-retention`, { method: 'PUT', body: { days: wanted } });
      setAsking(false);
      setSaved(true);
      current.reload();
    } catch (err) {
      setAsking(false);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (current.error || !current.data) return null;
  return (
    <section aria-labelledby="pv-retention-h">
      <h2 id="pv-retention-h">{t('retention.title')}</h2>
      <p className="help">{t('retention.help', { count: current.data.days, default: current.data.defaultDays })}</p>
      {saved ? <Notice kind="success">{t('retention.saved')}</Notice> : null}
      <form className="form" noValidate onSubmit={submit}>
        <ErrorSummary error={error} labels={{ '/body/days': t('retention.days') }} ns="participation" />
        <TextField
          label={t('retention.days')}
          id={fieldId('/body/days')}
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={error instanceof ApiError ? error.fieldError('/body/days') : undefined}
        />
        <button type="submit" className="button-secondary" disabled={busy}>
          {t('retention.save')}
        </button>
      </form>
      <ConfirmDialog
        open={asking}
        title={t('retention.confirmTitle', { count: wanted })}
        confirmLabel={t('retention.confirm')}
        busy={busy}
        onCancel={() => setAsking(false)}
        onConfirm={() => void save()}
      >
        <p>{wanted === 0 ? t('retention.consequenceNow') : t('retention.consequence', { count: wanted })}</p>
      </ConfirmDialog>
    </section>
  );
}
