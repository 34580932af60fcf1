import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ErrorNotice,
  ErrorSummary,
  Notice,
  SelectField,
  TableWrap,
  TextArea,
  TextField,
  fieldId,
  formErrors,
  useLoad,
} from '../../components/ui';
import { TranslationFields, translationsBody, type TranslationValues } from '../../components/TranslationFields';

/** ELVL's editors and admins organise events. */
export function useOrganiser() {
  const session = useSession();
  return Boolean(
    session.me?.platformAdmin ||
    session.me?.roles.some((r) => r.municipalityCode === '0000' && (r.role === 'editor' || r.role === 'admin')),
  );
}

const KINDS = ['webinar', 'seminar', 'workshop'];

export function NewEventForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('community');
  const [f, setF] = useState({
    kind: 'webinar',
    title: '',
    description: '',
    startsAt: '',
    endsAt: '',
    location: '',
    onlineUrl: '',
    capacity: '',
    visibility: 'officials',
  });
  const [tr, setTr] = useState<TranslationValues>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof f, v: string) => setF({ ...f, [k]: v });
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    // What the page can tell by itself, every field at once (the server checks again).
    const starts = f.startsAt ? new Date(f.startsAt) : undefined;
    const ends = f.endsAt ? new Date(f.endsAt) : undefined;
    const wrong = formErrors([
      ...(!f.title.trim()
        ? [{ pointer: '/body/title', code: 'required' }]
        : f.title.trim().length < 3
          ? [{ pointer: '/body/title', code: 'minLength', limit: 3 }]
          : []),
      ...(!starts ? [{ pointer: '/body/startsAt', code: 'required' }] : []),
      ...(!ends
        ? [{ pointer: '/body/endsAt', code: 'required' }]
        : starts && ends <= starts
          ? [{ pointer: '/body/endsAt', detail: t('organise.endsBeforeStarts') }]
          : []),
      ...(!f.location.trim() && !f.onlineUrl.trim()
        ? [{ pointer: '/body/location', detail: t('organise.placeOrLink') }]
        : []),
      ...(f.onlineUrl.trim() && !/^https?:\/\/\S+\.\S+/.test(f.onlineUrl.trim())
        ? [{ pointer: '/body/onlineUrl', code: 'format', format: 'uri' }]
        : []),
      ...(f.capacity.trim() && !(/^\d+$/.test(f.capacity.trim()) && Number(f.capacity) >= 1)
        ? [{ pointer: '/body/capacity', detail: t('organise.capacityWrong') }]
        : []),
    ]);
    if (wrong) {
      setError(wrong);
      return;
    }
    setError(undefined);
    try {
      await api('/api/v1/community/events', {
        method: 'POST',
        body: {
          kind: f.kind,
          title: f.title,
          description: f.description,
          translations: translationsBody(tr),
          startsAt: f.startsAt ? new Date(f.startsAt).toISOString() : '',
          endsAt: f.endsAt ? new Date(f.endsAt).toISOString() : '',
          location: f.location,
          onlineUrl: f.onlineUrl.trim(),
          capacity: f.capacity ? Number(f.capacity) : null,
          visibility: f.visibility,
        },
      });
      setDone(true);
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  // The summary at the top names every wrong field and links to it; each field says it again.
  const labels: Record<string, string> = {
    '/body/kind': t('organise.kind'),
    '/body/title': t('organise.title'),
    '/body/description': t('organise.description'),
    '/body/startsAt': t('organise.startsAt'),
    '/body/endsAt': t('organise.endsAt'),
    '/body/location': t('organise.location'),
    '/body/onlineUrl': t('organise.onlineUrl'),
    '/body/capacity': t('organise.capacity'),
    '/body/visibility': t('organise.visibility'),
  };
  return (
    <section>
      <h2>{t('organise.newEvent')}</h2>
      {done ? <Notice kind="success">{t('organise.created')}</Notice> : null}
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={error} labels={labels} ns="community" />
        <SelectField
          label={t('organise.kind')}
          id={fieldId('/body/kind')}
          value={f.kind}
          onChange={(e) => set('kind', e.target.value)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('organise.title')}
          id={fieldId('/body/title')}
          value={f.title}
          onChange={(e) => set('title', e.target.value)}
          required
          error={fe('/body/title')}
        />
        <TextArea
          label={t('organise.description')}
          id={fieldId('/body/description')}
          value={f.description}
          onChange={(e) => set('description', e.target.value)}
          rows={3}
          error={fe('/body/description')}
        />
        <TranslationFields
          fields={[
            { key: 'title', label: t('organise.title'), maxLength: 200 },
            { key: 'description', label: t('organise.description'), multiline: true },
          ]}
          value={tr}
          onChange={setTr}
          errorOf={(field, lang) => fe(`/body/translations/${field}/${lang}`)}
        />
        <TextField
          label={t('organise.startsAt')}
          id={fieldId('/body/startsAt')}
          type="datetime-local"
          value={f.startsAt}
          onChange={(e) => set('startsAt', e.target.value)}
          required
          error={fe('/body/startsAt')}
        />
        <TextField
          label={t('organise.endsAt')}
          id={fieldId('/body/endsAt')}
          type="datetime-local"
          value={f.endsAt}
          onChange={(e) => set('endsAt', e.target.value)}
          required
          error={fe('/body/endsAt')}
        />
        <TextField
          label={t('organise.location')}
          id={fieldId('/body/location')}
          value={f.location}
          onChange={(e) => set('location', e.target.value)}
          error={fe('/body/location')}
        />
        <TextField
          label={t('organise.onlineUrl')}
          id={fieldId('/body/onlineUrl')}
          type="url"
          value={f.onlineUrl}
          onChange={(e) => set('onlineUrl', e.target.value)}
          error={fe('/body/onlineUrl')}
        />
        <TextField
          label={t('organise.capacity')}
          id={fieldId('/body/capacity')}
          help={t('organise.capacityHelp')}
          type="number"
          min={1}
          value={f.capacity}
          onChange={(e) => set('capacity', e.target.value)}
          error={fe('/body/capacity')}
        />
        <SelectField
          label={t('organise.visibility')}
          id={fieldId('/body/visibility')}
          value={f.visibility}
          onChange={(e) => set('visibility', e.target.value)}
        >
          <option value="officials">{t('organise.officials')}</option>
          <option value="public">{t('organise.public')}</option>
        </SelectField>
        <button type="submit" className="button">
          {t('organise.create')}
        </button>
      </form>
    </section>
  );
}

interface Participant {
  personId: string;
  name: string;
  municipality: string | null;
  status: string;
  attended: boolean | null;
}

/** Participants and waiting list, attendance, materials (organisers). */
export function ManageEvent({ eventId, onChanged }: { eventId: string; onChanged: () => void }) {
  const { t } = useTranslation('community');
  const list = useLoad(
    (signal) => api<Participant[]>(`/api/v1/community/events/${eventId}/participants`, { signal }),
    [eventId],
  );
  const [marks, setMarks] = useState<Record<string, boolean>>({});
  const [material, setMaterial] = useState({ title: '', url: '' });
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const saveAttendance = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const registered = (list.data ?? []).filter((p) => p.status === 'registered');
    try {
      await api(`/api/v1/community/events/${eventId}/attendance`, {
        method: 'PUT',
        body: {
          marks: registered.map((p) => ({ personId: p.personId, attended: marks[p.personId] ?? p.attended ?? false })),
        },
      });
      setMessage(t('organise.attendanceSaved'));
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const addMaterial = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(`/api/v1/community/events/${eventId}/materials`, { method: 'POST', body: material });
      setMaterial({ title: '', url: '' });
      setMessage(t('organise.materialAdded'));
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>{t('organise.participants')}</h2>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {list.data ? (
        <form onSubmit={saveAttendance}>
          <TableWrap label={t('organise.participants')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('organise.name')}</th>
                  <th scope="col">{t('organise.status')}</th>
                  <th scope="col">{t('organise.attended')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((p) => (
                  <tr key={p.personId}>
                    <th scope="row">{p.name}</th>
                    <td>
                      {p.status === 'registered'
                        ? t('event.registered')
                        : p.status === 'waitlisted'
                          ? t('event.waitlisted')
                          : t('mine.statuses.cancelled')}
                    </td>
                    <td>
                      {p.status === 'registered' ? (
                        <input
                          type="checkbox"
                          aria-label={t('organise.attendedBy', { name: p.name })}
                          checked={marks[p.personId] ?? p.attended ?? false}
                          onChange={(e) => setMarks({ ...marks, [p.personId]: e.target.checked })}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <button type="submit" className="button-secondary">
            {t('organise.saveAttendance')}
          </button>
        </form>
      ) : null}
      <h2>{t('organise.addMaterial')}</h2>
      <form className="form" onSubmit={addMaterial}>
        <TextField
          label={t('organise.materialTitle')}
          value={material.title}
          onChange={(e) => setMaterial({ ...material, title: e.target.value })}
          required
        />
        <TextField
          label={t('organise.materialUrl')}
          type="url"
          value={material.url}
          onChange={(e) => setMaterial({ ...material, url: e.target.value })}
          required
        />
        <button type="submit" className="button-secondary">
          {t('organise.add')}
        </button>
      </form>
    </section>
  );
}
