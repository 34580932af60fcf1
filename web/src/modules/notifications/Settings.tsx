import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import {
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
import { RequireLogin } from '../../pages/RequireLogin';
import { LANGUAGES, type Lang } from '../../i18n';
import {
  TOPIC_GROUP_LABELS,
  TOPIC_LABELS,
  type Follow,
  type NotificationSettings,
  type TopicSetting,
} from '../../../../src/modules/notifications/contract';

/**
 * Notification settings: the e-mail address (confirmed by a link), language and digest, per-topic
 * choices for the centre and e-mail, and the areas followed for new problem reports.
 */
export function SettingsPage() {
  return (
    <RequireLogin>
      <Settings />
    </RequireLogin>
  );
}

const lang3 = (l: string): Lang => (l === 'ru' || l === 'en' ? l : 'et');

function Settings() {
  const { t, i18n } = useTranslation('notifications');
  const settings = useLoad((signal) => api<NotificationSettings>('/api/v1/me/notification-settings', { signal }), []);
  if (settings.loading && !settings.data) return <Loading />;
  if (settings.error) return <ErrorNotice error={settings.error} onRetry={settings.reload} />;
  const s = settings.data!;
  return (
    <Page title={t('settings.title')} lead={t('settings.lead')}>
      <p>
        <Link to="/teavitused">{t('centre.title')}</Link>
      </p>
      <EmailSection s={s} onChange={settings.reload} lang={lang3(i18n.language)} />
      <GeneralSection s={s} onChange={settings.reload} />
      <TopicsSection s={s} onChange={settings.reload} />
      <FollowsSection />
    </Page>
  );
}

function EmailSection({ s, onChange, lang }: { s: NotificationSettings; onChange: () => void; lang: Lang }) {
  const { t, i18n } = useTranslation('notifications');
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setMessage(undefined);
    try {
      const r = await api<NotificationSettings>('/api/v1/me/notification-settings/email', {
        method: 'PUT',
        body: { email: email.trim(), language: lang },
      });
      setMessage(t('settings.sent', { email: r.pendingEmail ?? email.trim() }));
      setEmail('');
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await api('/api/v1/me/notification-settings/email', { method: 'DELETE' });
      setMessage(t('settings.removed'));
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const fieldError = error instanceof ApiError ? error.fieldError('/body/email') : undefined;
  return (
    <section aria-labelledby="email-title">
      <h2 id="email-title">{t('settings.emailTitle')}</h2>
      {!s.emailAvailable ? <Notice>{t('settings.unavailable')}</Notice> : null}
      {s.email ? <p>{t('settings.current', { email: s.email })}</p> : null}
      {s.emailBouncedAt ? <Notice kind="warning">{t('settings.bounced')}</Notice> : null}
      {s.pendingEmail ? (
        <p>
          {t('settings.pending', {
            email: s.pendingEmail,
            until: formatDate(s.pendingExpiresAt!, i18n.language, true),
          })}
        </p>
      ) : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error && !fieldError ? <ErrorNotice error={error} /> : null}
      {s.emailAvailable ? (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <TextField
            label={t('settings.emailLabel')}
            help={t('settings.emailHelp')}
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            value={email}
            error={fieldError}
            onChange={(e) => setEmail(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit">{t('settings.sendLink')}</button>
            {s.email || s.pendingEmail ? (
              <button type="button" className="button-secondary" onClick={() => void remove()}>
                {t('settings.remove')}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </section>
  );
}

function GeneralSection({ s, onChange }: { s: NotificationSettings; onChange: () => void }) {
  const { t } = useTranslation('notifications');
  const [language, setLanguage] = useState(s.language);
  const [digest, setDigest] = useState(s.digest);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api('/api/v1/me/notification-settings', { method: 'PUT', body: { language, digest } });
      setSaved(true);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="general-title">
      <h2 id="general-title">{t('settings.generalTitle')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <SelectField
          label={t('settings.language')}
          value={language}
          onChange={(e) => setLanguage(lang3(e.target.value))}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.label}
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend>{t('settings.digest')}</legend>
          {(['off', 'daily'] as const).map((d) => (
            <div className="field radio" key={d}>
              <input
                id={`digest-${d}`}
                type="radio"
                name="digest"
                checked={digest === d}
                onChange={() => setDigest(d)}
              />
              <label htmlFor={`digest-${d}`}>{t(d === 'off' ? 'settings.digestOff' : 'settings.digestDaily')}</label>
            </div>
          ))}
        </fieldset>
        {saved ? <Notice kind="success">{t('settings.saved')}</Notice> : null}
        {error ? <ErrorNotice error={error} /> : null}
        <button type="submit">{t('settings.save')}</button>
      </form>
    </section>
  );
}

function TopicsSection({ s, onChange }: { s: NotificationSettings; onChange: () => void }) {
  const { t, i18n } = useTranslation('notifications');
  const lang = lang3(i18n.language);
  const [topics, setTopics] = useState<TopicSetting[]>(s.topics);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => setTopics(s.topics), [s.topics]);
  const set = (topic: string, key: 'inApp' | 'email', value: boolean) =>
    setTopics((all) => all.map((x) => (x.topic === topic ? { ...x, [key]: value } : x)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api('/api/v1/me/notification-settings', {
        method: 'PUT',
        body: {
          topics: topics.filter((x) => !x.required).map((x) => ({ topic: x.topic, inApp: x.inApp, email: x.email })),
        },
      });
      setSaved(true);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const groups = [...new Set(topics.map((x) => x.group))];
  return (
    <section aria-labelledby="topics-title">
      <h2 id="topics-title">{t('settings.topicsTitle')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {groups.map((g) => (
          <TableWrap key={g} label={TOPIC_GROUP_LABELS[g]?.[lang] ?? g}>
            <table className="topic-table">
              <caption>{TOPIC_GROUP_LABELS[g]?.[lang] ?? g}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.topic')}</th>
                  <th scope="col">{t('settings.inApp')}</th>
                  <th scope="col">{t('settings.email')}</th>
                </tr>
              </thead>
              <tbody>
                {topics
                  .filter((x) => x.group === g)
                  .map((x) => {
                    const label = TOPIC_LABELS[x.topic]?.[lang] ?? x.topic;
                    return (
                      <tr key={x.topic}>
                        <th scope="row" id={`topic-${x.topic}`}>
                          {label}
                          {x.required ? <span className="muted"> ({t('settings.required')})</span> : null}
                        </th>
                        {(['inApp', 'email'] as const).map((k) => (
                          <td key={k}>
                            <input
                              type="checkbox"
                              aria-label={`${label}: ${t(k === 'inApp' ? 'settings.inApp' : 'settings.email')}`}
                              checked={x[k]}
                              disabled={x.required}
                              onChange={(e) => set(x.topic, k, e.target.checked)}
                            />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </TableWrap>
        ))}
        {saved ? <Notice kind="success">{t('settings.saved')}</Notice> : null}
        {error ? <ErrorNotice error={error} /> : null}
        <button type="submit">{t('settings.save')}</button>
      </form>
    </section>
  );
}

/** Follow a settlement unit or a whole municipality (issue 17's pages may add drawn areas through the same API). */
export function FollowsSection() {
  const { t, i18n } = useTranslation('notifications');
  const municipality = useMunicipality();
  const follows = useLoad((signal) => api<Follow[]>('/api/v1/me/follows', { signal }), []);
  const [code, setCode] = useState(municipality.selected);
  const [place, setPlace] = useState('');
  const [frequency, setFrequency] = useState<'instant' | 'daily'>('instant');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const settlements = useLoad(
    (signal) =>
      code
        ? api<{ code: string; name: string }[]>(`/api/v1/municipalities/${code}/settlements`, { signal })
        : Promise.resolve([]),
    [code],
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setMessage(undefined);
    try {
      const f = await api<Follow>('/api/v1/me/follows', {
        method: 'POST',
        body: { placeCode: place || code, frequency },
      });
      setMessage(t('settings.followed', { place: f.placeName ?? f.name ?? '' }));
      follows.reload();
    } catch (err) {
      setError(err);
    }
  };
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setMessage(undefined);
    try {
      await fn();
      setMessage(done);
      follows.reload();
    } catch (err) {
      setError(err);
    }
  };
  const nameOf = (f: Follow) => {
    if (!f.placeCode) return t('settings.drawn', { name: f.name ?? '' });
    const m = municipality.nameOf(f.municipalityCode);
    if (f.placeCode === f.municipalityCode) return `${m} (${t('settings.wholeMunicipality').toLowerCase()})`;
    return f.placeName && f.placeName !== m ? `${f.placeName}, ${m}` : (f.placeName ?? f.placeCode);
  };
  return (
    <section aria-labelledby="follows-title">
      <h2 id="follows-title">{t('settings.followsTitle')}</h2>
      <p>{t('settings.followsLead')}</p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {follows.data && follows.data.length === 0 ? <p>{t('settings.noFollows')}</p> : null}
      {follows.data?.length ? (
        <ul className="follow-list">
          {follows.data.map((f) => (
            <li key={f.id}>
              <span className="follow-name">{nameOf(f)}</span>{' '}
              <label className="visually-hidden" htmlFor={`freq-${f.id}`}>
                {t('settings.frequency')}: {nameOf(f)}
              </label>
              <select
                id={`freq-${f.id}`}
                value={f.frequency}
                onChange={(e) =>
                  void act(
                    () => api(`/api/v1/me/follows/${f.id}`, { method: 'PATCH', body: { frequency: e.target.value } }),
                    t('settings.saved'),
                  )
                }
              >
                <option value="instant">{t('settings.instant')}</option>
                <option value="daily">{t('settings.daily')}</option>
              </select>{' '}
              <button
                type="button"
                className="button-secondary"
                onClick={() =>
                  void act(() => api(`/api/v1/me/follows/${f.id}`, { method: 'DELETE' }), t('settings.unfollowed'))
                }
              >
                {t('settings.unfollow')}
                <span className="visually-hidden">: {nameOf(f)}</span>
              </button>
              <span className="muted"> · {formatDate(f.createdAt, i18n.language)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <SelectField
          label={t('settings.municipality')}
          value={code}
          required
          onChange={(e) => {
            setCode(e.target.value);
            setPlace('');
          }}
        >
          <option value="">{t('settings.chooseMunicipality')}</option>
          {municipality.list.map((m) => (
            <option key={m.code} value={m.code}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('settings.settlement')}
          value={place}
          disabled={!code}
          onChange={(e) => setPlace(e.target.value)}
        >
          <option value="">{t('settings.wholeMunicipality')}</option>
          {(settlements.data ?? []).map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('settings.frequency')}
          value={frequency}
          onChange={(e) => setFrequency(e.target.value === 'daily' ? 'daily' : 'instant')}
        >
          <option value="instant">{t('settings.instant')}</option>
          <option value="daily">{t('settings.daily')}</option>
        </SelectField>
        <button type="submit" disabled={!code}>
          {t('settings.follow')}
        </button>
      </form>
    </section>
  );
}
