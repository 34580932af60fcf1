import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import {
  ErrorSummary,
  Notice,
  Page,
  SelectField,
  TextArea,
  TextField,
  fieldId,
  formErrors,
  useLoad,
} from '../../components/ui';
import { MapView, type MapPoint } from '../../components/MapView';
import { catName, type Category } from './api';

interface Located {
  municipality: { code: string; name: string };
  settlement: { code: string; name: string } | null;
}
interface Place {
  code: string;
  name: string;
  lat: number;
  lon: number;
}
interface OfficialAddress {
  address: string;
  fullAddress: string;
  lat: number;
  lon: number;
  place: (Located & { snapped: boolean }) | null;
}
interface Photo {
  file: File;
  url: string;
}
interface Duplicate {
  id: number;
  description: string;
  distanceM: number;
  meTooCount: number;
}

const MAX = 4000;

/** A fresh Idempotency-Key: 128 random bits in hex (works outside secure contexts too, unlike randomUUID). */
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a submission sends, as text: the same text is the same submission (photos by name, size and date). */
function submissionContent(form: FormData): string {
  return JSON.stringify(
    [...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : [v.name, v.size, v.type, v.lastModified]]),
  );
}
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/gif'];
const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * Report a problem. First "where is it?": search an official address (In-ADS through
 * /api/v1/map/addresses), or use the device's position, then adjust the pin on the map; the pin's
 * official address (/api/v1/map/addresses/at) is shown and the report is routed by the pin's
 * municipality and settlement unit. Without the map: a settlement unit and an address. Then the
 * category of that municipality, the description, photos (previewed, removable, checked for type
 * and size before sending) and optional contact details. Similar open reports nearby are offered
 * first ("me too"). A mistake anywhere keeps everything typed.
 */
export function NewReport() {
  const { t, i18n } = useTranslation('reports');
  const navigate = useNavigate();
  const session = useSession();
  const municipality = useMunicipality();
  const [point, setPoint] = useState<MapPoint | null>(null);
  const [located, setLocated] = useState<Located | null>(null);
  const [locError, setLocError] = useState<string>();
  const [muni, setMuni] = useState(municipality.selected || '0784');
  const [settlement, setSettlement] = useState('');
  const [address, setAddress] = useState('');
  const [category, setCategory] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoErrors, setPhotoErrors] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<OfficialAddress[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [official, setOfficial] = useState<OfficialAddress | null>(null);
  const addressTyped = useRef(false);
  const photosRef = useRef(photos);
  photosRef.current = photos;
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [showName, setShowName] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [supported, setSupported] = useState<number>();
  // The submission being attempted: its content and its Idempotency-Key. A retry of the same
  // content (after a network error, a timeout, a double click) sends the same key, so the server
  // makes one report of them all and answers the retry with that report; other content is another
  // submission with a new key (the server would refuse other content under the old key).
  const attempt = useRef<{ content: string; key: string }>(undefined);

  const places = useLoad((signal) => api<Place[]>(`/api/v1/map/municipalities/${muni}/places`, { signal }), [muni]);
  const target = located?.municipality.code ?? muni;
  const categories = useLoad(
    (signal) => api<Category[]>(`/api/v1/municipalities/${target}/report-categories`, { signal }),
    [target],
  );
  const chosen = categories.data?.find((c) => c.code === category);
  const dups = useLoad(
    (signal) =>
      point && category && located
        ? api<Duplicate[]>(
            `/api/v1/reports/duplicates?municipality=${located.municipality.code}&category=${category}&lat=${point.lat}&lon=${point.lon}`,
            { signal },
          )
        : Promise.resolve([]),
    [point?.lat, point?.lon, category, located?.municipality.code],
  );

  // A point on the map: its municipality and settlement unit, and the official address nearest to it.
  const pick = async (p: MapPoint, known?: OfficialAddress) => {
    setPoint(p);
    setLocError(undefined);
    setOfficial(known ?? null);
    try {
      const at = known
        ? { place: known.place, address: known }
        : await api<{ place: Located | null; address: OfficialAddress | null }>(
            `/api/v1/map/addresses/at?lat=${p.lat}&lon=${p.lon}`,
          );
      setLocated(at.place);
      if (!at.place) {
        setLocError(t('new.outside'));
        return;
      }
      setMuni(at.place.municipality.code);
      setSettlement(at.place.settlement?.code ?? '');
      setOfficial(at.address);
      if (at.address && !addressTyped.current) setAddress(at.address.address);
    } catch (err) {
      // The address service may be down: the place on the map still counts.
      try {
        const l = await api<Located | null>(`/api/v1/map/locate?lat=${p.lat}&lon=${p.lon}`);
        setLocated(l);
        if (!l) setLocError(t('new.outside'));
        else {
          setMuni(l.municipality.code);
          setSettlement(l.settlement?.code ?? '');
          setLocError(t('new.addressServiceDown'));
        }
      } catch {
        setLocError((err as Error).message);
      }
    }
  };

  const search = async () => {
    const q = query.trim();
    if (q.length < 2) {
      setHits([]);
      return;
    }
    setSearching(true);
    setLocError(undefined);
    try {
      setHits(await api<OfficialAddress[]>(`/api/v1/map/addresses?q=${encodeURIComponent(q)}`));
    } catch (err) {
      setHits(null);
      setLocError(err instanceof ApiError && err.status === 503 ? t('new.addressServiceDown') : (err as Error).message);
    } finally {
      setSearching(false);
    }
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void search();
    }
  };
  const choose = (h: OfficialAddress) => {
    setHits(null);
    addressTyped.current = false;
    void pick({ lat: h.lat, lon: h.lon }, h);
  };
  const locateMe = () => {
    setLocError(undefined);
    if (!navigator.geolocation) {
      setLocError(t('new.locateUnavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => void pick({ lat: round6(pos.coords.latitude), lon: round6(pos.coords.longitude) }),
      () => setLocError(t('new.locateFailed')),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const addPhotos = (files: File[]) => {
    const errors: string[] = [];
    const ok: Photo[] = [];
    for (const f of files) {
      if (!PHOTO_TYPES.includes(f.type)) errors.push(t('new.photoNotImage', { name: f.name }));
      else if (f.size > MAX_PHOTO_BYTES) errors.push(t('new.photoTooLarge', { name: f.name }));
      else if (photos.length + ok.length >= MAX_PHOTOS)
        errors.push(t('new.photoTooMany', { name: f.name, n: MAX_PHOTOS }));
      else ok.push({ file: f, url: URL.createObjectURL(f) });
    }
    setPhotoErrors(errors);
    if (ok.length) setPhotos([...photos, ...ok]);
  };
  const removePhoto = (i: number) => {
    URL.revokeObjectURL(photos[i]!.url);
    setPhotos(photos.filter((_, j) => j !== i));
    setPhotoErrors([]);
  };

  // The non-map way: choosing a settlement unit places the point inside it.
  const chooseSettlement = (code: string) => {
    setSettlement(code);
    const p = places.data?.find((x) => x.code === code);
    if (p) void pick({ lat: p.lat, lon: p.lon });
  };

  // The municipality chosen in the header (for a logged-in resident: where they live, once the
  // register has answered) until the resident picks a place; their settlement unit with it.
  useEffect(() => {
    if (point || !municipality.selected) return;
    setMuni(municipality.selected);
    const home = municipality.home;
    setSettlement(home && home.municipalityCode === municipality.selected ? (home.settlementCode ?? '') : '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [municipality.selected, municipality.home]);

  useEffect(() => {
    if (category && categories.data && !categories.data.some((c) => c.code === category)) setCategory('');
  }, [categories.data, category]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // What the page can tell by itself, all at once (the server checks again and adds the rest).
    const wrong = formErrors([
      ...(!point && !settlement ? [{ pointer: '/body/lat', code: 'required' }] : []),
      ...(!category ? [{ pointer: '/body/categoryCode', code: 'required' }] : []),
      ...(chosen?.attributes ?? [])
        .filter((a) => a.required && !answers[a.code])
        .map((a) => ({ pointer: `/body/attributes/${a.code}`, code: 'required' })),
      ...(!description.trim() ? [{ pointer: '/body/description', code: 'required' }] : []),
      // Worded by the page: the server's refusal of a long text has no code, only English words.
      ...(description.trim().length > MAX ? [{ pointer: '/body/description', code: 'maxLength', limit: MAX }] : []),
      ...(email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())
        ? [{ pointer: '/body/email', code: 'format', format: 'email' }]
        : []),
    ]);
    if (wrong) {
      setError(wrong);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const form = new FormData();
      form.set('categoryCode', category);
      form.set('description', description);
      if (point) {
        form.set('lat', String(point.lat));
        form.set('lon', String(point.lon));
      } else if (settlement) form.set('settlementCode', settlement);
      if (address.trim()) form.set('address', address.trim());
      if (Object.keys(answers).length) form.set('attributes', JSON.stringify(answers));
      if (name.trim()) form.set('name', name.trim());
      if (email.trim()) form.set('email', email.trim());
      if (phone.trim()) form.set('phone', phone.trim());
      if (showName) form.set('showName', 'true');
      for (const p of photos) form.append('photos', p.file, p.file.name);
      const content = submissionContent(form);
      if (attempt.current?.content !== content) attempt.current = { content, key: newIdempotencyKey() };
      const res = await api<{ id: number; manageToken: string }>('/api/v1/reports/form', {
        method: 'POST',
        raw: form,
        headers: { 'idempotency-key': attempt.current.key },
      });
      // Done: anything sent from this form from now on is a new report.
      attempt.current = undefined;
      navigate(`/teated/${res.id}?key=${encodeURIComponent(res.manageToken)}&new=1`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const meToo = async (id: number) => {
    try {
      const r = await api<{ meTooCount: number }>(`/api/v1/reports/${id}/support`, { method: 'POST' });
      setSupported(id);
      void r;
    } catch (err) {
      setError(err);
    }
  };

  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  // The summary at the top names every wrong field and links to it; each field says it again.
  const labels: Record<string, string> = {
    '/body/lat': t('new.place'),
    '/body/lon': t('new.place'),
    '/body/settlementCode': t('new.settlement'),
    '/body/address': t('new.address'),
    '/body/categoryCode': t('field.category'),
    '/body/description': t('field.description'),
    '/body/photos': t('new.photos'),
    '/body/name': t('new.name'),
    '/body/email': t('new.email'),
    '/body/phone': t('new.phone'),
    ...Object.fromEntries((chosen?.attributes ?? []).map((a) => [`/body/attributes/${a.code}`, a.description])),
  };

  return (
    <Page title={t('new.title')} lead={t('new.lead')}>
      <form className="form report-form" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary error={error} labels={labels} ns="reports" />
        <fieldset>
          <legend>{t('new.where')}</legend>
          <div className="field address-search">
            <label htmlFor={fieldId('/body/lat')}>{t('new.searchAddress')}</label>
            <p id="report-address-search-help" className="help">
              {t('new.searchAddressHelp')}
            </p>
            <div className="address-search-row">
              <input
                id={fieldId('/body/lat')}
                type="search"
                value={query}
                maxLength={200}
                autoComplete="off"
                aria-describedby="report-address-search-help"
                onChange={(e) => setQuery(e.target.value)}
                onKeyDown={onSearchKey}
              />
              <button type="button" className="button-secondary" disabled={searching} onClick={() => void search()}>
                {t('new.search')}
              </button>
              <button type="button" className="button-secondary" onClick={locateMe}>
                {t('new.locateMe')}
              </button>
            </div>
          </div>
          {hits && hits.length === 0 ? (
            <Notice kind="error">{t('new.addressNotFound', { q: query.trim() })}</Notice>
          ) : null}
          {hits && hits.length > 0 ? (
            <ul className="address-hits" aria-label={t('new.addressHits')}>
              {hits.map((h) => (
                <li key={`${h.fullAddress}-${h.lat}-${h.lon}`}>
                  <button type="button" className="link-button" onClick={() => choose(h)}>
                    {h.address}
                  </button>{' '}
                  <span className="muted">
                    {[h.place?.settlement?.name, h.place?.municipality.name].filter(Boolean).join(', ') ||
                      h.fullAddress}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          <MapView
            label={t('new.mapLabel')}
            hint={t('new.mapHint')}
            municipalityCode={muni}
            picked={point}
            onPick={(p) => void pick(p)}
          />
          {located ? (
            <Notice kind="info">
              {t('new.locatedAt', {
                municipality: located.municipality.name,
                settlement: located.settlement?.name ?? '—',
              })}
              {official ? (
                <>
                  {' '}
                  <span className="official-address">{t('new.officialAddress', { address: official.address })}</span>
                </>
              ) : (
                <> {t('new.noOfficialAddress')}</>
              )}
            </Notice>
          ) : null}
          {locError ? <Notice kind="error">{locError}</Notice> : null}
          {fieldError('/body/lat') ? <Notice kind="error">{fieldError('/body/lat')}</Notice> : null}
          <p className="help">{t('new.noMap')}</p>
          <SelectField
            label={t('new.municipality')}
            value={muni}
            onChange={(e) => {
              setMuni(e.target.value);
              setPoint(null);
              setLocated(null);
              setSettlement('');
            }}
          >
            {municipality.list.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('new.settlement')}
            id={fieldId('/body/settlementCode')}
            value={settlement}
            onChange={(e) => chooseSettlement(e.target.value)}
          >
            <option value="">{t('new.chooseSettlement')}</option>
            {(places.data ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('new.address')}
            id={fieldId('/body/address')}
            help={t('new.addressHelp')}
            value={address}
            maxLength={300}
            autoComplete="street-address"
            onChange={(e) => {
              addressTyped.current = true;
              setAddress(e.target.value);
            }}
            error={fieldError('/body/address')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('new.what')}</legend>
          <SelectField
            label={t('field.category')}
            id={fieldId('/body/categoryCode')}
            value={category}
            onChange={(e) => {
              setCategory(e.target.value);
              setAnswers({});
            }}
            error={fieldError('/body/categoryCode')}
            required
          >
            <option value="">{t('new.chooseCategory')}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {catName(c, i18n.language)}
              </option>
            ))}
          </SelectField>
          {chosen?.bodyCode ? <Notice kind="info">{t('new.routedElsewhere')}</Notice> : null}
          {(chosen?.attributes ?? []).map((a) =>
            a.values?.length ? (
              <SelectField
                key={a.code}
                id={fieldId(`/body/attributes/${a.code}`)}
                label={a.description}
                value={answers[a.code] ?? ''}
                required={a.required}
                error={fieldError(`/body/attributes/${a.code}`)}
                onChange={(e) => setAnswers({ ...answers, [a.code]: e.target.value })}
              >
                <option value="">{a.required ? t('new.choose') : t('new.optional')}</option>
                {a.values.map((v) => (
                  <option key={v.key} value={v.key}>
                    {v.name}
                  </option>
                ))}
              </SelectField>
            ) : (
              <TextField
                key={a.code}
                id={fieldId(`/body/attributes/${a.code}`)}
                label={a.description}
                value={answers[a.code] ?? ''}
                required={a.required}
                error={fieldError(`/body/attributes/${a.code}`)}
                onChange={(e) => setAnswers({ ...answers, [a.code]: e.target.value })}
              />
            ),
          )}
          {dups.data && dups.data.length > 0 ? (
            <section className="report-duplicates" aria-labelledby="dup-title">
              <h2 id="dup-title">{t('new.duplicatesTitle')}</h2>
              <ul>
                {dups.data.map((d) => (
                  <li key={d.id}>
                    <Link to={`/teated/${d.id}`}>#{d.id}</Link> {d.description}{' '}
                    <span className="muted">({t('new.metresAway', { n: d.distanceM })})</span>{' '}
                    {session.me?.authenticated ? (
                      supported === d.id ? (
                        <span role="status">{t('report.meTooDone')}</span>
                      ) : (
                        <button type="button" className="button-secondary small" onClick={() => void meToo(d.id)}>
                          {t('report.meToo')}
                        </button>
                      )
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <TextArea
            label={t('field.description')}
            id={fieldId('/body/description')}
            help={t('new.descriptionHelp', { n: MAX - description.length })}
            value={description}
            rows={5}
            required
            onChange={(e) => setDescription(e.target.value)}
            error={fieldError('/body/description')}
          />
          <div className={`field${fieldError('/body/photos') ? ' has-error' : ''}`}>
            <label htmlFor={fieldId('/body/photos')}>{t('new.photos')}</label>
            <p id="report-photos-help" className="help">
              {t('new.photosHelp')}
            </p>
            <input
              id={fieldId('/body/photos')}
              type="file"
              accept={PHOTO_TYPES.join(',')}
              multiple
              aria-describedby="report-photos-help"
              onChange={(e) => {
                addPhotos([...(e.target.files ?? [])]);
                // The same file can be chosen again after removing it.
                e.target.value = '';
              }}
            />
            {photoErrors.map((m) => (
              <p key={m} className="field-error" role="alert">
                {m}
              </p>
            ))}
            {fieldError('/body/photos') ? <p className="field-error">{fieldError('/body/photos')}</p> : null}
            {photos.length ? (
              <ul className="photo-previews" aria-label={t('new.photoPreviews')}>
                {photos.map((p, i) => (
                  <li key={p.url}>
                    <img src={p.url} alt={t('new.photoPreviewAlt', { name: p.file.name })} />
                    <button type="button" className="button-secondary small" onClick={() => removePhoto(i)}>
                      {t('new.removePhoto', { name: p.file.name })}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('new.who')}</legend>
          <p className="help">{t('new.whoHelp')}</p>
          <TextField
            label={t('new.name')}
            id={fieldId('/body/name')}
            value={name}
            autoComplete="name"
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
          <TextField
            label={t('new.email')}
            id={fieldId('/body/email')}
            type="email"
            value={email}
            autoComplete="email"
            maxLength={200}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError('/body/email')}
          />
          <TextField
            label={t('new.phone')}
            id={fieldId('/body/phone')}
            type="tel"
            value={phone}
            autoComplete="tel"
            maxLength={40}
            onChange={(e) => setPhone(e.target.value)}
          />
          <div className="field checkbox">
            <input
              id="report-show-name"
              type="checkbox"
              checked={showName}
              onChange={(e) => setShowName(e.target.checked)}
            />
            <label htmlFor="report-show-name">{t('new.showName')}</label>
          </div>
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('new.sending') : t('new.submit')}
        </button>
      </form>
    </Page>
  );
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
