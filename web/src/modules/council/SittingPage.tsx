import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { councilApi, useLiveSitting, type MyPlace, type SittingDetail, type Snapshot, type VoteResult } from './api';
import { NoticeWarning, RuleText, StatusBadge, useCouncilT } from './shared';

/**
 * A sitting: its agenda and documents for everybody, the live view (quorum, current item, vote in
 * progress, results) through Server-Sent Events, the member's own panel (presence, voting,
 * recusal) and the chair's and secretary's console.
 */
export function SittingPage() {
  const { t, i18n } = useCouncilT();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const live = useLiveSitting(code, id);
  const snap = live.snap;
  const agendaKey = snap ? JSON.stringify(snap.agenda.map((a) => [a.id, a.title, a.withdrawn, a.position])) : '';
  const detail = useLoad(
    (signal) => api<SittingDetail>(`${councilApi(code)}/sittings/${id}`, { signal }),
    [code, id, session.me?.authenticated, agendaKey],
  );
  const meKey = snap
    ? `${snap.state.vote?.id}:${snap.state.sitting.status}:${JSON.stringify(snap.agenda.map((a) => a.recused.length))}:${snap.attendance.present}:${snap.roster.length}`
    : '';
  const me = useLoad(
    (signal) =>
      session.me?.authenticated
        ? api<MyPlace>(`${councilApi(code)}/sittings/${id}/me`, { signal })
        : Promise.resolve(undefined),
    [code, id, session.me?.authenticated, meKey],
  );
  const d = detail.data;
  if (detail.loading && !d) return <Loading />;
  if (detail.error && !d) return <ErrorNotice error={detail.error} onRetry={detail.reload} />;
  if (!d) return null;
  const title = t('sitting.heading', { number: d.number, title: d.title });
  const mine = me.data;

  return (
    <Page title={title}>
      <p>
        <Link to={`/volikogu/${code}`}>{d.councilName}</Link>
      </p>
      <dl className="facts">
        <dt>{t('sitting.when')}</dt>
        <dd>{formatDate(d.startsAt, i18n.language, true)}</dd>
        <dt>{t('sitting.format')}</dt>
        <dd>{t(`format.${d.format}`)}</dd>
        {d.place ? (
          <>
            <dt>{t('sitting.place')}</dt>
            <dd>{d.place}</dd>
          </>
        ) : null}
        {d.link ? (
          <>
            <dt>{t('sitting.link')}</dt>
            <dd>
              <a href={d.link} rel="noopener noreferrer">
                {d.link}
              </a>
            </dd>
          </>
        ) : null}
        <dt>{t('sitting.chair')}</dt>
        <dd>{d.presiding?.name ?? '—'}</dd>
        <dt>{t('sitting.secretary')}</dt>
        <dd>{d.secretary?.name ?? '—'}</dd>
        <dt>{t('sitting.status')}</dt>
        <dd>
          <StatusBadge status={snap?.state.sitting.status ?? d.status} />
        </dd>
      </dl>
      <NoticeWarning d={d} />
      {snap ? (
        <LiveView
          snap={snap}
          connected={live.connected}
          announcement={live.announcement}
          myMemberId={mine?.memberId ?? null}
        />
      ) : (
        <Loading />
      )}
      {snap && mine?.acting ? (
        <MemberPanel code={code} sittingId={id} snap={snap} me={mine} reload={me.reload} format={d.format} />
      ) : null}
      {snap && mine?.operator ? <ChairConsole code={code} sittingId={id} snap={snap} detail={d} /> : null}
      <Agenda code={code} sittingId={id} detail={d} snap={snap} me={mine} reloadMe={me.reload} />
      {d.status === 'closed' || snap?.state.sitting.status === 'closed' ? (
        <p>
          <Link to={`/volikogu/${code}/istung/${id}/protokoll`}>{t('minutes.open')}</Link>
        </p>
      ) : null}
      {d.changes.length ? (
        <>
          <h2>{t('sitting.changes')}</h2>
          <ul>
            {d.changes.map((ch) => (
              <li key={ch.seq}>
                {formatDate(ch.at, i18n.language, true)}: {t(`change.${ch.action}`, { defaultValue: ch.action })}
                {ch.itemId ? ` — ${d.items.find((i) => i.id === ch.itemId)?.title ?? ''}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

function LiveView({
  snap,
  connected,
  announcement,
  myMemberId,
}: {
  snap: Snapshot;
  connected: boolean;
  announcement: { kind: 'started' | 'result'; id: string } | undefined;
  myMemberId: string | null;
}) {
  const { t } = useCouncilT();
  const { state, attendance } = snap;
  const current = snap.agenda.find((a) => a.id === state.sitting.currentItemId);
  const vote = state.vote;
  const results = [...snap.results].reverse();
  const announced = announcement?.kind === 'result' ? snap.results.find((r) => r.id === announcement.id) : undefined;
  return (
    <section className="council-live" aria-labelledby="live-heading">
      <h2 id="live-heading">
        {t('live.title')}{' '}
        <span className={connected ? 'council-dot live' : 'council-dot'}>
          {connected ? t('live.connected') : t('live.reconnecting')}
        </span>
      </h2>
      <div className="visually-hidden" aria-live="polite">
        {announcement?.kind === 'started' && vote ? t('live.voteStarted', { number: vote.number }) : null}
        {announced ? `${t('result.heading', { number: announced.number })}: ${outcomeLabel(t, announced)}` : null}
      </div>
      <p className={`council-quorum ${attendance.hasQuorum ? 'ok' : 'no'}`}>
        <strong>{attendance.hasQuorum ? t('live.quorumYes') : t('live.quorumNo')}</strong> —{' '}
        {t('live.quorumFacts', { present: attendance.present, seats: attendance.seats, needed: attendance.needed })}
      </p>
      <meter
        className="council-meter"
        min={0}
        max={attendance.seats}
        low={attendance.needed - 0.5}
        optimum={attendance.seats}
        value={attendance.present}
        aria-label={t('live.presentLabel')}
      >
        {attendance.present}
      </meter>
      {current ? (
        <p>
          {t('live.currentItem')}: <strong>{`${current.position}. ${current.title}`}</strong>
        </p>
      ) : null}
      {vote ? (
        <div className="council-vote-box" role="region" aria-label={t('live.voteInProgress')}>
          <h3>{t('live.voteHeading', { number: vote.number })}</h3>
          <p>{vote.question}</p>
          <p>
            {vote.kind === 'secret' ? t('live.secret') : t('live.open')} · <RuleText rule={vote.rule} />
          </p>
          <p className="council-progress">{t('live.progress', { voted: vote.voted, eligible: vote.eligible })}</p>
        </div>
      ) : state.sitting.status === 'open' ? (
        <p className="muted">{t('live.noVote')}</p>
      ) : null}
      {results.length ? <h3>{t('result.title')}</h3> : null}
      {results.map((r) => (
        <ResultView key={r.id} r={r} snap={snap} myMemberId={myMemberId} />
      ))}
      <details className="council-attendance">
        <summary>{t('live.attendanceList', { present: attendance.present })}</summary>
        <ul>
          {snap.roster
            .filter((m) => m.status === 'active')
            .map((m) => (
              <li key={m.id}>
                {m.name} — {attendance.here[m.id] ? t(`mode.${attendance.here[m.id]}`) : t('live.absent')}
              </li>
            ))}
        </ul>
      </details>
    </section>
  );
}

function outcomeLabel(t: TFunction<'council'>, r: VoteResult) {
  if (r.outcome === 'elected')
    return t('result.elected', { name: r.candidates.find((c) => c.id === r.electedCandidateId)?.name ?? '' });
  if (r.outcome === 'rejected' && r.tie) return t('result.tie');
  return t(`result.${r.outcome}`);
}

function ResultView({ r, snap, myMemberId }: { r: VoteResult; snap: Snapshot; myMemberId: string | null }) {
  const { t } = useCouncilT();
  const name = (id: string) => snap.roster.find((m) => m.id === id)?.name ?? '—';
  const item = snap.agenda.find((a) => a.id === r.itemId);
  const headingId = `result-${r.id}`;
  return (
    <article className={`council-result outcome-${r.outcome}`} aria-labelledby={headingId}>
      <h4 id={headingId}>
        {t('result.heading', { number: r.number })}: {item ? `${item.position}. ${item.title}` : r.question}
      </h4>
      <p className="council-outcome">
        <strong>{outcomeLabel(t, r)}</strong>
      </p>
      <p>
        {t('result.rule')}: <RuleText rule={r.rule} needed={r.needed} seats={r.seats} />
      </p>
      {r.kind === 'open' ? (
        <>
          <p>
            {t('result.counts', {
              for: r.for,
              against: r.against,
              abstain: r.abstain,
              notVoted: r.notVoted,
              recused: r.recused,
              absent: r.absent,
            })}
          </p>
          <details>
            <summary>{t('result.byMember')}</summary>
            <TableWrap label={t('result.byMember')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('member.name')}</th>
                    <th scope="col">{t('result.vote')}</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(r.records)
                    .sort(([a], [b]) => name(a).localeCompare(name(b)))
                    .map(([memberId, rec]) => (
                      <tr key={memberId} className={memberId === myMemberId ? 'council-me' : undefined}>
                        <td>{name(memberId)}</td>
                        <td>{t(`record.${rec}`)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableWrap>
          </details>
        </>
      ) : (
        <>
          <ul>
            {r.candidates.map((c) => (
              <li key={c.id}>{t('result.candidateVotes', { name: c.name, votes: c.votes })}</li>
            ))}
          </ul>
          <p>
            {t('result.secretCounts', {
              tookPart: Object.values(r.records).filter((x) => x === 'took_part').length,
              abstain: r.abstain,
              recused: r.recused,
              absent: r.absent,
            })}
          </p>
        </>
      )}
    </article>
  );
}

function MemberPanel({
  code,
  sittingId,
  snap,
  me,
  reload,
  format,
}: {
  code: string;
  sittingId: string;
  snap: Snapshot;
  me: MyPlace;
  reload: () => void;
  format: string;
}) {
  const { t } = useCouncilT();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<'online' | 'room'>('online');
  const [secretChoice, setSecretChoice] = useState('');
  const [receipt, setReceipt] = useState<{ voteId: string; receipt: string }>();
  const vote = snap.state.vote;
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const attend = (present: boolean) =>
    run(() =>
      api(`${councilApi(code)}/sittings/${sittingId}/attendance/me`, {
        method: 'PUT',
        body: format === 'hybrid' ? { present, mode } : { present },
      }),
    );
  const cast = (choice: string) =>
    run(async () => {
      const r = await api<{ receipt: string | null }>(`${councilApi(code)}/votes/${vote!.id}/ballot`, {
        method: 'POST',
        body: { choice },
      });
      if (r.receipt) setReceipt({ voteId: vote!.id, receipt: r.receipt });
    });
  const open = ['published', 'open'].includes(snap.state.sitting.status);
  const myVote = me.currentVote && vote && me.currentVote.id === vote.id ? me.currentVote : null;
  return (
    <section className="council-panel" aria-labelledby="member-heading">
      <h2 id="member-heading">{t('member.panel')}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      {open ? (
        me.present ? (
          <p>
            {t('member.youArePresent', { mode: t(`mode.${me.mode ?? 'online'}`) })}{' '}
            <button type="button" className="button-secondary small" disabled={busy} onClick={() => void attend(false)}>
              {t('member.leave')}
            </button>
          </p>
        ) : (
          <div className="council-inline">
            {format === 'hybrid' ? (
              <SelectField
                label={t('member.mode')}
                value={mode}
                onChange={(e) => setMode(e.target.value as 'online' | 'room')}
              >
                <option value="online">{t('mode.online')}</option>
                <option value="room">{t('mode.room')}</option>
              </SelectField>
            ) : null}
            <button type="button" className="button" disabled={busy} onClick={() => void attend(true)}>
              {t('member.register')}
            </button>
          </div>
        )
      ) : null}
      {vote && myVote ? (
        // While the member can vote, the ballot stays at the bottom of a phone's screen (CSS).
        <div className={`council-ballot${myVote.canVote ? ' council-ballot-live' : ''}`}>
          <h3>{t('live.voteHeading', { number: vote.number })}</h3>
          {!myVote.canVote ? <Notice kind="warning">{t(`member.cannotVote.${myVote.reason}`)}</Notice> : null}
          {myVote.canVote && vote.kind === 'open' ? (
            <div className="council-choices" role="group" aria-label={t('member.yourVote')}>
              {(['for', 'against', 'abstain'] as const).map((c) => (
                <button
                  key={c}
                  type="button"
                  className={myVote.choice === c ? 'button' : 'button-secondary'}
                  aria-pressed={myVote.choice === c}
                  disabled={busy}
                  onClick={() => void cast(c)}
                >
                  {t(`record.${c}`)}
                </button>
              ))}
            </div>
          ) : null}
          {myVote.canVote && vote.kind === 'secret' ? (
            <form
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                if (secretChoice) void cast(secretChoice);
              }}
            >
              <fieldset className="council-secret">
                <legend>{t('member.secretLegend')}</legend>
                {[
                  ...vote.candidates.map((c) => ({ value: c.id, label: c.name })),
                  { value: 'against', label: t('member.againstAll') },
                  { value: 'abstain', label: t('record.abstain') },
                ].map((o) => (
                  <label key={o.value} className="council-radio">
                    <input
                      type="radio"
                      name="secret-choice"
                      value={o.value}
                      checked={secretChoice === o.value}
                      onChange={() => setSecretChoice(o.value)}
                    />{' '}
                    {o.label}
                  </label>
                ))}
              </fieldset>
              <button type="submit" className="button" disabled={busy || !secretChoice}>
                {t('member.castSecret')}
              </button>
            </form>
          ) : null}
          {myVote.voted ? (
            <p role="status" className="council-voted">
              {vote.kind === 'open'
                ? t('member.votedOpen', { choice: t(`record.${myVote.choice}`) })
                : t('member.votedSecret')}
              {receipt && receipt.voteId === vote.id ? ` ${t('member.receipt', { receipt: receipt.receipt })}` : ''}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function ChairConsole({
  code,
  sittingId,
  snap,
  detail,
}: {
  code: string;
  sittingId: string;
  snap: Snapshot;
  detail: SittingDetail;
}) {
  const { t } = useCouncilT();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const status = snap.state.sitting.status;
  const vote = snap.state.vote;
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const post = (path: string, body?: unknown) =>
    run(() => api(`${councilApi(code)}${path}`, { method: 'POST', body: body ?? {} }));
  const mark = (memberId: string, present: boolean) =>
    run(() =>
      api(`${councilApi(code)}/sittings/${sittingId}/attendance/${memberId}`, {
        method: 'PUT',
        body: { present, mode: 'room' },
      }),
    );
  // Attendance as "everyone present, then the exceptions": one action marks every active member
  // not yet registered as present in the room; the absent are then marked one by one.
  const markAllPresent = () =>
    run(() =>
      Promise.all(
        snap.roster
          .filter((m) => m.status === 'active' && !snap.attendance.here[m.id])
          .map((m) =>
            api(`${councilApi(code)}/sittings/${sittingId}/attendance/${m.id}`, {
              method: 'PUT',
              body: { present: true, mode: 'room' },
            }),
          ),
      ),
    );
  // Closing a vote asks first, naming the members present who have not voted; the server refuses
  // (409 council-not-voted-changed) if that list changed before the chair confirmed.
  type NotVoted = { memberId: string; name: string };
  const [closing, setClosing] = useState<{ voted: number; notVoted: NotVoted[]; changed?: boolean }>();
  const [closingSitting, setClosingSitting] = useState(false);
  const askToClose = () =>
    run(async () => {
      if (!vote) return;
      setClosing(await api<{ voted: number; notVoted: NotVoted[] }>(`${councilApi(code)}/votes/${vote.id}/not-voted`));
    });
  const confirmClose = () =>
    run(async () => {
      if (!vote || !closing) return;
      try {
        await api(`${councilApi(code)}/votes/${vote.id}/close`, {
          method: 'POST',
          body: { expectNotVoted: closing.notVoted.map((n) => n.memberId) },
        });
        setClosing(undefined);
      } catch (err) {
        if (err instanceof ApiError && err.type.endsWith('council-not-voted-changed')) {
          const now = await api<{ voted: number; notVoted: NotVoted[] }>(
            `${councilApi(code)}/votes/${vote.id}/not-voted`,
          );
          setClosing({ ...now, changed: true });
          return;
        }
        setClosing(undefined);
        throw err;
      }
    });
  const items = snap.agenda.filter((a) => !a.withdrawn);
  return (
    <section className="council-panel council-console" aria-labelledby="console-heading">
      <h2 id="console-heading">{t('chair.title')}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="council-inline">
        {status === 'published' ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void post(`/sittings/${sittingId}/status`, { action: 'open' })}
          >
            {t('chair.openSitting')}
          </button>
        ) : null}
        {status === 'open' && !vote ? (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => setClosingSitting(true)}>
            {t('chair.closeSitting')}
          </button>
        ) : null}
        {vote ? (
          <button type="button" className="button" disabled={busy} onClick={() => void askToClose()}>
            {t('chair.closeVote', { number: vote.number })}
          </button>
        ) : null}
      </div>
      <ConfirmDialog
        open={Boolean(closing && vote)}
        title={t('chair.confirmClose.title', { number: vote?.number })}
        confirmLabel={t('chair.confirmClose.confirm')}
        busy={busy}
        onCancel={() => setClosing(undefined)}
        onConfirm={() => void confirmClose()}
      >
        {closing ? (
          <>
            {closing.changed ? <Notice kind="warning">{t('chair.confirmClose.changed')}</Notice> : null}
            <p>{t('chair.confirmClose.consequence', { voted: closing.voted })}</p>
            {closing.notVoted.length ? (
              <div className="notice notice-warning">
                <p>{t('chair.confirmClose.notVoted', { count: closing.notVoted.length })}</p>
                <ul>
                  {closing.notVoted.map((n) => (
                    <li key={n.memberId}>{n.name}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p>{t('chair.confirmClose.allVoted')}</p>
            )}
          </>
        ) : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={closingSitting}
        title={t('chair.confirmCloseSitting.title')}
        confirmLabel={t('chair.confirmCloseSitting.confirm')}
        busy={busy}
        onCancel={() => setClosingSitting(false)}
        onConfirm={() =>
          void post(`/sittings/${sittingId}/status`, { action: 'close' }).then(() => setClosingSitting(false))
        }
      >
        <p>{t('chair.confirmCloseSitting.consequence')}</p>
      </ConfirmDialog>
      {status === 'open' ? (
        <>
          <h3>{t('chair.items')}</h3>
          <ul className="council-console-items">
            {items.map((a) => (
              <li key={a.id}>
                <span>
                  {a.position}. {a.title}{' '}
                  {a.id === snap.state.sitting.currentItemId ? <em>({t('chair.current')})</em> : null}
                </span>
                <span className="council-inline">
                  <button
                    type="button"
                    className="button-secondary small"
                    disabled={busy}
                    aria-label={t('chair.setCurrentLabel', { title: a.title })}
                    onClick={() =>
                      void run(() =>
                        api(`${councilApi(code)}/sittings/${sittingId}/current-item`, {
                          method: 'PUT',
                          body: { itemId: a.id },
                        }),
                      )
                    }
                  >
                    {t('chair.setCurrent')}
                  </button>
                  <button
                    type="button"
                    className="button small"
                    disabled={busy || Boolean(vote)}
                    aria-label={t('chair.startVoteLabel', { title: a.title })}
                    onClick={() => void post(`/sittings/${sittingId}/votes`, { itemId: a.id })}
                  >
                    {a.kind === 'election' ? t('chair.startElection') : t('chair.startVote')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {['published', 'open'].includes(status) ? (
        <>
          <h3>{t('chair.attendance')}</h3>
          <p className="council-inline">
            <button
              type="button"
              className="button-secondary"
              disabled={busy || snap.roster.every((m) => m.status !== 'active' || snap.attendance.here[m.id])}
              onClick={() => void markAllPresent()}
            >
              {t('chair.allPresent')}
            </button>
            <span className="muted">{t('chair.allPresentHelp')}</span>
          </p>
          <TableWrap label={t('chair.attendance')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('member.name')}</th>
                  <th scope="col">{t('chair.presence')}</th>
                  <th scope="col">{t('chair.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {snap.roster
                  .filter((m) => m.status === 'active')
                  .map((m) => {
                    const here = snap.attendance.here[m.id];
                    return (
                      <tr key={m.id}>
                        <td>{m.name}</td>
                        <td>{here ? t(`mode.${here}`) : t('live.absent')}</td>
                        <td>
                          <button
                            type="button"
                            className="button-secondary small"
                            disabled={busy}
                            aria-label={
                              here
                                ? t('chair.markAbsentLabel', { name: m.name })
                                : t('chair.markPresentLabel', { name: m.name })
                            }
                            onClick={() => void mark(m.id, !here)}
                          >
                            {here ? t('chair.markAbsent') : t('chair.markPresent')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
      {status === 'closed' ? (
        <p>
          <Link to={`/volikogu/${code}/istung/${sittingId}/protokoll`}>{t('chair.toMinutes')}</Link>
        </p>
      ) : null}
      <p className="muted">{t('chair.youAre', { role: t(`chair.as.${detail.you.operator}`) })}</p>
    </section>
  );
}

function Agenda({
  code,
  sittingId,
  detail,
  snap,
  me,
  reloadMe,
}: {
  code: string;
  sittingId: string;
  detail: SittingDetail;
  snap: Snapshot | undefined;
  me: MyPlace | undefined;
  reloadMe: () => void;
}) {
  const { t } = useCouncilT();
  const [recusing, setRecusing] = useState<string>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const canRecuse = me?.acting && ['published', 'open'].includes(snap?.state.sitting.status ?? detail.status);
  const recuse = async (itemId: string) => {
    setError(undefined);
    try {
      await api(`${councilApi(code)}/sittings/${sittingId}/items/${itemId}/recusals`, {
        method: 'POST',
        body: reason.trim() ? { reason: reason.trim() } : {},
      });
      setRecusing(undefined);
      setReason('');
      reloadMe();
    } catch (err) {
      setError(err);
    }
  };
  const name = (id: string) => snap?.roster.find((m) => m.id === id)?.name ?? '—';
  return (
    <section aria-labelledby="agenda-heading">
      <h2 id="agenda-heading">{t('sitting.agenda')}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      <ol className="council-agenda">
        {detail.items.map((i) => {
          const live = snap?.agenda.find((a) => a.id === i.id);
          const recused = me?.recusedItemIds.includes(i.id);
          return (
            <li key={i.id} className={i.withdrawn ? 'withdrawn' : undefined}>
              <h3>
                {i.title} {i.withdrawn ? <span className="muted">({t('item.withdrawn')})</span> : null}
                {!i.isPublic ? <span className="muted"> ({t('item.closed')})</span> : null}
              </h3>
              <p className="muted">
                {i.kind === 'election' ? t('item.election') : t('item.decision')} · <RuleText rule={i.majority} />
                {i.rapporteur ? ` · ${t('item.rapporteur', { name: i.rapporteur })}` : ''}
              </p>
              {i.restricted ? <p className="muted">{t('item.restricted')}</p> : null}
              {i.description ? <p>{i.description}</p> : null}
              {i.draftDecision ? (
                <details>
                  <summary>{t('item.draft')}</summary>
                  <p className="council-draft">{i.draftDecision}</p>
                </details>
              ) : null}
              {i.candidates.length ? (
                <p>{t('item.candidates', { names: i.candidates.map((c) => c.name).join(', ') })}</p>
              ) : null}
              {i.documents.length ? (
                <ul>
                  {i.documents.map((doc) => (
                    <li key={doc.id}>
                      <a href={`${councilApi(code)}/sittings/${sittingId}/documents/${doc.id}`}>{doc.title}</a>{' '}
                      <span className="muted">(PDF, {Math.max(1, Math.round(doc.sizeBytes / 1024))} KB)</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {live?.recused.length ? (
                <p>{t('item.recusedList', { names: live.recused.map(name).join(', ') })}</p>
              ) : null}
              {canRecuse && !i.withdrawn ? (
                recused ? (
                  <p className="council-voted">{t('item.youRecused')}</p>
                ) : recusing === i.id ? (
                  <form
                    className="form council-recuse"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void recuse(i.id);
                    }}
                  >
                    <TextField
                      label={t('item.reason')}
                      help={t('item.reasonHelp')}
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      maxLength={1000}
                    />
                    <div className="council-inline">
                      <button type="submit" className="button">
                        {t('item.confirmRecuse')}
                      </button>
                      <button type="button" className="button-secondary" onClick={() => setRecusing(undefined)}>
                        {t('item.cancel')}
                      </button>
                    </div>
                  </form>
                ) : (
                  <button
                    type="button"
                    className="button-secondary small"
                    aria-label={t('item.recuseLabel', { title: i.title })}
                    onClick={() => setRecusing(i.id)}
                  >
                    {t('item.recuse')}
                  </button>
                )
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
