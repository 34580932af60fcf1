import { TranslationFields, translationsBody, type TranslationValues } from '../../components/TranslationFields';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextArea,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { AnswerSummary, Ballot } from './Ballot';
import { ResultsView, RuleComparisonView } from './Results';
import {
  voteApi,
  votePath,
  type Answer,
  type Candidate,
  type ElectoratePreview,
  type Idea,
  type Results,
  type Sealing,
  type Turnout,
  type Vote,
} from './api';
import { KindLabel, PhaseBadge, euros, fromLocalInput, toLocalInput, useFollower, useManager, useP } from './shared';

/**
 * /haaletused/:code/:id/haldus — the officials' page of one vote: the next step of its lifecycle,
 * the electorate (register module preview), the ballot as a voter sees it, ideas and candidates
 * to review, live turnout while open (numbers only: nobody sees any result before closing),
 * extending, paper votes, closing, paper ballots, results and publishing.
 */
export function ManagePage() {
  const { t, i18n } = useP();
  const { code = '', id = '' } = useParams();
  const location = useLocation();
  const m = useMunicipality();
  const manager = useManager(code);
  const follower = useFollower(code);
  const vote = useLoad((signal) => api<Vote>(voteApi(code, id), { signal }), [code, id]);
  const v = vote.data;
  const [message, setMessage] = useState<string | null>(
    (location.state as { saved?: boolean } | null)?.saved ? t('manage.saved') : null,
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmPublish, setConfirmPublish] = useState(false);
  const [preview, setPreview] = useState(false);
  const ideas = useLoad(
    (signal) =>
      v?.kind === 'budget' ? api<Idea[]>(`${voteApi(code, id)}/ideas`, { signal }) : Promise.resolve([] as Idea[]),
    [code, id, v?.kind, v?.updatedAt],
  );
  const candidates = useLoad(
    (signal) =>
      v?.kind === 'elder'
        ? api<Candidate[]>(`${voteApi(code, id)}/candidates`, { signal })
        : Promise.resolve([] as Candidate[]),
    [code, id, v?.kind, v?.updatedAt],
  );
  const electorate = useLoad(
    (signal) =>
      follower && v?.electorateId
        ? api<ElectoratePreview>(`${voteApi(code, id)}/electorate-preview`, { signal })
        : Promise.resolve(undefined),
    [code, id, v?.electorateId, follower],
  );
  const closedPhase = v && (v.status === 'closed' || v.status === 'published');
  const results = useLoad(
    (signal) =>
      follower && closedPhase ? api<Results>(`${voteApi(code, id)}/results`, { signal }) : Promise.resolve(undefined),
    [code, id, closedPhase, v?.status, v?.updatedAt],
  );
  if (!follower)
    return (
      <Page title={t('manage.title')}>
        <Notice kind="warning">{t('wizard.officialsOnly')}</Notice>
      </Page>
    );
  if (vote.loading && !v) return <Loading />;
  if (vote.error || !v)
    return (
      <Page title={t('manage.title')}>
        <ErrorNotice error={vote.error} />
      </Page>
    );
  const lang = i18n.language;

  const act = async (path: string, done: string, body: unknown = {}) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await api(`${voteApi(code, id)}/${path}`, { method: 'POST', body });
      setMessage(done);
      vote.reload();
      results.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const editable = ['draft', 'proposals', 'review'].includes(v.status) && !v.imported;
  const previewable = v.ballot.questions.length > 0 && v.ballot.questions.every((q) => q.choices.length > 0);

  return (
    <Page title={t('manage.titleOf', { title: v.title })}>
      <dl className="facts">
        <dt>{t('vote.kind')}</dt>
        <dd>
          <KindLabel kind={v.kind} /> · {m.nameOf(code)}
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
        <dt>{t('manage.electorateSize')}</dt>
        <dd>{v.electorateSize ?? electorate.data?.total ?? '—'}</dd>
      </dl>
      <p className="pv-links">
        <Link to={votePath(code, id)}>{t('manage.publicPage')}</Link>
        {manager && editable ? <Link to={`${votePath(code, id)}/muuda`}>{t('manage.edit')}</Link> : null}
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}

      {manager ? (
        <section aria-labelledby="pv-next-h">
          <h2 id="pv-next-h">{t('manage.next')}</h2>
          {v.status === 'draft' && v.kind !== 'poll' ? (
            <>
              <p>{t(`manage.openProposalsHelp.${v.kind}`)}</p>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void act('proposals', t('manage.proposalsOpened'))}
              >
                {t(`manage.openProposals.${v.kind}`)}
              </button>
            </>
          ) : null}
          {v.status === 'proposals' ? (
            <p>{t('manage.collecting', { at: formatDate(v.proposalsCloseAt!, lang, true) })}</p>
          ) : null}
          {(v.status === 'draft' && v.kind === 'poll') || v.status === 'review' ? (
            <>
              <p>{t('manage.scheduleHelp')}</p>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void act('schedule', t('manage.scheduled'))}
              >
                {t('manage.schedule')}
              </button>
            </>
          ) : null}
          {v.phase === 'scheduled' ? (
            <>
              <p>{t('manage.scheduledHelp', { at: formatDate(v.opensAt, lang, true) })}</p>
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() => void act('unschedule', t('manage.unscheduled'))}
              >
                {t('manage.unschedule')}
              </button>
            </>
          ) : null}
          {v.phase === 'open' ? (
            <ExtendForm
              vote={v}
              busy={busy}
              onExtend={(closesAt) => void act('extend', t('manage.extended'), { closesAt })}
            />
          ) : null}
          {v.phase === 'closed' && v.status !== 'closed' ? (
            <>
              <p>{t('manage.closeHelp')}</p>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void act('close', t('manage.closed'))}
              >
                {t('manage.close')}
              </button>
            </>
          ) : null}
          {v.status === 'closed' ? (
            <>
              <p>{t('manage.publishHelp')}</p>
              <button type="button" className="button" disabled={busy} onClick={() => setConfirmPublish(true)}>
                {t('manage.publish')}
              </button>
              {/* Publishing cannot be undone: the dialog says what becomes public (the results
                  shown below on this page, exactly) before it happens. */}
              <ConfirmDialog
                open={confirmPublish}
                title={t('manage.publishConfirmTitle')}
                confirmLabel={t('manage.publishConfirm')}
                busy={busy}
                onCancel={() => setConfirmPublish(false)}
                onConfirm={() => {
                  setConfirmPublish(false);
                  void act('publish', t('manage.publishedMessage'));
                }}
              >
                <p>{t('manage.publishConsequence')}</p>
              </ConfirmDialog>
            </>
          ) : null}
          {v.status === 'published' ? (
            <p>{t('manage.isPublished', { at: formatDate(v.publishedAt!, lang, true) })}</p>
          ) : null}
        </section>
      ) : null}

      {v.phase === 'open' || v.phase === 'scheduled' ? <LiveTurnout vote={v} /> : null}
      {manager && v.phase === 'open' ? <PaperVoteForm vote={v} /> : null}
      {manager && v.status === 'closed' ? (
        <PaperBallots
          vote={v}
          ideas={ideas.data ?? []}
          candidates={candidates.data ?? []}
          onDone={() => results.reload()}
        />
      ) : null}
      {results.data ? <ResultsView vote={v} results={results.data} /> : null}
      {results.data && v.kind === 'budget' && v.status === 'closed' ? (
        <RuleComparisonView vote={v} results={results.data} />
      ) : null}

      {v.electorateId ? (
        <section aria-labelledby="pv-el-h">
          <h2 id="pv-el-h">{t('manage.electorate')}</h2>
          {electorate.loading ? <Loading /> : null}
          {electorate.error ? <ErrorNotice error={electorate.error} /> : null}
          {electorate.data ? (
            <>
              <p>
                {t('manage.electorateTotal', {
                  total: electorate.data.total,
                  date: formatDate(electorate.data.referenceDate, lang),
                })}
              </p>
              <TableWrap label={t('manage.electorate')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('results.settlement')}</th>
                      <th scope="col">{t('manage.people')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {electorate.data.bySettlement.map((s) => (
                      <tr key={s.code ?? '-'}>
                        <th scope="row">{s.name ?? t('results.unknownSettlement')}</th>
                        <td>{s.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          ) : null}
        </section>
      ) : manager ? (
        <Notice kind="warning">{t('manage.noElectorate')}</Notice>
      ) : null}

      {previewable ? (
        <section aria-labelledby="pv-prev-h">
          <h2 id="pv-prev-h">{t('manage.preview')}</h2>
          <button
            type="button"
            className="button-secondary"
            aria-expanded={preview}
            onClick={() => setPreview((p) => !p)}
          >
            {preview ? t('manage.hidePreview') : t('manage.showPreview')}
          </button>
          {preview ? (
            <Ballot vote={v} ideas={ideas.data ?? []} candidates={candidates.data ?? []} preview onReview={() => {}} />
          ) : null}
        </section>
      ) : null}

      {v.kind === 'budget' ? (
        <IdeaReview vote={v} ideas={ideas.data ?? []} manager={manager} reload={ideas.reload} />
      ) : null}
      {v.kind === 'elder' ? (
        <CandidateReview vote={v} candidates={candidates.data ?? []} manager={manager} reload={candidates.reload} />
      ) : null}
    </Page>
  );
}

function ExtendForm({ vote, busy, onExtend }: { vote: Vote; busy: boolean; onExtend(iso: string): void }) {
  const { t } = useP();
  const [at, setAt] = useState(toLocalInput(new Date(new Date(vote.closesAt).getTime() + 86_400_000).toISOString()));
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const iso = fromLocalInput(at);
        if (iso) onExtend(iso);
      }}
    >
      <p>{t('manage.openHelp')}</p>
      <TextField
        type="datetime-local"
        label={t('manage.newClosingTime')}
        value={at}
        onChange={(e) => setAt(e.target.value)}
        required
      />
      <button type="submit" className="button-secondary" disabled={busy}>
        {t('manage.extend')}
      </button>
    </form>
  );
}

function LiveTurnout({ vote }: { vote: Vote }) {
  const { t } = useP();
  const turnout = useLoad(
    (signal) => api<Turnout>(`${voteApi(vote.municipalityCode, vote.id)}/turnout`, { signal }),
    [vote.id],
  );
  const sealing = useLoad(
    (signal) => api<Sealing>(`${voteApi(vote.municipalityCode, vote.id)}/sealing`, { signal }),
    [vote.id, vote.status],
  );
  useEffect(() => {
    if (vote.phase !== 'open') return;
    const timer = setInterval(turnout.reload, 15_000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [vote.phase]);
  const d = turnout.data;
  return (
    <section aria-labelledby="pv-turnout-h">
      <h2 id="pv-turnout-h">{t('manage.turnout')}</h2>
      <p className="help">{t('manage.turnoutHelp')}</p>
      {turnout.error ? <ErrorNotice error={turnout.error} /> : null}
      {d ? (
        <>
          <p className="pv-big" aria-live="polite">
            {t('manage.turnoutLine', {
              voters: d.voters,
              size: d.electorateSize ?? '—',
              percent: d.percent ?? '—',
              internet: d.internet,
              paper: d.paper,
            })}
          </p>
          {d.bySettlement.length > 1 ? (
            <TableWrap label={t('manage.turnout')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('results.settlement')}</th>
                    <th scope="col">{t('results.voters')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.bySettlement.map((s) => (
                    <tr key={s.settlementCode ?? '-'}>
                      <th scope="row">{s.name ?? t('results.unknownSettlement')}</th>
                      <td>{s.voters}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
          {sealing.data ? (
            <p className="help">
              {sealing.data.destroyedAt
                ? t('manage.sealingDestroyed', { date: sealing.data.destroyedAt.slice(0, 10) })
                : sealing.data.destroyAfter
                  ? t('manage.sealingDestroyOn', { date: sealing.data.destroyAfter.slice(0, 10) })
                  : t('manage.sealingKept', { days: sealing.data.retentionDays })}
            </p>
          ) : null}
          <button type="button" className="button-secondary small" onClick={turnout.reload}>
            {t('manage.refresh')}
          </button>
        </>
      ) : null}
    </section>
  );
}

function PaperVoteForm({ vote }: { vote: Vote }) {
  const { t } = useP();
  const [idCode, setIdCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const r = await api<{ cancelledInternetBallot: boolean }>(
        `${voteApi(vote.municipalityCode, vote.id)}/paper-votes`,
        { method: 'POST', body: { idCode: idCode.trim() } },
      );
      setDone(r.cancelledInternetBallot ? t('paper.recordedCancelled') : t('paper.recorded'));
      setIdCode('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="pv-paper-h">
      <h2 id="pv-paper-h">{t('paper.title')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('paper.idCode')}
          help={t('paper.help')}
          value={idCode}
          inputMode="numeric"
          autoComplete="off"
          onChange={(e) => setIdCode(e.target.value)}
          error={error instanceof ApiError ? error.fieldError('/body/idCode') : undefined}
          required
        />
        {error && !(error instanceof ApiError && error.fieldError('/body/idCode')) ? (
          <ErrorNotice error={error} />
        ) : null}
        {done ? <Notice kind="success">{done}</Notice> : null}
        <button type="submit" className="button">
          {t('paper.record')}
        </button>
      </form>
    </section>
  );
}

function PaperBallots({
  vote,
  ideas,
  candidates,
  onDone,
}: {
  vote: Vote;
  ideas: Idea[];
  candidates: Candidate[];
  onDone(): void;
}) {
  const { t } = useP();
  const [list, setList] = useState<Answer[][]>([]);
  const [round, setRound] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const enter = async () => {
    setError(null);
    try {
      const r = await api<{ entered: number }>(`${voteApi(vote.municipalityCode, vote.id)}/paper-ballots`, {
        method: 'POST',
        body: { ballots: list.map((answers) => ({ answers })) },
      });
      setDone(t('paper.entered', { n: r.entered }));
      setList([]);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="pv-pb-h">
      <h2 id="pv-pb-h">{t('paper.ballotsTitle')}</h2>
      <p className="help">{t('paper.ballotsHelp')}</p>
      <Ballot
        key={round}
        vote={vote}
        ideas={ideas}
        candidates={candidates}
        submitLabel={t('paper.add')}
        onReview={(a) => {
          setList((l) => [...l, a]);
          setRound((r) => r + 1);
        }}
      />
      {list.length ? (
        <>
          <h3>{t('paper.toEnter', { n: list.length })}</h3>
          <ol>
            {list.map((a, i) => (
              <li key={i}>
                <AnswerSummary vote={vote} answers={a} />
                <button
                  type="button"
                  className="button-secondary small"
                  onClick={() => setList((l) => l.filter((_, j) => j !== i))}
                >
                  {t('paper.remove', { n: i + 1 })}
                </button>
              </li>
            ))}
          </ol>
          <button type="button" className="button" onClick={() => void enter()}>
            {t('paper.enter', { n: list.length })}
          </button>
        </>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {done ? <Notice kind="success">{done}</Notice> : null}
    </section>
  );
}

function IdeaReview({ vote, ideas, manager, reload }: { vote: Vote; ideas: Idea[]; manager: boolean; reload(): void }) {
  const { t } = useP();
  const reviewing = manager && (vote.status === 'proposals' || vote.status === 'review');
  const implementing = manager && vote.status === 'published';
  return (
    <section aria-labelledby="pv-ir-h">
      <h2 id="pv-ir-h">{t('review.ideas')}</h2>
      {ideas.length === 0 ? <p>{t('ideas.none')}</p> : null}
      <ul className="pv-idea-list">
        {ideas.map((i) => (
          <li key={i.id} className="card">
            <h3>
              {i.number}. {i.title}
            </h3>
            <p>{i.description}</p>
            <p className="help">{t(`ideaStatus.${i.status}`)}</p>
            {reviewing ? <IdeaReviewForm vote={vote} idea={i} ideas={ideas} reload={reload} /> : null}
            {implementing && i.status === 'feasible' ? (
              <ImplementationForm vote={vote} idea={i} reload={reload} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function IdeaReviewForm({ vote, idea, ideas, reload }: { vote: Vote; idea: Idea; ideas: Idea[]; reload(): void }) {
  const { t, i18n } = useP();
  const districts = vote.rules.budget?.districts ?? [];
  const [status, setStatus] = useState<string>(idea.status === 'withdrawn' ? 'submitted' : idea.status);
  const [cost, setCost] = useState(
    idea.finalCostCents !== null
      ? String(idea.finalCostCents / 100)
      : idea.estimatedCostCents !== null
        ? String(idea.estimatedCostCents / 100)
        : '',
  );
  const [district, setDistrict] = useState(String(idea.districtId ?? districts[0]?.id ?? ''));
  const [reason, setReason] = useState(idea.reviewReason ?? '');
  const [merged, setMerged] = useState(idea.mergedInto ?? '');
  const [tr, setTr] = useState<TranslationValues>(idea.translations ?? {});
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState(false);
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setOk(false);
    try {
      const cents = cost.trim() ? Math.round(Number(cost.replace(',', '.').replace(/\s/g, '')) * 100) : null;
      await api(`${voteApi(vote.municipalityCode, vote.id)}/ideas/${idea.id}/review`, {
        method: 'PUT',
        body: {
          status,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          finalCostCents: cents,
          districtId: district ? Number(district) : null,
          ...(status === 'merged' ? { mergedInto: merged || null } : {}),
          translations: translationsBody(tr),
        },
      });
      setOk(true);
      reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="pv-review-form" onSubmit={(e) => void submit(e)}>
      <SelectField
        label={t('review.decision', { n: idea.number })}
        value={status}
        onChange={(e) => setStatus(e.target.value)}
        error={fe('/body/status')}
      >
        {(['submitted', 'feasible', 'infeasible', 'merged'] as const).map((s) => (
          <option key={s} value={s}>
            {t(`ideaStatus.${s}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('review.finalCost', { n: idea.number })}
        inputMode="decimal"
        value={cost}
        onChange={(e) => setCost(e.target.value)}
        error={fe('/body/finalCostCents')}
        help={
          idea.estimatedCostCents !== null
            ? t('ideas.estimated', { cost: euros(idea.estimatedCostCents, i18n.language) })
            : undefined
        }
      />
      {districts.length ? (
        <SelectField
          label={t('review.district', { n: idea.number })}
          value={district}
          onChange={(e) => setDistrict(e.target.value)}
          error={fe('/body/districtId')}
        >
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {status === 'merged' ? (
        <SelectField
          label={t('review.mergedInto', { n: idea.number })}
          value={merged}
          onChange={(e) => setMerged(e.target.value)}
          error={fe('/body/mergedInto')}
        >
          <option value="">—</option>
          {ideas
            .filter((x) => x.id !== idea.id)
            .map((x) => (
              <option key={x.id} value={x.id}>
                {x.number}. {x.title}
              </option>
            ))}
        </SelectField>
      ) : null}
      <TextArea
        label={t('review.reason', { n: idea.number })}
        help={t('review.reasonHelp')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        rows={2}
        error={fe('/body/reason')}
      />
      <TranslationFields
        fields={[
          { key: 'title', label: t('review.trTitle', { n: idea.number }), maxLength: 200 },
          { key: 'description', label: t('review.trDescription', { n: idea.number }), multiline: true },
        ]}
        value={tr}
        onChange={setTr}
        errorOf={(f, l) => fe(`/body/translations/${f}/${l}`)}
      />
      {error && !(error instanceof ApiError && error.errors.length) ? <ErrorNotice error={error} /> : null}
      {ok ? <Notice kind="success">{t('review.saved')}</Notice> : null}
      <button type="submit" className="button small">
        {t('review.save', { n: idea.number })}
      </button>
    </form>
  );
}

function ImplementationForm({ vote, idea, reload }: { vote: Vote; idea: Idea; reload(): void }) {
  const { t } = useP();
  const [status, setStatus] = useState<string>(idea.implementationStatus);
  const [note, setNote] = useState(idea.implementationNote ?? '');
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api(`${voteApi(vote.municipalityCode, vote.id)}/ideas/${idea.id}/implementation`, {
        method: 'PUT',
        body: { status, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setOk(true);
      reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="pv-review-form" onSubmit={(e) => void submit(e)}>
      <SelectField
        label={t('review.implementation', { n: idea.number })}
        value={status}
        onChange={(e) => setStatus(e.target.value)}
      >
        {(['not_started', 'planning', 'in_progress', 'done', 'cancelled'] as const).map((s) => (
          <option key={s} value={s}>
            {t(`implementation.${s}`)}
          </option>
        ))}
      </SelectField>
      <TextArea
        label={t('review.implementationNote', { n: idea.number })}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={2}
      />
      {error ? <ErrorNotice error={error} /> : null}
      {ok ? <Notice kind="success">{t('review.saved')}</Notice> : null}
      <button type="submit" className="button small">
        {t('review.save', { n: idea.number })}
      </button>
    </form>
  );
}

function CandidateReview({
  vote,
  candidates,
  manager,
  reload,
}: {
  vote: Vote;
  candidates: Candidate[];
  manager: boolean;
  reload(): void;
}) {
  const { t } = useP();
  const reviewing = manager && (vote.status === 'proposals' || vote.status === 'review');
  return (
    <section aria-labelledby="pv-cr-h">
      <h2 id="pv-cr-h">{t('review.candidates')}</h2>
      {candidates.length === 0 ? <p>{t('candidates.none')}</p> : null}
      <ul className="pv-idea-list">
        {candidates.map((c) => (
          <li key={c.id} className="card">
            <h3>
              {c.number}. {c.name}
            </h3>
            {c.statement ? <p>{c.statement}</p> : null}
            <p className="help">
              {t(`candidateStatus.${c.status}`)} · {c.consented ? t('candidates.consented') : t('candidates.noConsent')}
              {c.reviewReason ? ` · ${c.reviewReason}` : ''}
            </p>
            {reviewing ? <CandidateReviewForm vote={vote} candidate={c} reload={reload} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CandidateReviewForm({ vote, candidate: c, reload }: { vote: Vote; candidate: Candidate; reload(): void }) {
  const { t } = useP();
  const [reason, setReason] = useState('');
  const [tr, setTr] = useState<TranslationValues>(c.translations ?? {});
  const [error, setError] = useState<unknown>(null);
  const review = async (status: 'approved' | 'rejected') => {
    setError(null);
    try {
      await api(`${voteApi(vote.municipalityCode, vote.id)}/candidates/${c.id}/review`, {
        method: 'PUT',
        body: { status, ...(reason.trim() ? { reason: reason.trim() } : {}), translations: translationsBody(tr) },
      });
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  return (
    <div className="pv-review-form">
      <TextField
        label={t('review.rejectReason', { name: c.name })}
        help={t('review.rejectReasonHelp')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={fe('/body/reason')}
      />
      {c.statement ? (
        <TranslationFields
          fields={[{ key: 'statement', label: t('review.trStatement', { name: c.name }), multiline: true }]}
          value={tr}
          onChange={setTr}
        />
      ) : null}
      {error && !fe('/body/reason') ? <ErrorNotice error={error} /> : null}
      <div className="pv-actions">
        <button
          type="button"
          className="button small"
          onClick={() => void review('approved')}
          disabled={c.status === 'approved'}
        >
          {t('review.approve', { name: c.name })}
        </button>
        <button
          type="button"
          className="button-secondary small"
          onClick={() => void review('rejected')}
          disabled={c.status === 'rejected'}
        >
          {t('review.reject', { name: c.name })}
        </button>
      </div>
    </div>
  );
}
