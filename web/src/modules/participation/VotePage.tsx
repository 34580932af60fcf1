import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, earlyData } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import { MapView, type MapMarker } from '../../components/MapView';
import { ReceiptActions } from '../../components/ReceiptActions';
import { LocalBlock, LocalText, UntranslatedNotice, langOf, usePickText } from '../../components/LocalText';
import { ErrorNotice, Loading, Notice, Page, TextArea, TextField, formatDate, useLoad } from '../../components/ui';
import { Ballot, AnswerSummary } from './Ballot';
import { ResultsView } from './Results';
import {
  voteApi,
  votePath,
  type Answer,
  type Candidate,
  type CastResult,
  type Idea,
  type MyStatus,
  type Results,
  type Vote,
} from './api';
import { KindLabel, PhaseBadge, euros, useFollower, useManager, useP } from './shared';

/** A step heading that takes focus when it appears (screen readers announce the new step). */
function StepHeading({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} tabIndex={-1} className="pv-step-heading">
      {children}
    </h2>
  );
}

/** /haaletused/:code/:id — the vote page for residents (and its public information). */
export function VotePage() {
  const { t, i18n } = useP();
  const pick = usePickText();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const m = useMunicipality();
  const manager = useManager(code);
  const follower = useFollower(code);
  // The first view has asked for the vote early (the route's `prefetch`, index.tsx): painted with it.
  const vote = useLoad(
    (signal) => api<Vote>(voteApi(code, id), { signal }),
    [code, id, session.me?.authenticated],
    () => earlyData<Vote>(voteApi(code, id)),
  );
  const v = vote.data;
  const me = useLoad(
    (signal) =>
      session.me?.authenticated && v && v.phase !== 'draft'
        ? api<MyStatus>(`${voteApi(code, id)}/me`, { signal })
        : Promise.resolve(undefined),
    [code, id, session.me?.authenticated, v?.phase],
  );
  const ideas = useLoad(
    (signal) =>
      v?.kind === 'budget' ? api<Idea[]>(`${voteApi(code, id)}/ideas`, { signal }) : Promise.resolve([] as Idea[]),
    [code, id, v?.kind],
  );
  const candidates = useLoad(
    (signal) =>
      v?.kind === 'elder'
        ? api<Candidate[]>(`${voteApi(code, id)}/candidates`, { signal })
        : Promise.resolve([] as Candidate[]),
    [code, id, v?.kind, session.me?.authenticated],
  );
  const showResults = v && (v.phase === 'published' || (v.phase === 'closed' && follower));
  const results = useLoad(
    (signal) => (showResults ? api<Results>(`${voteApi(code, id)}/results`, { signal }) : Promise.resolve(undefined)),
    [code, id, showResults],
  );
  if (vote.loading && !v) return <Loading />;
  if (vote.error || !v)
    return <Page title={t('vote.notFound')}>{vote.error ? <ErrorNotice error={vote.error} /> : null}</Page>;
  const lang = i18n.language;
  const title = pick(v.title, v.translations.title);
  const description = pick(v.description, v.translations.description);
  return (
    <Page
      title={title.text}
      titleLang={langOf(title)}
      lead={description.text ? <span lang={langOf(description)}>{description.text}</span> : undefined}
    >
      <UntranslatedNotice picked={[title, description.text ? description : undefined]} />
      <dl className="facts">
        <dt>{t('vote.kind')}</dt>
        <dd>
          <KindLabel kind={v.kind} /> · {m.nameOf(v.municipalityCode)}
        </dd>
        <dt>{t('vote.phase')}</dt>
        <dd>
          <PhaseBadge phase={v.phase} />
        </dd>
        {v.proposalsCloseAt ? (
          <>
            <dt>{v.kind === 'budget' ? t('vote.ideasUntil') : t('vote.nominationsUntil')}</dt>
            <dd>{formatDate(v.proposalsCloseAt, lang, true)}</dd>
          </>
        ) : null}
        <dt>{t('vote.votingTime')}</dt>
        <dd>
          {formatDate(v.opensAt, lang, true)} – {formatDate(v.closesAt, lang, true)}
        </dd>
        {v.kind === 'budget' && v.rules.budget ? (
          <>
            <dt>{t('vote.budget')}</dt>
            <dd>{v.rules.budget.districts.map((d) => `${d.name}: ${euros(d.budgetCents, lang)}`).join('; ')}</dd>
          </>
        ) : null}
      </dl>
      {manager || follower ? (
        <p>
          <Link to={`${votePath(code, id)}/haldus`}>{t('vote.manage')}</Link>
        </p>
      ) : null}

      {v.phase === 'open' ? (
        <VotingBlock
          vote={v}
          status={me.data}
          statusError={me.error}
          ideas={ideas.data ?? []}
          candidates={candidates.data ?? []}
          onVoted={me.reload}
        />
      ) : null}
      {v.phase === 'scheduled' || v.phase === 'review' ? (
        <Notice kind="info">{t('vote.opensAt', { at: formatDate(v.opensAt, lang, true) })}</Notice>
      ) : null}
      {v.phase === 'closed' ? <Notice kind="info">{t('vote.closedNotPublished')}</Notice> : null}
      {results.data ? <ResultsView vote={v} results={results.data} /> : null}
      {results.error && showResults ? <ErrorNotice error={results.error} /> : null}

      {v.kind === 'elder' ? (
        <CandidatesSection vote={v} candidates={candidates.data ?? []} reload={candidates.reload} />
      ) : null}
      {v.kind === 'budget' ? <IdeasSection vote={v} ideas={ideas.data ?? []} /> : null}
      {['open', 'closed', 'published'].includes(v.phase) ? <ReceiptCheck vote={v} /> : null}
    </Page>
  );
}

const REASONS = [
  'not-resident',
  'wrong-settlement',
  'under-age',
  'over-age',
  'not-on-list',
  'excluded',
  'no-electorate',
  'not-ready',
];

function VotingBlock({
  vote,
  status,
  statusError,
  ideas,
  candidates,
  onVoted,
}: {
  vote: Vote;
  status: MyStatus | undefined;
  statusError: unknown;
  ideas: Idea[];
  candidates: Candidate[];
  onVoted(): void;
}) {
  const { t, i18n } = useP();
  const session = useSession();
  const [step, setStep] = useState<'start' | 'form' | 'confirm' | 'done'>('start');
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [receipt, setReceipt] = useState<CastResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!session.me?.authenticated) {
    return (
      <section className="pv-voting" aria-labelledby="pv-vote-h">
        <h2 id="pv-vote-h">{t('vote.voteHeading')}</h2>
        <p>{t('vote.loginToVote')}</p>
        <a className="button" href={session.loginUrl()}>
          {t('vote.login')}
        </a>
      </section>
    );
  }
  if (statusError) return <ErrorNotice error={statusError} />;
  if (!status) return <Loading />;
  if (!status.eligible && !status.voted) {
    const reason = status.reason && REASONS.includes(status.reason) ? status.reason : 'other';
    return (
      <section className="pv-voting" aria-labelledby="pv-vote-h">
        <h2 id="pv-vote-h">{t('vote.voteHeading')}</h2>
        <Notice kind="warning">{t(`reason.${reason}`)}</Notice>
      </section>
    );
  }
  if (status.channel === 'paper') {
    return (
      <section className="pv-voting" aria-labelledby="pv-vote-h">
        <h2 id="pv-vote-h">{t('vote.voteHeading')}</h2>
        <Notice kind="info">{t('vote.votedOnPaper')}</Notice>
      </section>
    );
  }
  const cast = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<CastResult>(`${voteApi(vote.municipalityCode, vote.id)}/ballots`, {
        method: 'POST',
        body: { answers },
      });
      setReceipt(r);
      setStep('done');
      onVoted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const current = step === 'start' ? (status.voted ? 'voted' : 'form') : step;
  return (
    <section className="pv-voting" aria-labelledby="pv-vote-h">
      <h2 id="pv-vote-h" className={current === 'form' || current === 'voted' ? '' : 'visually-hidden'}>
        {t('vote.voteHeading')}
      </h2>
      {current === 'voted' ? (
        <>
          <Notice kind="success">
            {t('vote.alreadyVoted', { at: formatDate(status.firstVotedAt!, i18n.language, true) })}
          </Notice>
          <p>{t('vote.changeExplained', { at: formatDate(vote.closesAt, i18n.language, true) })}</p>
          <button type="button" className="button-secondary" onClick={() => setStep('form')}>
            {t('vote.change')}
          </button>
        </>
      ) : null}
      {current === 'form' ? (
        <>
          {status.voted ? <Notice kind="info">{t('vote.changing')}</Notice> : null}
          <Ballot
            vote={vote}
            settlementCode={status.settlementCode}
            ideas={ideas}
            candidates={candidates}
            initial={answers}
            onReview={(a) => {
              setAnswers(a);
              setStep('confirm');
            }}
          />
        </>
      ) : null}
      {current === 'confirm' ? (
        <div className="pv-confirm">
          <StepHeading>{t('vote.confirmHeading')}</StepHeading>
          <p>{t('vote.confirmLead')}</p>
          <AnswerSummary vote={vote} answers={answers} />
          {error ? <ErrorNotice error={error} /> : null}
          <div className="pv-actions">
            <button type="button" className="button" disabled={busy} onClick={() => void cast()}>
              {t('vote.confirm')}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => setStep('form')}>
              {t('vote.back')}
            </button>
          </div>
        </div>
      ) : null}
      {current === 'done' && receipt ? (
        <div className="pv-receipt">
          <StepHeading>{t('vote.receivedHeading')}</StepHeading>
          <Notice kind="success">{receipt.replaced ? t('vote.replaced') : t('vote.received')}</Notice>
          <p>{t('vote.receiptIs')}</p>
          <p className="pv-receipt-code">
            <code data-testid="receipt">{receipt.receipt}</code>
          </p>
          <p className="help">{t('vote.receiptExplained')}</p>
          <ReceiptActions
            code={receipt.receipt}
            fileName={`kviitung-${vote.id}.txt`}
            text={`${vote.title}\n${t('vote.receiptIs')} ${receipt.receipt}\n${window.location.origin}${votePath(vote.municipalityCode, vote.id)}\n`}
          />
          <ul className="next-steps">
            <li>
              <Link to={`/haaletused/${vote.municipalityCode}`}>{t('vote.toAllVotes')}</Link>
            </li>
            <li>
              <Link to="/minu-vald">{t('vote.toMinuVald')}</Link>
            </li>
            <li>
              <Link to="/">{t('vote.toHome')}</Link>
            </li>
          </ul>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setAnswers([]);
              setStep('form');
            }}
          >
            {t('vote.change')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function ReceiptCheck({ vote }: { vote: Vote }) {
  const { t } = useP();
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<{ receipt: string; status: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setAnswer(await api(`${voteApi(vote.municipalityCode, vote.id)}/receipts/${encodeURIComponent(code.trim())}`));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="pv-check-h">
      <h2 id="pv-check-h">{t('receipt.title')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('receipt.code')}
          help={t('receipt.help')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          required
        />
        <button type="submit" className="button">
          {t('receipt.check')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {answer ? (
        <Notice kind={answer.status === 'counted' ? 'success' : 'info'}>
          {t(`receipt.${answer.status}`, { receipt: answer.receipt })}
        </Notice>
      ) : null}
      {vote.phase === 'published' ? (
        <p>
          <a href={`${voteApi(vote.municipalityCode, vote.id)}/receipts`}>{t('receipt.list')}</a>
        </p>
      ) : null}
    </section>
  );
}

function IdeasSection({ vote, ideas }: { vote: Vote; ideas: Idea[] }) {
  const { t, i18n } = useP();
  const pick = usePickText();
  const session = useSession();
  const markers: MapMarker[] = ideas
    .filter((i) => i.location)
    .map((i) => ({
      id: i.id,
      lat: i.location!.lat,
      lon: i.location!.lon,
      label: `${i.number}. ${pick(i.title, i.translations?.title).text}`,
    }));
  const visible =
    vote.phase === 'published' || vote.phase === 'closed' || vote.phase === 'open' || vote.phase === 'scheduled'
      ? ideas.filter((i) => i.status === 'feasible')
      : ideas;
  return (
    <section aria-labelledby="pv-ideas-h">
      <h2 id="pv-ideas-h">{t('ideas.title')}</h2>
      {vote.phase === 'proposals' ? (
        <p>
          {session.me?.authenticated ? (
            <Link className="button" to={`${votePath(vote.municipalityCode, vote.id)}/idee`}>
              {t('ideas.submit')}
            </Link>
          ) : (
            <a className="button" href={session.loginUrl(`${votePath(vote.municipalityCode, vote.id)}/idee`)}>
              {t('ideas.loginToSubmit')}
            </a>
          )}
        </p>
      ) : null}
      {markers.length ? (
        <MapView
          label={t('ideas.mapLabel')}
          hint={t('ideas.mapHint')}
          municipalityCode={vote.municipalityCode}
          markers={markers}
        />
      ) : null}
      {visible.length === 0 ? <p>{t('ideas.none')}</p> : null}
      <ul className="pv-idea-list">
        {visible.map((i) => (
          <li key={i.id} className="card">
            <h3>
              {i.number}. <LocalText et={i.title} tr={i.translations?.title} />
            </h3>
            <LocalBlock et={i.description} tr={i.translations?.description} />
            <p className="help">
              {t(`ideaStatus.${i.status}`)}
              {i.finalCostCents !== null
                ? ` · ${euros(i.finalCostCents, i18n.language)}`
                : i.estimatedCostCents !== null
                  ? ` · ${t('ideas.estimated', { cost: euros(i.estimatedCostCents, i18n.language) })}`
                  : ''}
              {i.reviewReason ? ` · ${i.reviewReason}` : ''}
              {vote.phase === 'published' && i.status === 'feasible'
                ? ` · ${t(`implementation.${i.implementationStatus}`)}`
                : ''}
              {i.mine ? ` · ${t('ideas.mine')}` : ''}
            </p>
            {i.photoIds.length ? (
              <div className="pv-photos">
                {i.photoIds.map((p, n) => (
                  <img
                    key={p}
                    src={`${voteApi(vote.municipalityCode, vote.id)}/ideas/${i.id}/photos/${p}`}
                    alt={t('ideas.photoAlt', { n: n + 1, title: i.title })}
                    loading="lazy"
                  />
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CandidatesSection({ vote, candidates, reload }: { vote: Vote; candidates: Candidate[]; reload(): void }) {
  const { t } = useP();
  const session = useSession();
  const [self, setSelf] = useState(true);
  const [idCode, setIdCode] = useState('');
  const [name, setName] = useState('');
  const [statement, setStatement] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const nominate = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api(`${voteApi(vote.municipalityCode, vote.id)}/candidates`, {
        method: 'POST',
        body: { ...(self ? {} : { idCode: idCode.trim() }), ...(name.trim() ? { name: name.trim() } : {}), statement },
      });
      setDone(self ? t('candidates.nominatedSelf') : t('candidates.nominatedOther'));
      setIdCode('');
      setName('');
      setStatement('');
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const consent = async (c: Candidate, yes: boolean) => {
    try {
      await api(`${voteApi(vote.municipalityCode, vote.id)}/candidates/${c.id}/consent`, {
        method: 'PUT',
        body: { consent: yes },
      });
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  return (
    <section aria-labelledby="pv-cands-h">
      <h2 id="pv-cands-h">{t('candidates.title')}</h2>
      {candidates.length === 0 ? <p>{t('candidates.none')}</p> : null}
      <ul className="pv-idea-list">
        {candidates.map((c) => (
          <li key={c.id} className="card">
            <h3>
              {c.number}. {c.name}
            </h3>
            <LocalBlock et={c.statement} tr={c.translations?.statement} />
            <p className="help">
              {t(`candidateStatus.${c.status}`)}
              {!c.consented ? ` · ${t('candidates.noConsent')}` : ''}
            </p>
            {c.isMe && !c.consented && (vote.phase === 'proposals' || vote.phase === 'review') ? (
              <div className="pv-actions">
                <button type="button" className="button small" onClick={() => void consent(c, true)}>
                  {t('candidates.consent')}
                </button>
                <button type="button" className="button-secondary small" onClick={() => void consent(c, false)}>
                  {t('candidates.decline')}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {vote.phase === 'proposals' && session.me?.authenticated ? (
        <form className="form" onSubmit={(e) => void nominate(e)}>
          <fieldset>
            <legend>{t('candidates.nominate')}</legend>
            <div className="pv-radio">
              <input id="pv-nom-self" type="radio" name="pv-nom" checked={self} onChange={() => setSelf(true)} />
              <label htmlFor="pv-nom-self">{t('candidates.self')}</label>
            </div>
            <div className="pv-radio">
              <input id="pv-nom-other" type="radio" name="pv-nom" checked={!self} onChange={() => setSelf(false)} />
              <label htmlFor="pv-nom-other">{t('candidates.other')}</label>
            </div>
          </fieldset>
          {!self ? (
            <TextField
              label={t('candidates.idCode')}
              help={t('candidates.idCodeHelp')}
              value={idCode}
              inputMode="numeric"
              onChange={(e) => setIdCode(e.target.value)}
              error={fieldError('/body/idCode')}
            />
          ) : null}
          <TextField
            label={t('candidates.name')}
            help={t('candidates.nameHelp')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <TextArea
            label={t('candidates.statement')}
            value={statement}
            onChange={(e) => setStatement(e.target.value)}
          />
          {error ? <ErrorNotice error={error} /> : null}
          {done ? <Notice kind="success">{done}</Notice> : null}
          <button type="submit" className="button">
            {t('candidates.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
