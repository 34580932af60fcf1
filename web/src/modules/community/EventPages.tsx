import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, TextField, formatDate, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { LocalText, UntranslatedNotice, langOf, usePickText, type Translations } from '../../components/LocalText';
import { ManageEvent, NewEventForm, useOrganiser } from './Organiser';

interface Event {
  id: string;
  kind: string;
  title: string;
  description: string;
  /** Russian and English title and description (the reader's language is picked, else Estonian with a note). */
  translations: Translations<'title' | 'description'>;
  startsAt: string;
  endsAt: string;
  location: string;
  onlineUrl: string;
  capacity: number | null;
  visibility: string;
  status: string;
  registered: number;
  waitlisted: number;
  placesLeft: number | null;
  myStatus: string | null;
  myWaitlistPosition: number | null;
  materials?: { id: string; title: string; url: string }[];
}

function Places({ e }: { e: Event }) {
  const { t } = useTranslation('community');
  if (e.placesLeft === null) return <>{t('list.unlimited')}</>;
  return <>{e.placesLeft > 0 ? t('list.places', { count: e.placesLeft }) : t('list.full')}</>;
}

export function EventsPage() {
  const { t, i18n } = useTranslation('community');
  const session = useSession();
  const events = useLoad((signal) => api<Event[]>('/api/v1/community/events', { signal }), [session.me?.authenticated]);
  const organiser = useOrganiser();
  return (
    <Page title={t('list.title')} lead={t('list.lead')}>
      {!session.isOfficial && !session.loading ? <Notice>{t('list.publicOnly')}</Notice> : null}
      <p>
        <a href="/ical/community/public.ics">{t('list.subscribe')}</a>
        {session.me?.authenticated ? (
          <>
            {' · '}
            <Link to="/uritused/minu">{t('list.mine')}</Link>
          </>
        ) : null}
        {session.isOfficial ? (
          <>
            {' · '}
            <Link to="/koolitus">{t('list.training')}</Link>
          </>
        ) : null}
      </p>
      {events.loading ? <Loading /> : null}
      {events.error ? <ErrorNotice error={events.error} onRetry={events.reload} /> : null}
      {events.data?.length === 0 ? <p>{t('list.none')}</p> : null}
      <ul className="cards community-events">
        {events.data?.map((e) => (
          <li key={e.id} className="card">
            <h2 className="community-event-title">
              <Link to={`/uritused/${e.id}`}>
                <LocalText et={e.title} tr={e.translations.title} />
              </Link>
            </h2>
            <p className="muted">
              {t(`kinds.${e.kind}`)} · {formatDate(e.startsAt, i18n.language, true)}
            </p>
            <p>{e.location || e.onlineUrl}</p>
            <p>
              <Places e={e} />
            </p>
          </li>
        ))}
      </ul>
      {organiser ? <NewEventForm onCreated={events.reload} /> : null}
    </Page>
  );
}

export function EventPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('community');
  const session = useSession();
  const event = useLoad(
    (signal) => api<Event>(`/api/v1/community/events/${id}`, { signal }),
    [id, session.me?.authenticated],
  );
  const [message, setMessage] = useState<string>();
  /** The status the last registration or cancellation gave (before the event is read again). */
  const [outcome, setOutcome] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const organiser = useOrganiser();
  const pick = usePickText();
  if (event.loading && !event.data) return <Loading />;
  if (event.error || !event.data) return <ErrorNotice error={event.error} onRetry={event.reload} />;
  const e = event.data;
  const act = async (method: 'POST' | 'DELETE') => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ status: string; waitlistPosition: number | null }>(
        `/api/v1/community/events/${id}/registration`,
        { method },
      );
      setOutcome(r.status);
      setMessage(
        r.status === 'registered'
          ? t('event.youRegistered')
          : r.status === 'waitlisted'
            ? t('event.youWaitlisted', { position: r.waitlistPosition })
            : t('event.youCancelled'),
      );
      event.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const active = e.myStatus === 'registered' || e.myStatus === 'waitlisted';
  const title = pick(e.title, e.translations.title);
  const description = pick(e.description, e.translations.description);
  return (
    <Page title={title.text} titleLang={langOf(title)} lead={t(`kinds.${e.kind}`)}>
      <UntranslatedNotice picked={[title, description.text ? description : undefined]} />
      <p>
        <Link to="/uritused">{t('event.back')}</Link>
      </p>
      {e.status === 'cancelled' ? <Notice kind="warning">{t('event.cancelled')}</Notice> : null}
      <dl className="facts">
        <dt>{t('event.when')}</dt>
        <dd>
          {formatDate(e.startsAt, i18n.language, true)} – {formatDate(e.endsAt, i18n.language, true)}
        </dd>
        {e.location ? (
          <>
            <dt>{t('event.where')}</dt>
            <dd>{e.location}</dd>
          </>
        ) : null}
        {e.onlineUrl ? (
          <>
            <dt>{t('event.link')}</dt>
            <dd>
              <a href={e.onlineUrl}>{e.onlineUrl}</a>
            </dd>
          </>
        ) : null}
        <dt>{t('event.capacity')}</dt>
        <dd>
          <Places e={e} /> ({t('event.registered')}: {e.registered}, {t('event.waitlisted')}: {e.waitlisted})
        </dd>
      </dl>
      {description.text.split(/\n\s*\n/).map((p, i) => (
        <p key={i} lang={langOf(description)}>
          {p}
        </p>
      ))}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {!message && e.myStatus === 'registered' ? <Notice kind="success">{t('event.youRegistered')}</Notice> : null}
      {!message && e.myStatus === 'waitlisted' ? (
        <Notice>{t('event.youWaitlisted', { position: e.myWaitlistPosition })}</Notice>
      ) : null}
      {/* Right after registering (or cancelling): what happens next, and where to go on (the calendar link follows below). */}
      {message && outcome && e.status !== 'cancelled' ? (
        <section className="next" aria-labelledby="community-next-h">
          <h2 id="community-next-h">{t('event.whatNext')}</h2>
          <p>
            {outcome === 'registered'
              ? t('event.nextRegistered')
              : outcome === 'waitlisted'
                ? t('event.nextWaitlisted')
                : t('event.nextCancelled')}
          </p>
          <ul className="next-steps">
            <li>
              <Link to="/uritused/minu">{t('event.toMine')}</Link>
            </li>
            <li>
              <Link to="/uritused">{t('event.back')}</Link>
            </li>
          </ul>
        </section>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {e.status !== 'cancelled' ? (
        session.me?.authenticated ? (
          <p>
            {active ? (
              <button type="button" className="button-secondary" disabled={busy} onClick={() => void act('DELETE')}>
                {t('event.cancel')}
              </button>
            ) : (
              <button type="button" className="button" disabled={busy} onClick={() => void act('POST')}>
                {t('event.register')}
              </button>
            )}
          </p>
        ) : (
          <p>
            <a className="button" href={session.loginUrl()}>
              {t('event.loginToRegister')}
            </a>
          </p>
        )
      ) : null}
      <p>
        <a href={`/api/v1/community/events/${id}/event.ics`}>{t('event.ics')}</a>
      </p>
      {e.materials?.length ? (
        <>
          <h2>{t('event.materials')}</h2>
          <ul>
            {e.materials.map((m) => (
              <li key={m.id}>
                <a href={m.url}>{m.title}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {organiser ? <ManageEvent eventId={id} onChanged={event.reload} /> : null}
    </Page>
  );
}

interface Mine {
  registrations: {
    eventId: string;
    title: string;
    translations?: Translations<'title' | 'description'>;
    startsAt: string;
    status: string;
    waitlistPosition: number | null;
  }[];
  notifications: { id: string; kind: string; eventId: string; title: string; at: string }[];
}

export function MyEventsPage() {
  return (
    <RequireLogin>
      <MyEvents />
    </RequireLogin>
  );
}

function MyEvents() {
  const { t, i18n } = useTranslation('community');
  const mine = useLoad((signal) => api<Mine>('/api/v1/community/me', { signal }), []);
  const [feed, setFeed] = useState<string>();
  const [error, setError] = useState<unknown>();
  const makeFeed = async () => {
    try {
      setFeed((await api<{ url: string }>('/api/v1/community/me/feed', { method: 'POST' })).url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('mine.title')}>
      {mine.loading ? <Loading /> : null}
      {mine.error ? <ErrorNotice error={mine.error} onRetry={mine.reload} /> : null}
      {mine.data ? (
        <>
          {mine.data.registrations.length === 0 ? <p>{t('mine.none')}</p> : null}
          <ul>
            {mine.data.registrations.map((r) => (
              <li key={r.eventId}>
                <Link to={`/uritused/${r.eventId}`}>
                  <LocalText et={r.title} tr={r.translations?.title} />
                </Link>{' '}
                · {formatDate(r.startsAt, i18n.language, true)} ·{' '}
                {t(`mine.statuses.${r.status}`, { position: r.waitlistPosition })}
              </li>
            ))}
          </ul>
          <h2>{t('mine.notifications')}</h2>
          {mine.data.notifications.length === 0 ? <p>{t('mine.noNotifications')}</p> : null}
          <ul>
            {mine.data.notifications.map((n) => (
              <li key={n.id}>
                {t(`mine.kinds.${n.kind}`)}: <Link to={`/uritused/${n.eventId}`}>{n.title}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="help">{t('mine.feedHelp')}</p>
      <button type="button" className="button-secondary" onClick={() => void makeFeed()}>
        {t('mine.feed')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
      {feed ? <TextField label={t('mine.feedUrl')} value={feed} readOnly /> : null}
    </Page>
  );
}

interface Programme {
  id: string;
  title: string;
  description: string;
  requiredSessions: number;
  groups: { id: string; name: string; members: number; completed: number; sessions: number }[];
}

export function TrainingPage() {
  return (
    <RequireLogin>
      <Training />
    </RequireLogin>
  );
}

function Training() {
  const { t } = useTranslation('community');
  const list = useLoad((signal) => api<Programme[]>('/api/v1/training/programmes', { signal }), []);
  return (
    <Page title={t('training.title')} lead={t('training.lead')}>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data?.length === 0 ? <p>{t('training.none')}</p> : null}
      {list.data?.map((p) => (
        <section key={p.id}>
          <h2>{p.title}</h2>
          <p>{p.description}</p>
          <p className="muted">{t('training.required', { count: p.requiredSessions })}</p>
          <h3>{t('training.groups')}</h3>
          <ul>
            {p.groups.map((g) => (
              <li key={g.id}>
                {g.name}: {t('training.members', { count: g.members, completed: g.completed, sessions: g.sessions })}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  );
}
