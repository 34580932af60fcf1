import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TextArea,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { MapView } from '../../components/MapView';
import { STATUSES, catName, type ReportView } from './api';
import { StatusBadge } from './ReportsHome';
import { DeliveryLog } from './Settings';

/**
 * One report: what, where, its status history with exact times and who handles it, photos,
 * "me too"; the questionnaire for its reporter once it is closed; and for officials of the
 * municipality the handling panel (status, public update or internal note, assignment, merge,
 * moderation, delivery log).
 */
export function ReportPage() {
  const { t, i18n } = useTranslation('reports');
  const { id } = useParams();
  const [search] = useSearchParams();
  const key = search.get('key') ?? undefined;
  const session = useSession();
  const report = useLoad(
    (signal) => api<ReportView>(`/api/v1/reports/${id}${key ? `?key=${encodeURIComponent(key)}` : ''}`, { signal }),
    [id, key, session.me?.authenticated],
  );
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();

  if (report.loading && !report.data) return <Loading />;
  if (report.error) {
    return (
      <Page title={t('report.notFound')}>
        <ErrorNotice error={report.error} />
      </Page>
    );
  }
  const r = report.data!;
  const name = catName({ name: r.categoryName }, i18n.language, r.categoryCode);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setMessage(undefined);
    try {
      await fn();
      setMessage(done);
      report.reload();
    } catch (err) {
      setError(err);
    }
  };
  const who = (h: ReportView['history'][number]) =>
    h.by.kind === 'official'
      ? (h.by.name ?? t('by.official'))
      : h.by.kind === 'reporter'
        ? h.by.name
          ? `${h.by.name} (${t('by.reporter')})`
          : t('by.reporter')
        : t(`by.${h.by.kind}`);

  return (
    <Page title={t('report.title', { category: name, id: r.id })}>
      {search.get('new') ? (
        <>
          <Notice kind="success">
            {t('report.thanks')} {key ? t('report.keepLink') : null}
          </Notice>
          {/* Just sent: what happens next, and where to go on (no dead end). */}
          <section className="next" aria-labelledby="reports-next-h">
            <h2 id="reports-next-h">{t('report.whatNext')}</h2>
            <p>
              {t('report.nextHandled', {
                handler: r.body?.name ?? r.municipalityName,
              })}{' '}
              {r.slaDueAt ? t('report.nextDue', { due: formatDate(r.slaDueAt, i18n.language) }) : null}{' '}
              {t('report.nextFollow')}
            </p>
            <ul className="next-steps">
              <li>
                <Link to="/teated/uus">{t('report.toNew')}</Link>
              </li>
              <li>
                <Link to="/teated">{t('report.toAll')}</Link>
              </li>
              {session.me?.authenticated ? (
                <li>
                  <Link to="/minu-vald">{t('report.toMinuVald')}</Link>
                </li>
              ) : null}
              <li>
                <Link to="/">{t('report.toHome')}</Link>
              </li>
            </ul>
          </section>
        </>
      ) : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <p>
        <StatusBadge status={r.status} />{' '}
        {r.internal?.hidden ? <strong className="status-badge status-hidden">{t('report.hidden')}</strong> : null}
      </p>
      <dl className="facts">
        <dt>{t('field.place')}</dt>
        <dd>{[r.municipalityName, r.settlementName, r.address].filter(Boolean).join(', ')}</dd>
        <dt>{t('field.created')}</dt>
        <dd>{formatDate(r.createdAt, i18n.language, true)}</dd>
        <dt>{t('field.handler')}</dt>
        <dd>
          {r.body
            ? t('report.routedTo', { body: r.body.name })
            : [r.municipalityName, r.department, r.assignee?.name].filter(Boolean).join(' – ')}
        </dd>
        {r.slaDueAt ? (
          <>
            <dt>{t('field.slaDue')}</dt>
            <dd>{formatDate(r.slaDueAt, i18n.language)}</dd>
          </>
        ) : null}
        {r.closedAt ? (
          <>
            <dt>{t('field.closed')}</dt>
            <dd>{formatDate(r.closedAt, i18n.language, true)}</dd>
          </>
        ) : null}
        {r.reporterName ? (
          <>
            <dt>{t('field.reporter')}</dt>
            <dd>{r.reporterName}</dd>
          </>
        ) : null}
        <dt>{t('field.meToo')}</dt>
        <dd>{r.meTooCount}</dd>
        {r.duplicateOf ? (
          <>
            <dt>{t('field.duplicateOf')}</dt>
            <dd>
              <Link to={`/teated/${r.duplicateOf}`}>#{r.duplicateOf}</Link>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t('field.description')}</h2>
      <p className="report-description">{r.description}</p>
      {r.photos.length ? (
        <ul className="report-photos">
          {r.photos.map((p) => (
            <li key={p.position}>
              <a href={p.url}>
                <img src={p.thumbUrl} alt={t('report.photoAlt', { n: p.position })} width={Math.min(240, p.width)} />
              </a>
              {p.hidden ? <span className="muted"> {t('report.photoHidden')}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {session.me?.authenticated && !r.viewer.isReporter ? (
        r.viewer.supported ? (
          <p role="status">{t('report.meTooDone')}</p>
        ) : (
          <button
            type="button"
            className="button-secondary"
            onClick={() =>
              void act(() => api(`/api/v1/reports/${r.id}/support`, { method: 'POST' }), t('report.meTooDone'))
            }
          >
            {t('report.meToo')}
          </button>
        )
      ) : null}

      {r.viewer.canRate ? (
        <Survey
          id={r.id}
          manageKey={key}
          onDone={() => {
            setMessage(t('survey.thanks'));
            report.reload();
          }}
        />
      ) : null}
      {r.viewer.isReporter && r.viewer.ratedThisClosing ? <p>{t('survey.already')}</p> : null}

      <h2>{t('report.history')}</h2>
      <ol className="report-history">
        {r.history.map((h) => (
          <li key={h.id} className={h.public ? '' : 'internal'}>
            <time dateTime={h.at}>{formatDate(h.at, i18n.language, true)}</time> —{' '}
            <strong>{t(`event.${h.kind}`)}</strong>
            {h.statusTo && h.kind !== 'created' ? (
              <> {t('report.toStatus', { status: t(`status.${h.statusTo}`) })}</>
            ) : null}
            {h.kind === 'assigned' && h.details?.department ? <> ({String(h.details.department)})</> : null}{' '}
            <span className="muted">· {who(h)}</span>
            {!h.public ? <span className="muted"> · {t('report.internal')}</span> : null}
            {h.text ? <p>{h.text}</p> : null}
          </li>
        ))}
      </ol>

      <MapView
        label={t('report.mapLabel')}
        hint={t('report.mapHint', {
          place: [r.settlementName, r.address].filter(Boolean).join(', ') || r.municipalityName,
        })}
        municipalityCode={r.municipalityCode}
        markers={[{ id: String(r.id), lat: r.lat, lon: r.lon, label: name }]}
        center={{ lat: r.lat, lon: r.lon }}
        zoom={15}
      />

      {r.viewer.isOfficial && r.internal ? <Handling r={r} act={act} /> : null}
    </Page>
  );
}

function Survey({ id, manageKey, onDone }: { id: number; manageKey: string | undefined; onDone: () => void }) {
  const { t } = useTranslation('reports');
  const [fixed, setFixed] = useState('');
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [reopen, setReopen] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(`/api/v1/reports/${id}/survey`, {
        method: 'POST',
        body: {
          fixed,
          rating: Number(rating),
          ...(comment.trim() ? { comment: comment.trim() } : {}),
          reopen,
          ...(manageKey ? { manageToken: manageKey } : {}),
        },
      });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="form report-survey" id="tagasiside" onSubmit={(e) => void submit(e)}>
      <h2>{t('survey.title')}</h2>
      <fieldset>
        <legend>{t('survey.fixed')}</legend>
        {(['yes', 'no', 'dont_know'] as const).map((v) => (
          <div className="field radio" key={v}>
            <input
              id={`fixed-${v}`}
              type="radio"
              name="fixed"
              value={v}
              checked={fixed === v}
              onChange={() => setFixed(v)}
              required
            />
            <label htmlFor={`fixed-${v}`}>{t(`survey.${v}`)}</label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('survey.rating')}</legend>
        <div className="rating-row">
          {[1, 2, 3, 4, 5].map((n) => (
            <div className="field radio" key={n}>
              <input
                id={`rating-${n}`}
                type="radio"
                name="rating"
                value={n}
                checked={rating === String(n)}
                onChange={() => setRating(String(n))}
                required
              />
              <label htmlFor={`rating-${n}`}>{t('survey.stars', { n })}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <TextArea
        label={t('survey.comment')}
        value={comment}
        maxLength={2000}
        rows={3}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="field checkbox">
        <input id="survey-reopen" type="checkbox" checked={reopen} onChange={(e) => setReopen(e.target.checked)} />
        <label htmlFor="survey-reopen">{t('survey.reopen')}</label>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <button type="submit" className="button">
        {t('survey.submit')}
      </button>
    </form>
  );
}

function Handling({ r, act }: { r: ReportView; act: (fn: () => Promise<unknown>, done: string) => Promise<void> }) {
  const { t } = useTranslation('reports');
  const session = useSession();
  const base = `/api/v1/municipalities/${r.municipalityCode}/reports/${r.id}`;
  const canHandle = session.municipalitiesWith(['admin', 'editor']).some((m) => m === '*' || m === r.municipalityCode);
  const officials = useLoad(
    (signal) =>
      canHandle
        ? api<{ personId: string; name: string }[]>(`/api/v1/municipalities/${r.municipalityCode}/reports/officials`, {
            signal,
          })
        : Promise.resolve([]),
    [r.municipalityCode, canHandle],
  );
  const [status, setStatus] = useState(r.status);
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [department, setDepartment] = useState(r.department ?? '');
  const [assignee, setAssignee] = useState(r.assignee?.personId ?? '');
  const [original, setOriginal] = useState('');
  const [redacted, setRedacted] = useState(r.description);
  const [reason, setReason] = useState('');
  const internalInfo = r.internal!;
  if (!canHandle) return null;
  return (
    <section className="report-handling" aria-labelledby="handling-title">
      <h2 id="handling-title">{t('handle.title')}</h2>
      <dl className="facts">
        <dt>{t('handle.reporterContact')}</dt>
        <dd>
          {[internalInfo.reporter.name, internalInfo.reporter.email, internalInfo.reporter.phone]
            .filter(Boolean)
            .join(', ') || '—'}
        </dd>
        <dt>{t('handle.channel')}</dt>
        <dd>{internalInfo.channel}</dd>
        {internalInfo.externalId ? (
          <>
            <dt>{t('handle.externalId')}</dt>
            <dd>{internalInfo.externalId}</dd>
          </>
        ) : null}
        {internalInfo.satisfaction.map((s) => (
          <div key={s.closing}>
            <dt>{t('handle.satisfaction', { n: s.closing })}</dt>
            <dd>
              {t(`survey.${s.fixed}`)}, {t('survey.stars', { n: s.rating })}
              {s.comment ? ` – ${s.comment}` : ''}
            </dd>
          </div>
        ))}
      </dl>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api(`${base}/updates`, {
                method: 'POST',
                body: internal
                  ? { text, internal: true }
                  : { ...(status !== r.status ? { status } : {}), ...(text.trim() ? { text } : {}) },
              }),
            t('handle.saved'),
          ).then(() => setText(''));
        }}
      >
        <h3>{t('handle.updateTitle')}</h3>
        <SelectField
          label={t('field.status')}
          value={status}
          disabled={internal}
          onChange={(e) => setStatus(e.target.value)}
        >
          {STATUSES.filter((s) => s !== 'duplicate').map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextArea
          label={t('handle.text')}
          help={t('handle.textHelp')}
          value={text}
          rows={3}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="field checkbox">
          <input
            id="handle-internal"
            type="checkbox"
            checked={internal}
            onChange={(e) => setInternal(e.target.checked)}
          />
          <label htmlFor="handle-internal">{t('handle.internal')}</label>
        </div>
        <button type="submit" className="button">
          {t('handle.save')}
        </button>
      </form>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api(`${base}/assign`, {
                method: 'POST',
                body: { department: department.trim() || null, assigneePersonId: assignee || null },
              }),
            t('handle.assigned'),
          );
        }}
      >
        <h3>{t('handle.assignTitle')}</h3>
        <TextField
          label={t('handle.department')}
          value={department}
          maxLength={200}
          onChange={(e) => setDepartment(e.target.value)}
        />
        <SelectField label={t('handle.assignee')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">{t('handle.nobody')}</option>
          {(officials.data ?? []).map((o) => (
            <option key={o.personId} value={o.personId}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button-secondary">
          {t('handle.assign')}
        </button>
      </form>
      {r.status !== 'duplicate' ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => api(`${base}/merge`, { method: 'POST', body: { duplicateOf: Number(original) } }),
              t('handle.merged'),
            );
          }}
        >
          <h3>{t('handle.mergeTitle')}</h3>
          <TextField
            label={t('handle.original')}
            inputMode="numeric"
            pattern="[0-9]*"
            value={original}
            onChange={(e) => setOriginal(e.target.value)}
          />
          <button type="submit" className="button-secondary">
            {t('handle.merge')}
          </button>
        </form>
      ) : null}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api(`${base}/moderate`, {
                method: 'POST',
                body: { reason, ...(redacted !== r.description ? { description: redacted } : {}) },
              }),
            t('handle.moderated'),
          ).then(() => setReason(''));
        }}
      >
        <h3>{t('handle.moderateTitle')}</h3>
        <TextArea
          label={t('handle.redact')}
          value={redacted}
          rows={3}
          maxLength={4000}
          onChange={(e) => setRedacted(e.target.value)}
        />
        <TextField
          label={t('handle.reason')}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="submit" className="button-secondary">
          {t('handle.saveModeration')}
        </button>{' '}
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            void act(
              () =>
                api(`${base}/moderate`, {
                  method: 'POST',
                  body: { hidden: !internalInfo.hidden, reason: reason || t('handle.defaultReason') },
                }),
              t('handle.moderated'),
            )
          }
        >
          {internalInfo.hidden ? t('handle.unhide') : t('handle.hide')}
        </button>
        {r.photos.map((p) => (
          <button
            key={p.position}
            type="button"
            className="button-secondary small"
            onClick={() =>
              void act(
                () =>
                  api(`${base}/moderate`, {
                    method: 'POST',
                    body: {
                      photos: [{ position: p.position, hidden: !p.hidden }],
                      reason: reason || t('handle.defaultReason'),
                    },
                  }),
                t('handle.moderated'),
              )
            }
          >
            {p.hidden ? t('handle.showPhoto', { n: p.position }) : t('handle.hidePhoto', { n: p.position })}
          </button>
        ))}
      </form>
      <h3>{t('handle.deliveries')}</h3>
      <DeliveryLog municipalityCode={r.municipalityCode} reportId={r.id} />
    </section>
  );
}
