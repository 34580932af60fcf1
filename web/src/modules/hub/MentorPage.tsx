import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, SelectField, TextArea, TextField, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';

interface Offer {
  id: string;
  mentorName: string;
  homeMunicipality: string;
  eitsModules: string[];
  description: string;
  capacity: number;
  activeMentees: number;
  active: boolean;
}
interface Request {
  id: string;
  municipalityName: string;
  eitsModules: string[];
  description: string;
  status: string;
  mentor: { name: string } | null;
  sessions: number;
}

export function MentorPage() {
  return (
    <RequireLogin>
      <Mentors />
    </RequireLogin>
  );
}

function Mentors() {
  const { t } = useTranslation('hub');
  const m = useAdminMunicipalities(['admin', 'editor', 'analyst']);
  const own = m.options.filter((c) => c !== '0000');
  const offers = useLoad((signal) => api<Offer[]>('/api/v1/mentors/offers', { signal }), []);
  const requests = useLoad((signal) => api<Request[]>('/api/v1/mentors/requests', { signal }), []);
  const [offer, setOffer] = useState({ modules: '', description: '', capacity: '2' });
  const [ask, setAsk] = useState({ modules: '', description: '', municipality: '' });
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const send = async (e: FormEvent, path: string, body: unknown, reset: () => void) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(path, { method: 'POST', body });
      setMessage(t('mentors.sent'));
      reset();
      offers.reload();
      requests.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('mentors.title')} lead={t('mentors.lead')}>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <h2>{t('mentors.offers')}</h2>
      {offers.loading ? <Loading /> : null}
      {offers.data?.length === 0 ? <p>{t('mentors.none')}</p> : null}
      <ul>
        {offers.data?.map((o) => (
          <li key={o.id}>
            <strong>{o.mentorName}</strong> ({m.nameOf(o.homeMunicipality)}): {o.eitsModules.join(', ')} —{' '}
            {o.description} [{o.activeMentees}/{o.capacity}]
          </li>
        ))}
      </ul>
      <h2>{t('mentors.requests')}</h2>
      {requests.data?.length === 0 ? <p>{t('mentors.none')}</p> : null}
      <ul>
        {requests.data?.map((r) => (
          <li key={r.id}>
            <strong>{r.municipalityName}</strong>: {r.eitsModules.join(', ')} — {r.description} ·{' '}
            {t(`mentors.statuses.${r.status}`)}
            {r.mentor ? ` · ${t('mentors.mentor')}: ${r.mentor.name}` : ''} ·{' '}
            {t('mentors.sessions', { count: r.sessions })}
          </li>
        ))}
      </ul>
      <h2>{t('mentors.offer')}</h2>
      <form
        className="form"
        onSubmit={(e) =>
          void send(
            e,
            '/api/v1/mentors/offers',
            { eitsModules: list(offer.modules), description: offer.description, capacity: Number(offer.capacity) },
            () => setOffer({ modules: '', description: '', capacity: '2' }),
          )
        }
      >
        <TextField
          label={t('mentors.modules')}
          value={offer.modules}
          onChange={(e) => setOffer({ ...offer, modules: e.target.value })}
          required
        />
        <TextArea
          label={t('mentors.description')}
          value={offer.description}
          onChange={(e) => setOffer({ ...offer, description: e.target.value })}
          rows={2}
        />
        <TextField
          label={t('mentors.capacity')}
          type="number"
          min={1}
          max={20}
          value={offer.capacity}
          onChange={(e) => setOffer({ ...offer, capacity: e.target.value })}
        />
        <button type="submit" className="button">
          {t('mentors.send')}
        </button>
      </form>
      {own.length ? (
        <>
          <h2>{t('mentors.ask')}</h2>
          <form
            className="form"
            onSubmit={(e) =>
              void send(
                e,
                '/api/v1/mentors/requests',
                {
                  municipalityCode: ask.municipality || own[0],
                  eitsModules: list(ask.modules),
                  description: ask.description,
                },
                () => setAsk({ modules: '', description: '', municipality: '' }),
              )
            }
          >
            <SelectField
              label={t('mentors.municipality')}
              value={ask.municipality || own[0]}
              onChange={(e) => setAsk({ ...ask, municipality: e.target.value })}
            >
              {own.map((c) => (
                <option key={c} value={c}>
                  {m.nameOf(c)}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t('mentors.modules')}
              value={ask.modules}
              onChange={(e) => setAsk({ ...ask, modules: e.target.value })}
              required
            />
            <TextArea
              label={t('mentors.description')}
              value={ask.description}
              onChange={(e) => setAsk({ ...ask, description: e.target.value })}
              rows={3}
              required
            />
            <button type="submit" className="button">
              {t('mentors.send')}
            </button>
          </form>
        </>
      ) : null}
    </Page>
  );
}
