import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { ErrorNotice, Loading, Notice, Page, TextField, useLoad } from '../../components/ui';
import { LocalText, UntranslatedNotice, langOf, usePickText } from '../../components/LocalText';
import { MunicipalityPicker, labelOf, pick, useLang, useReference, type LangText } from './shared';
import type {
  LifeEventItem,
  LifeEventPage as EventPage,
  ServiceSummary as Summary,
} from '../../../../src/modules/services/contract';
export type { ServiceSummary as Summary } from '../../../../src/modules/services/contract';

/** Search and life events of one municipality: used on "Teenused" and "Minu vald". */
/** Estonian says "linna teenused" for a city and "valla teenused" for a rural municipality. */
const kindContext = (kind: string | undefined) => (kind === 'linn' ? 'linn' : undefined);

export function ServiceFinder({ code }: { code: string }) {
  const { t } = useTranslation('services');
  const kind = useMunicipality().list.find((x) => x.code === code)?.kind;
  const lang = useLang();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const events = useLoad(
    (signal) => api<LifeEventItem[]>(`/api/v1/public/municipalities/${code}/life-events?lang=${lang}`, { signal }),
    [code, lang],
  );
  const services = useLoad(
    (signal) =>
      api<Summary[]>(
        `/api/v1/public/municipalities/${code}/services?${new URLSearchParams({ ...(query ? { q: query } : {}), lang })}`,
        { signal },
      ),
    [code, query, lang],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(q.trim());
  };
  const withServices = (kind: 'life' | 'business') =>
    (events.data ?? []).filter((e) => e.kind === kind && e.municipalServices > 0);
  return (
    <>
      <form className="svc-inline" role="search" onSubmit={submit}>
        <TextField
          label={t('common.search')}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          maxLength={100}
        />
        <button type="submit" className="button">
          {t('common.searchButton')}
        </button>
      </form>
      {!query ? (
        <>
          <h2>{t('public.lifeEvents')}</h2>
          {events.loading ? (
            <Loading />
          ) : events.error ? (
            <ErrorNotice error={events.error} onRetry={events.reload} />
          ) : null}
          <ul className="cards">
            {withServices('life').map((e) => (
              <li key={e.code} className="card">
                <h3>
                  <Link to={`/elusundmused/${code}/${e.code}`}>{e.name}</Link>
                </h3>
                <p>{e.description}</p>
                <p className="muted">
                  {t('public.servicesCount', { count: e.municipalServices, context: kindContext(kind) })}
                </p>
              </li>
            ))}
          </ul>
          {withServices('business').length ? <h2>{t('public.businessEvents')}</h2> : null}
          <ul className="cards">
            {withServices('business').map((e) => (
              <li key={e.code} className="card">
                <h3>
                  <Link to={`/elusundmused/${code}/${e.code}`}>{e.name}</Link>
                </h3>
                <p>{e.description}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{query ? t('common.search') : t('public.allServices')}</h2>
      {services.loading ? (
        <Loading />
      ) : services.error ? (
        <ErrorNotice error={services.error} onRetry={services.reload} />
      ) : null}
      {services.data && services.data.length === 0 ? <p>{t('common.noResults')}</p> : null}
      <ul className="svc-list">
        {(services.data ?? []).map((s) => (
          <li key={s.id}>
            {/* Officials' texts: the reader's language, or Estonian with a note (LocalText). */}
            <Link to={`/teenused/${code}/${s.id}`}>
              <LocalText et={s.name.et} tr={s.name} />
            </Link>{' '}
            <span className="muted">
              — <LocalText et={s.description.et} tr={s.description} mark={false} />
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ServicesHome() {
  const { t } = useTranslation('services');
  const m = useMunicipality();
  return (
    <Page title={t('public.title')} lead={t('public.lead')}>
      <MunicipalityPicker />
      {m.selected ? <ServiceFinder code={m.selected} /> : null}
    </Page>
  );
}

interface FullService {
  id: string;
  municipalityCode: string;
  identifier: string;
  status: string;
  data: {
    name: LangText;
    description: LangText;
    channels: { type: string; address: string; openingHours?: string; processingTime?: string }[];
    legalBasis: { law: string; section: string; url: string }[];
    requirements: string[];
    evidence: string[];
    outputs: { name: string; type: string }[];
    feeType: string;
    costs: { description: string; valueCents: number }[];
    stateServices: { id: string; name: string; url: string; relation: string }[];
    owner: { name: string; email?: string; phone?: string };
    competentAuthority?: string;
  };
}

const isUrl = (s: string) => /^https?:\/\//.test(s);

export function ServiceDetail() {
  const { code = '', id = '' } = useParams();
  const { t } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const m = useMunicipality();
  const pickText = usePickText();
  const s = useLoad(
    (signal) => api<FullService>(`/api/v1/public/municipalities/${code}/services/${id}`, { signal }),
    [code, id],
  );
  if (s.loading) return <Loading />;
  if (s.error || !s.data) return <Page title={t('public.title')}>{<ErrorNotice error={s.error} />}</Page>;
  const d = s.data.data;
  const euros = (c: number) =>
    new Intl.NumberFormat(lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB', {
      style: 'currency',
      currency: 'EUR',
    }).format(c / 100);
  const name = pickText(d.name.et, d.name);
  const description = pickText(d.description.et, d.description);
  return (
    <Page
      title={name.text}
      titleLang={langOf(name)}
      lead={description.text ? <span lang={langOf(description)}>{description.text}</span> : undefined}
    >
      <UntranslatedNotice picked={[name, description.text ? description : undefined]} />
      <p className="muted">
        {m.nameOf(code)} · {d.competentAuthority}
      </p>
      <div className="svc-two">
        <section>
          <h2>{t('public.channels')}</h2>
          <ul className="svc-list">
            {d.channels.map((c) => (
              <li key={c.type}>
                <strong>{labelOf(ref?.channelTypes, c.type, lang)}:</strong>{' '}
                {isUrl(c.address) ? (
                  <a href={c.address}>{c.address}</a>
                ) : c.type === 'email' ? (
                  <a href={`mailto:${c.address}`}>{c.address}</a>
                ) : (
                  c.address
                )}
                {c.openingHours ? ` (${c.openingHours})` : ''}
                {c.processingTime ? (
                  <div className="muted">{t('public.processingTime', { time: c.processingTime })}</div>
                ) : null}
              </li>
            ))}
          </ul>
          <h2>{t('public.fee')}</h2>
          <p>
            {labelOf(ref?.feeTypes, d.feeType, lang)}
            {d.costs.map((c) => ` · ${c.description}: ${euros(c.valueCents)}`).join('')}
          </p>
        </section>
        <section>
          {d.requirements.length ? (
            <>
              <h2>{t('public.requirements')}</h2>
              <ul className="svc-list">
                {d.requirements.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          {d.evidence.length ? (
            <>
              <h2>{t('public.evidence')}</h2>
              <ul className="svc-list">
                {d.evidence.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          {d.outputs.length ? (
            <>
              <h2>{t('public.outputs')}</h2>
              <ul className="svc-list">
                {d.outputs.map((o) => (
                  <li key={o.name}>
                    {o.name} ({labelOf(ref?.outputTypes, o.type, lang)})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      {d.stateServices.length ? (
        <>
          <h2>{t('public.stateServices')}</h2>
          <ul className="svc-list">
            {d.stateServices.map((x) => (
              <li key={x.id}>
                <a href={x.url}>{pick(ref?.stateServices.find((r) => r.id === x.id)?.name, lang) || x.name}</a>{' '}
                <span className="muted">({labelOf(ref?.stateRelations, x.relation, lang)})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('public.legalBasis')}</h2>
      <ul className="svc-list">
        {d.legalBasis.map((l) => (
          <li key={l.law + l.section}>
            <a href={l.url}>
              {l.law} {l.section}
            </a>
          </li>
        ))}
      </ul>
      <h2>{t('public.contact')}</h2>
      <p>
        {d.owner.name}
        {d.owner.email ? (
          <>
            {' '}
            · <a href={`mailto:${d.owner.email}`}>{d.owner.email}</a>
          </>
        ) : null}
        {d.owner.phone ? ` · ${d.owner.phone}` : ''}
      </p>
      <p>
        <a className="button-secondary" href={`/survey/${code}/${id}?lang=${lang}&channel=homepage&source=link`}>
          {t('public.feedback')}
        </a>
      </p>
    </Page>
  );
}

export function LifeEventView() {
  const { code = '', event = '' } = useParams();
  const { t } = useTranslation('services');
  const kind = useMunicipality().list.find((x) => x.code === code)?.kind;
  const lang = useLang();
  const p = useLoad(
    (signal) =>
      api<EventPage>(`/api/v1/public/municipalities/${code}/life-events/${encodeURIComponent(event)}?lang=${lang}`, {
        signal,
      }),
    [code, event, lang],
  );
  if (p.loading) return <Loading />;
  if (p.error || !p.data) {
    const unknown = p.error instanceof ApiError && p.error.type.endsWith('/unknown-life-event');
    return (
      <Page title={t('public.lifeEvents')}>
        {unknown ? <Notice kind="error">{t('public.eventNotFound')}</Notice> : <ErrorNotice error={p.error} />}
      </Page>
    );
  }
  const d = p.data;
  return (
    <Page title={d.event.name} lead={`${d.municipality.name} · ${d.event.description}`}>
      <ol className="svc-steps">
        {d.steps.map((s) => (
          <li key={s.step}>
            <h2>
              {t('public.step', { n: s.step })}: {s.title}
            </h2>
            <div className="svc-two">
              <div>
                <h3>{t('public.municipalServices', { context: kindContext(kind) })}</h3>
                {s.municipalServices.length ? (
                  <ul className="svc-list">
                    {s.municipalServices.map((x) => (
                      <li key={x.id}>
                        <Link to={`/teenused/${code}/${x.id}`}>{x.name}</Link>
                        <div className="muted">{x.description}</div>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">{t('public.nothingHere', { context: kindContext(kind) })}</p>
                )}
              </div>
              {s.stateServices.length ? (
                <div>
                  <h3>{t('public.stateServicesShort')}</h3>
                  <ul className="svc-list">
                    {s.stateServices.map((x) => (
                      <li key={x.id}>
                        <a href={x.url}>{x.name}</a>
                        {x.provider ? <div className="muted">{x.provider}</div> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {d.more.length ? (
        <>
          <h2>{t('public.more')}</h2>
          <ul className="svc-list">
            {d.more.map((x) => (
              <li key={x.id}>
                <Link to={`/teenused/${code}/${x.id}`}>{x.name}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}
