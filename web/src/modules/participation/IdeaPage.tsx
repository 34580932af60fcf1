import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import { MapView, type MapPoint } from '../../components/MapView';
import {
  ErrorNotice,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  SelectField,
  TextArea,
  TextField,
  fieldId,
  formErrors,
  useLoad,
} from '../../components/ui';
import { voteApi, votePath, type Idea, type Place, type Vote } from './api';
import { useP } from './shared';
import { usePickText } from '../../components/LocalText';

/**
 * /haaletused/:code/:id/idee — a resident submits an idea to a participatory budget: title,
 * description, settlement unit, a place on the map (optional; the settlement field is the way
 * without a map), estimated cost and up to five photos (sent to the idea's photo endpoint, which
 * checks, resizes and strips them like every image upload of the platform).
 */
export function IdeaPage() {
  const { t } = useP();
  const pick = usePickText();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const vote = useLoad((signal) => api<Vote>(voteApi(code, id), { signal }), [code, id]);
  const places = useLoad((signal) => api<Place[]>(`/api/v1/municipalities/${code}/settlements`, { signal }), [code]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [settlement, setSettlement] = useState('');
  const [point, setPoint] = useState<MapPoint | null>(null);
  const [cost, setCost] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<{ idea: Idea; photoErrors: number } | null>(null);

  if (vote.loading) return <Loading />;
  if (vote.error || !vote.data)
    return <Page title={t('vote.notFound')}>{vote.error ? <ErrorNotice error={vote.error} /> : null}</Page>;
  const v = vote.data;
  const back = votePath(code, id);
  if (!session.me?.authenticated) {
    return (
      <Page title={t('idea.title', { vote: pick(v.title, v.translations.title).text })}>
        <a className="button" href={session.loginUrl()}>
          {t('ideas.loginToSubmit')}
        </a>
      </Page>
    );
  }
  if (v.phase !== 'proposals') {
    return (
      <Page title={t('idea.title', { vote: pick(v.title, v.translations.title).text })}>
        <Notice kind="info">{t('idea.closed')}</Notice>
        <ul className="next-steps">
          <li>
            <Link to={back}>{t('idea.back')}</Link>
          </li>
          <li>
            <Link to="/minu-vald">{t('vote.toMinuVald')}</Link>
          </li>
          <li>
            <Link to="/">{t('vote.toHome')}</Link>
          </li>
        </ul>
      </Page>
    );
  }
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const euros = cost.trim() ? Number(cost.replace(',', '.').replace(/\s/g, '')) : null;
    // Everything the page can tell by itself, at once; the server checks again and adds the rest.
    const wrong = formErrors([
      ...(title.trim().length < 3
        ? [{ pointer: '/body/title', code: title.trim() ? 'minLength' : 'required', limit: 3 }]
        : []),
      ...(!description.trim() ? [{ pointer: '/body/description', code: 'required' }] : []),
      ...(euros !== null && (!Number.isFinite(euros) || euros < 0)
        ? [{ pointer: '/body/estimatedCostCents', detail: t('idea.costInvalid') }]
        : []),
    ]);
    if (wrong) {
      setError(wrong);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const idea = await api<Idea>(`${voteApi(code, id)}/ideas`, {
        method: 'POST',
        body: {
          title: title.trim(),
          description: description.trim(),
          settlementCode: settlement || null,
          location: point ? { lat: point.lat, lon: point.lon } : null,
          estimatedCostCents: euros === null ? null : Math.round(euros * 100),
        },
      });
      let photoErrors = 0;
      for (const f of photos) {
        const form = new FormData();
        form.append('file', f, f.name);
        await api(`${voteApi(code, id)}/ideas/${idea.id}/photos`, { method: 'POST', raw: form }).catch(
          () => (photoErrors += 1),
        );
      }
      setSaved({ idea, photoErrors });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (saved) {
    return (
      <Page title={t('idea.thanks')}>
        <Notice kind="success">{t('idea.saved', { number: saved.idea.number, title: saved.idea.title })}</Notice>
        {saved.photoErrors ? <Notice kind="warning">{t('idea.photoErrors', { n: saved.photoErrors })}</Notice> : null}
        <Link to={back}>{t('idea.back')}</Link>
      </Page>
    );
  }
  return (
    <Page title={t('idea.title', { vote: pick(v.title, v.translations.title).text })} lead={t('idea.lead')}>
      <form className="form pv-idea-form" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary
          error={error}
          ns="participation"
          labels={{
            '/body/title': t('idea.name'),
            '/body/description': t('idea.description'),
            '/body/settlementCode': t('idea.settlement'),
            '/body/location': t('idea.mapLabel'),
            '/body/location/lat': t('idea.mapLabel'),
            '/body/location/lon': t('idea.mapLabel'),
            '/body/estimatedCostCents': t('idea.cost'),
          }}
        />
        <TextField
          label={t('idea.name')}
          id={fieldId('/body/title')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          minLength={3}
          maxLength={200}
          error={fieldError('/body/title')}
        />
        <TextArea
          label={t('idea.description')}
          id={fieldId('/body/description')}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          required
          maxLength={10000}
          error={fieldError('/body/description')}
        />
        <SelectField
          label={t('idea.settlement')}
          id={fieldId('/body/settlementCode')}
          help={t('idea.settlementHelp')}
          value={settlement}
          onChange={(e) => setSettlement(e.target.value)}
          error={fieldError('/body/settlementCode')}
        >
          <option value="">{t('idea.noSettlement')}</option>
          {(places.data ?? []).map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <MapView
          label={t('idea.mapLabel')}
          hint={t('idea.mapHint')}
          municipalityCode={code}
          picked={point}
          onPick={setPoint}
        >
          {point ? (
            <p>
              {t('idea.picked', { lat: point.lat.toFixed(5), lon: point.lon.toFixed(5) })}{' '}
              <button type="button" className="link-button" onClick={() => setPoint(null)}>
                {t('idea.clearPoint')}
              </button>
            </p>
          ) : null}
        </MapView>
        {fieldError('/body/location/lat') || fieldError('/body/location/lon') ? (
          <p className="field-error">{t('idea.outsideEstonia')}</p>
        ) : null}
        <TextField
          label={t('idea.cost')}
          id={fieldId('/body/estimatedCostCents')}
          help={t('idea.costHelp')}
          value={cost}
          inputMode="decimal"
          onChange={(e) => setCost(e.target.value)}
          error={fieldError('/body/estimatedCostCents')}
        />
        <div className="field">
          <label htmlFor="pv-idea-photos">{t('idea.photos')}</label>
          <p id="pv-idea-photos-help" className="help">
            {t('idea.photosHelp')}
          </p>
          <input
            id="pv-idea-photos"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic"
            multiple
            aria-describedby="pv-idea-photos-help"
            onChange={(e) => setPhotos([...(e.target.files ?? [])].slice(0, 5))}
          />
        </div>
        <div className="pv-actions">
          <button type="submit" className="button" disabled={busy}>
            {t('idea.submit')}
          </button>
          <Link to={back}>{t('idea.cancel')}</Link>
        </div>
      </form>
    </Page>
  );
}
