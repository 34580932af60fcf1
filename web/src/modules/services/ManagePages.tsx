import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import { useMunicipality } from '../../app/municipality';
import {
  ErrorNotice,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextArea,
  TextField,
  fieldId,
  formErrors,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import {
  MunicipalityPicker,
  StatusBadge,
  labelOf,
  pick,
  useLang,
  useReference,
  type LangText,
  type Reference,
} from './shared';
import type { Summary } from './PublicPages';
import type {
  AssessmentReport,
  Coverage,
  CoverageMatrix as Matrix,
  Divergence,
  Overlap,
  ServiceVersion as Version,
} from '../../../../src/modules/services/contract';

const OFFICIAL = ['admin', 'editor', 'analyst'];

function useOfficialMunicipality() {
  const session = useSession();
  const m = useMunicipality();
  const allowed = session.municipalitiesWith(OFFICIAL);
  const code = allowed.includes('*') ? m.selected : allowed.includes(m.selected) ? m.selected : (allowed[0] ?? '');
  return {
    code,
    allowed,
    canEdit: session.municipalitiesWith(['admin', 'editor']).some((c) => c === '*' || c === code),
  };
}

export function Manage() {
  return (
    <RequireLogin>
      <ManagePage />
    </RequireLogin>
  );
}

function ManagePage() {
  const { t } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const { code, allowed, canEdit } = useOfficialMunicipality();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = useLoad(
    (signal) => (code ? api<Summary[]>(`/api/v1/municipalities/${code}/services`, { signal }) : Promise.resolve([])),
    [code],
  );
  const coverage = useLoad(
    (signal) =>
      code && code !== '0000'
        ? api<Coverage>(`/api/v1/municipalities/${code}/services-coverage`, { signal })
        : Promise.resolve(undefined),
    [code],
  );
  const overlap = useLoad(
    (signal) =>
      code ? api<Overlap>(`/api/v1/municipalities/${code}/services-overlap`, { signal }) : Promise.resolve(undefined),
    [code],
  );
  const assessment = useLoad(
    (signal) =>
      code && code !== '0000'
        ? api<AssessmentReport>(`/api/v1/municipalities/${code}/services-assessment`, { signal })
        : Promise.resolve(undefined),
    [code],
  );
  if (!allowed.length) {
    return (
      <Page title={t('manage.title')}>
        <Notice kind="warning">{t('manage.notOfficial')}</Notice>
      </Page>
    );
  }
  const adopt = async (templateId: string) => {
    setError(undefined);
    setMessage(undefined);
    try {
      await api(`/api/v1/municipalities/${code}/services/adopt`, { method: 'POST', body: { templateId } });
      setMessage(t('manage.adopted'));
      list.reload();
      coverage.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('manage.title')} lead={t('manage.lead')}>
      <MunicipalityPicker only={allowed.includes('*') ? undefined : [...allowed]} />
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {!code ? null : (
        <>
          <p className="svc-inline">
            {canEdit ? (
              <Link className="button" to={`/teenused-haldus/${code}/uus`}>
                {t('manage.newService')}
              </Link>
            ) : null}
            <Link to="/teenused-rahulolu">{t('manage.satisfaction')}</Link>
            <Link to="/teenused-elvl">{t('manage.national')}</Link>
            <a href={`/api/v1/public/municipalities/${code}/cpsv-ap?format=turtle`}>{t('manage.exportTurtle')}</a>
            <a href={`/api/v1/public/municipalities/${code}/cpsv-ap?format=jsonld`}>{t('manage.exportJsonLd')}</a>
            <a href={`/api/v1/public/municipalities/${code}/general-data?lang=${lang}`}>{t('manage.generalData')}</a>
          </p>
          <h2>{t('manage.catalogue')}</h2>
          {list.loading ? <Loading /> : list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
          <TableWrap label={t('manage.catalogue')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('common.field')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('common.version')}</th>
                </tr>
              </thead>
              <tbody>
                {(list.data ?? []).map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/teenused-haldus/${code}/${s.id}`}>{pick(s.name, lang)}</Link>{' '}
                      <span className="muted">{s.identifier}</span>
                    </td>
                    <td>{labelOf(ref?.fields, s.field, lang)}</td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td>{s.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {coverage.data ? (
            <>
              <h2>{t('manage.coverage')}</h2>
              <p>
                {t('manage.coverageSummary', {
                  mapped: coverage.data.mapped,
                  total: coverage.data.templateCount,
                  percent: coverage.data.coveragePercent,
                })}
              </p>
              <TableWrap label={t('manage.coverage')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('manage.template')}</th>
                      <th scope="col">{t('common.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {coverage.data.templates.map((r) => (
                      <tr key={r.templateId}>
                        <td>
                          {pick(r.name, lang)} <span className="muted">{r.templateIdentifier}</span>
                        </td>
                        <td>
                          {r.service ? (
                            <>
                              <Link to={`/teenused-haldus/${code}/${r.service.id}`}>
                                <StatusBadge status={r.service.status} />
                              </Link>
                              {r.service.outdated ? <span className="muted"> · {t('manage.outdated')}</span> : null}
                            </>
                          ) : canEdit ? (
                            <button
                              type="button"
                              className="button-secondary small"
                              onClick={() => adopt(r.templateId)}
                              aria-label={`${t('manage.adopt')}: ${pick(r.name, lang)}`}
                            >
                              {t('manage.adopt')}
                            </button>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          ) : null}
          {assessment.data ? (
            <>
              <h2>{t('manage.assessment')}</h2>
              <p>
                {assessment.data.meanScore === null
                  ? t('manage.notAssessed')
                  : t('manage.meanScore', { score: assessment.data.meanScore, n: assessment.data.assessedCount })}
              </p>
              <ul className="svc-list">
                {assessment.data.services
                  .filter((s) => s.score !== null)
                  .map((s) => (
                    <li key={s.serviceId}>
                      <Link to={`/teenused-haldus/${code}/${s.serviceId}`}>{s.name}</Link>: {s.score}
                      {s.gaps.length ? (
                        <span className="muted">
                          {' '}
                          · {t('manage.gaps')}:{' '}
                          {s.gaps.map((g) => pick(ref?.principles.find((p) => p.code === g)?.name, lang)).join(', ')}
                        </span>
                      ) : null}
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          {overlap.data ? <OverlapTable items={overlap.data.items} /> : null}
        </>
      )}
    </Page>
  );
}

export function OverlapTable({
  items,
  showMunicipality,
}: {
  items: (Overlap['items'][number] & { municipalityCode?: string })[];
  showMunicipality?: boolean;
}) {
  const { t } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const m = useMunicipality();
  const relation = (r: string) =>
    r === 'possible-duplicate'
      ? `${labelOf(ref?.stateRelations, 'duplicates', lang)} ?`
      : labelOf(ref?.stateRelations, r, lang);
  return (
    <>
      <h2>{t('manage.overlap')}</h2>
      <TableWrap label={t('manage.overlap')}>
        <table>
          <thead>
            <tr>
              {showMunicipality ? <th scope="col">{t('common.municipality')}</th> : null}
              <th scope="col">{t('common.name')}</th>
              <th scope="col">{t('manage.relation')}</th>
              <th scope="col">{t('editor.stateService')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={`${i.municipalityCode ?? ''}${i.serviceId}${i.stateService.id}`}>
                {showMunicipality ? <td>{m.nameOf(i.municipalityCode ?? '')}</td> : null}
                <td>{i.name}</td>
                <td>{relation(i.relation)}</td>
                <td>
                  <a href={i.stateService.url}>{i.stateService.name}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

// ---------------------------------------------------------------------------------------------- editor

interface ServiceData {
  name: LangText;
  description: LangText;
  targetGroups: string[];
  field: string;
  serviceType: string;
  competentAuthority?: string;
  channels: { type: string; address: string; openingHours?: string; processingTime?: string; metrics?: unknown[] }[];
  feeType: string;
  costs: { description: string; valueCents: number }[];
  evidence: string[];
  outputs: { name: string; type: string }[];
  legalBasis: { law: string; section: string; url: string }[];
  requirements: string[];
  lifeEvents: { code: string; step?: number }[];
  stateServices: { id: string; name: string; url: string; relation: string }[];
  owner: { name: string; email?: string; phone?: string };
  keywords?: string[];
}
interface ServiceView {
  id: string;
  identifier: string;
  version: number;
  status: string;
  templateId: string | null;
  data: ServiceData;
}

const blank = (): ServiceData => ({
  name: { et: '' },
  description: { et: '' },
  targetGroups: ['residents'],
  field: 'social-assistance',
  serviceType: 'benefit',
  channels: [{ type: 'e-service', address: 'https://' }],
  feeType: 'free',
  costs: [],
  evidence: [],
  outputs: [],
  legalBasis: [
    {
      law: 'Kohaliku omavalitsuse korralduse seadus',
      section: '§ 6 lg 1',
      url: 'https://www.riigiteataja.ee/akt/KOKS',
    },
  ],
  requirements: [],
  lifeEvents: [],
  stateServices: [],
  owner: { name: '' },
});

/** The state catalogue's section reference (as src/modules/services/rules.ts checks it). */
const SUP = '[0-9¹²³⁴⁵⁶⁷⁸⁹⁰]*';
const SECTION = new RegExp(
  `^(§ ?[0-9]+${SUP}( ?lg ?[0-9]+${SUP})?( ?p ?[0-9]+${SUP})?|(Article|Art\\.|artikkel) ?[0-9]+(\\([0-9]+\\))?( ?\\([a-z]\\))?)$`,
);
const LEGAL_HOSTS = ['www.riigiteataja.ee', 'riigiteataja.ee', 'eur-lex.europa.eu'];
const WEB_CHANNELS = ['e-service', 'homepage', 'mobile-app'];
const webAddress = (s: string) => {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.') ? u : undefined;
  } catch {
    return undefined;
  }
};

/**
 * What the editor can tell is wrong by itself, every field at once, in the page's words (the
 * server checks again; its catalogue rules' refusals carry English words only). Pointers are the
 * server's (`/body/data/...`), so a field shows its error the same way whoever found it.
 */
function serviceProblems(d: ServiceData, t: (key: string) => string) {
  const out: { pointer: string; code?: string; limit?: number; format?: string; detail?: string }[] = [];
  const at = (p: string) => `/body/data${p}`;
  if (!d.name.et.trim()) out.push({ pointer: at('/name/et'), code: 'required' });
  if (!d.description.et.trim()) out.push({ pointer: at('/description/et'), code: 'required' });
  if (!d.targetGroups.length) out.push({ pointer: at('/targetGroups'), code: 'minItems', limit: 1 });
  const seen = new Set<string>();
  d.channels.forEach((c, i) => {
    if (seen.has(c.type)) out.push({ pointer: at(`/channels/${i}/type`), detail: t('editor.errors.channelTwice') });
    seen.add(c.type);
    if (!c.address.trim()) out.push({ pointer: at(`/channels/${i}/address`), code: 'required' });
    else if (WEB_CHANNELS.includes(c.type) && !webAddress(c.address))
      out.push({ pointer: at(`/channels/${i}/address`), code: 'format', format: 'uri' });
    else if (c.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.address.trim()))
      out.push({ pointer: at(`/channels/${i}/address`), code: 'format', format: 'email' });
  });
  d.legalBasis.forEach((l, i) => {
    if (l.law.trim().length < 2) out.push({ pointer: at(`/legalBasis/${i}/law`), code: 'required' });
    if (!SECTION.test(l.section.trim()))
      out.push({ pointer: at(`/legalBasis/${i}/section`), detail: t('editor.errors.section') });
    const u = webAddress(l.url);
    if (!u || u.protocol !== 'https:' || !LEGAL_HOSTS.includes(u.hostname))
      out.push({ pointer: at(`/legalBasis/${i}/url`), detail: t('editor.errors.legalUrl') });
  });
  d.outputs.forEach((o, i) => {
    if (!o.name.trim()) out.push({ pointer: at(`/outputs/${i}/name`), code: 'required' });
  });
  d.costs.forEach((c, i) => {
    if (!c.description.trim()) out.push({ pointer: at(`/costs/${i}/description`), code: 'required' });
  });
  if (!d.owner.name.trim()) out.push({ pointer: at('/owner/name'), code: 'required' });
  if (d.owner.email?.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.owner.email.trim()))
    out.push({ pointer: at('/owner/email'), code: 'format', format: 'email' });
  return out;
}

const clean = (d: ServiceData): ServiceData => {
  const opt = (s?: string) => (s && s.trim() ? s.trim() : undefined);
  const text = (t: LangText): LangText => ({
    et: t.et.trim(),
    ...(opt(t.ru) ? { ru: opt(t.ru)! } : {}),
    ...(opt(t.en) ? { en: opt(t.en)! } : {}),
  });
  return {
    ...d,
    name: text(d.name),
    description: text(d.description),
    ...(opt(d.competentAuthority) ? { competentAuthority: opt(d.competentAuthority)! } : {}),
    channels: d.channels.map((c) => ({
      type: c.type,
      address: c.address.trim(),
      ...(opt(c.openingHours) ? { openingHours: opt(c.openingHours)! } : {}),
      ...(opt(c.processingTime) ? { processingTime: opt(c.processingTime)! } : {}),
      ...(c.metrics?.length ? { metrics: c.metrics } : {}),
    })),
    requirements: d.requirements.map((s) => s.trim()).filter(Boolean),
    evidence: d.evidence.map((s) => s.trim()).filter(Boolean),
    owner: {
      name: d.owner.name.trim(),
      ...(opt(d.owner.email) ? { email: opt(d.owner.email)! } : {}),
      ...(opt(d.owner.phone) ? { phone: opt(d.owner.phone)! } : {}),
    },
  };
};

export function Editor() {
  return (
    <RequireLogin>
      <EditorPage />
    </RequireLogin>
  );
}

function EditorPage() {
  const { code = '', id = 'uus' } = useParams();
  const isNew = id === 'uus';
  const { t } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const navigate = useNavigate();
  const loaded = useLoad(
    (signal) =>
      isNew
        ? Promise.resolve(undefined)
        : api<ServiceView>(`/api/v1/municipalities/${code}/services/${id}`, { signal }),
    [code, id],
  );
  const [data, setData] = useState<ServiceData>(blank);
  const [status, setStatus] = useState('being-created');
  const [note, setNote] = useState('');
  const [err, setErr] = useState<unknown>();
  const [msg, setMsg] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (loaded.data) {
      setData(loaded.data.data);
      setStatus(loaded.data.status);
    }
  }, [loaded.data]);
  if (!isNew && loaded.loading) return <Loading />;
  if (!isNew && loaded.error) return <Page title={t('manage.title')}>{<ErrorNotice error={loaded.error} />}</Page>;
  const fe = (p: string) => (err instanceof ApiError ? err.fieldError(`/body/data${p}`) : undefined);
  // A field's id is named by its problem pointer, so the error summary's links reach it.
  const fid = (p: string) => fieldId(`/body/data${p}`);
  const set = (patch: Partial<ServiceData>) => setData((d) => ({ ...d, ...patch }));
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(undefined);
    const wrong = formErrors(serviceProblems(data, t));
    if (wrong) {
      setErr(wrong);
      return;
    }
    setBusy(true);
    setErr(undefined);
    try {
      if (isNew) {
        const s = await api<ServiceView>(`/api/v1/municipalities/${code}/services`, {
          method: 'POST',
          body: { data: clean(data), status, ...(note.trim() ? { changeNote: note.trim() } : {}) },
        });
        navigate(`/teenused-haldus/${code}/${s.id}`);
      } else {
        await api<ServiceView>(`/api/v1/municipalities/${code}/services/${id}`, {
          method: 'PUT',
          body: {
            data: clean(data),
            status,
            baseVersion: loaded.data!.version,
            ...(note.trim() ? { changeNote: note.trim() } : {}),
          },
        });
        setMsg(t('common.saved'));
        setNote('');
        loaded.reload();
      }
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  const opts = (list: { code: string; label: Record<string, string> }[] | undefined) =>
    (list ?? []).map((c) => (
      <option key={c.code} value={c.code}>
        {pick(c.label, lang)}
      </option>
    ));
  const rows = <T,>(
    list: T[],
    key: keyof ServiceData,
    make: () => T,
    render: (item: T, update: (patch: Partial<T>) => void, i: number) => React.ReactNode,
    title: string,
  ) => (
    <fieldset>
      <legend>{title}</legend>
      {list.map((item, i) => (
        <div className="svc-row" key={i}>
          {render(
            item,
            (patch) => set({ [key]: list.map((x, j) => (j === i ? { ...x, ...patch } : x)) } as Partial<ServiceData>),
            i,
          )}
          <button
            type="button"
            className="button-secondary small"
            onClick={() => set({ [key]: list.filter((_, j) => j !== i) } as Partial<ServiceData>)}
          >
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button-secondary small"
        onClick={() => set({ [key]: [...list, make()] } as Partial<ServiceData>)}
      >
        {t('common.add')}
      </button>
    </fieldset>
  );
  // The summary at the top names every wrong field (a row's by its list and number) and links to it.
  const row = (list: string, i: number, field: string) => `${t(list)} ${i + 1}: ${t(field)}`;
  const labels: Record<string, string> = {
    '/body/data/name/et': t('editor.nameEt'),
    '/body/data/name/ru': t('editor.nameRu'),
    '/body/data/name/en': t('editor.nameEn'),
    '/body/data/description/et': t('editor.descEt'),
    '/body/data/description/ru': t('editor.descRu'),
    '/body/data/description/en': t('editor.descEn'),
    '/body/data/targetGroups': t('editor.targetGroups'),
    '/body/data/owner/name': t('editor.owner'),
    '/body/data/owner/email': t('editor.ownerEmail'),
    ...Object.fromEntries(
      data.channels.flatMap((_, i) => [
        [`/body/data/channels/${i}/type`, row('editor.channels', i, 'editor.channelType')],
        [`/body/data/channels/${i}/address`, row('editor.channels', i, 'editor.address')],
        [`/body/data/channels/${i}/processingTime`, row('editor.channels', i, 'editor.processingTime')],
      ]),
    ),
    ...Object.fromEntries(
      data.legalBasis.flatMap((_, i) => [
        [`/body/data/legalBasis/${i}/law`, row('editor.legalBasis', i, 'editor.law')],
        [`/body/data/legalBasis/${i}/section`, row('editor.legalBasis', i, 'editor.section')],
        [`/body/data/legalBasis/${i}/url`, row('editor.legalBasis', i, 'editor.url')],
      ]),
    ),
    ...Object.fromEntries(
      data.lifeEvents.flatMap((_, i) => [
        [`/body/data/lifeEvents/${i}/code`, row('editor.lifeEvents', i, 'editor.event')],
        [`/body/data/lifeEvents/${i}/step`, row('editor.lifeEvents', i, 'editor.step')],
      ]),
    ),
    ...Object.fromEntries(
      data.outputs.map((_, i) => [`/body/data/outputs/${i}/name`, row('editor.outputs', i, 'editor.outputName')]),
    ),
    ...Object.fromEntries(
      data.costs.map((_, i) => [`/body/data/costs/${i}/description`, row('editor.costs', i, 'editor.costDescription')]),
    ),
  };
  const title = isNew ? t('editor.titleNew') : t('editor.titleEdit', { name: pick(loaded.data?.data.name, lang) });
  return (
    <Page title={title}>
      <p>
        <Link to="/teenused-haldus">{t('common.back')}</Link>
      </p>
      {msg ? <Notice kind="success">{msg}</Notice> : null}
      {err instanceof ApiError && err.type.endsWith('/stale-service-version') ? (
        <Notice kind="error">{t('editor.stale')}</Notice>
      ) : null}
      <form className="form" onSubmit={save} noValidate>
        <ErrorSummary
          error={err instanceof ApiError && err.type.endsWith('/stale-service-version') ? undefined : err}
          labels={labels}
          ns="services"
        />
        <TextField
          label={t('editor.nameEt')}
          value={data.name.et}
          maxLength={80}
          required
          onChange={(e) => set({ name: { ...data.name, et: e.target.value } })}
          id={fid('/name/et')}
          error={fe('/name/et')}
        />
        <TextField
          label={t('editor.nameRu')}
          value={data.name.ru ?? ''}
          maxLength={80}
          onChange={(e) => set({ name: { ...data.name, ru: e.target.value } })}
          id={fid('/name/ru')}
          error={fe('/name/ru')}
        />
        <TextField
          label={t('editor.nameEn')}
          value={data.name.en ?? ''}
          maxLength={80}
          onChange={(e) => set({ name: { ...data.name, en: e.target.value } })}
          id={fid('/name/en')}
          error={fe('/name/en')}
        />
        <TextArea
          label={t('editor.descEt')}
          value={data.description.et}
          maxLength={245}
          required
          onChange={(e) => set({ description: { ...data.description, et: e.target.value } })}
          id={fid('/description/et')}
          error={fe('/description/et')}
        />
        <TextArea
          label={t('editor.descRu')}
          value={data.description.ru ?? ''}
          maxLength={245}
          onChange={(e) => set({ description: { ...data.description, ru: e.target.value } })}
          id={fid('/description/ru')}
          error={fe('/description/ru')}
        />
        <TextArea
          label={t('editor.descEn')}
          value={data.description.en ?? ''}
          maxLength={245}
          onChange={(e) => set({ description: { ...data.description, en: e.target.value } })}
          id={fid('/description/en')}
          error={fe('/description/en')}
        />
        <div className="svc-two">
          <SelectField label={t('common.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
            {opts(ref?.statuses)}
          </SelectField>
          <SelectField label={t('common.field')} value={data.field} onChange={(e) => set({ field: e.target.value })}>
            {opts(ref?.fields)}
          </SelectField>
          <SelectField
            label={t('editor.type')}
            value={data.serviceType}
            onChange={(e) => set({ serviceType: e.target.value })}
          >
            {opts(ref?.serviceTypes)}
          </SelectField>
          <SelectField
            label={t('editor.feeType')}
            value={data.feeType}
            onChange={(e) => set({ feeType: e.target.value })}
          >
            {opts(ref?.feeTypes)}
          </SelectField>
        </div>
        <fieldset
          id={fid('/targetGroups')}
          tabIndex={-1}
          className={fe('/targetGroups') ? 'has-error' : undefined}
          aria-describedby={fe('/targetGroups') ? 'svc-target-groups-error' : undefined}
        >
          <legend>{t('editor.targetGroups')}</legend>
          {(ref?.targetGroups ?? []).map((g) => (
            <label key={g.code} className="svc-check">
              <input
                type="checkbox"
                checked={data.targetGroups.includes(g.code)}
                onChange={(e) =>
                  set({
                    targetGroups: e.target.checked
                      ? [...data.targetGroups, g.code]
                      : data.targetGroups.filter((x) => x !== g.code),
                  })
                }
              />{' '}
              {pick(g.label, lang)}{' '}
            </label>
          ))}
          {fe('/targetGroups') ? (
            <p className="field-error" id="svc-target-groups-error">
              {fe('/targetGroups')}
            </p>
          ) : null}
        </fieldset>
        <TextField
          label={t('editor.authority')}
          value={data.competentAuthority ?? ''}
          onChange={(e) => set({ competentAuthority: e.target.value })}
        />
        {rows(
          data.channels,
          'channels',
          (): ServiceData['channels'][number] => ({ type: 'service-desk', address: '' }),
          (c, u, i) => (
            <>
              <SelectField
                label={t('editor.channelType')}
                value={c.type}
                onChange={(e) => u({ type: e.target.value })}
                id={fid(`/channels/${i}/type`)}
                error={fe(`/channels/${i}/type`)}
              >
                {opts(ref?.channelTypes)}
              </SelectField>
              <TextField
                label={t('editor.address')}
                value={c.address}
                onChange={(e) => u({ address: e.target.value })}
                id={fid(`/channels/${i}/address`)}
                error={fe(`/channels/${i}/address`)}
              />
              <TextField
                label={t('editor.openingHours')}
                value={c.openingHours ?? ''}
                onChange={(e) => u({ openingHours: e.target.value })}
              />
              <TextField
                label={t('editor.processingTime')}
                value={c.processingTime ?? ''}
                onChange={(e) => u({ processingTime: e.target.value })}
                id={fid(`/channels/${i}/processingTime`)}
                error={fe(`/channels/${i}/processingTime`)}
              />
            </>
          ),
          t('editor.channels'),
        )}
        {rows(
          data.legalBasis,
          'legalBasis',
          () => ({ law: '', section: '§ ', url: 'https://www.riigiteataja.ee/akt/' }),
          (l, u, i) => (
            <>
              <TextField
                label={t('editor.law')}
                value={l.law}
                onChange={(e) => u({ law: e.target.value })}
                id={fid(`/legalBasis/${i}/law`)}
                error={fe(`/legalBasis/${i}/law`)}
              />
              <TextField
                label={t('editor.section')}
                value={l.section}
                onChange={(e) => u({ section: e.target.value })}
                id={fid(`/legalBasis/${i}/section`)}
                error={fe(`/legalBasis/${i}/section`)}
              />
              <TextField
                label={t('editor.url')}
                value={l.url}
                onChange={(e) => u({ url: e.target.value })}
                id={fid(`/legalBasis/${i}/url`)}
                error={fe(`/legalBasis/${i}/url`)}
              />
            </>
          ),
          t('editor.legalBasis'),
        )}
        {rows(
          data.lifeEvents,
          'lifeEvents',
          (): ServiceData['lifeEvents'][number] => ({ code: ref?.lifeEvents[0]?.code ?? 'having-a-child' }),
          (l, u, i) => {
            const ev = ref?.lifeEvents.find((x) => x.code === l.code);
            return (
              <>
                <SelectField
                  label={t('editor.event')}
                  value={l.code}
                  onChange={(e) => u({ code: e.target.value, step: undefined })}
                  id={fid(`/lifeEvents/${i}/code`)}
                  error={fe(`/lifeEvents/${i}/code`)}
                >
                  {(ref?.lifeEvents ?? []).map((x) => (
                    <option key={x.code} value={x.code}>
                      {pick(x.name, lang)}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label={t('editor.step')}
                  value={l.step ? String(l.step) : ''}
                  onChange={(e) => u({ step: e.target.value ? Number(e.target.value) : undefined })}
                  id={fid(`/lifeEvents/${i}/step`)}
                  error={fe(`/lifeEvents/${i}/step`)}
                >
                  <option value="">{t('editor.noStep')}</option>
                  {(ev?.steps ?? []).map((s, j) => (
                    <option key={j} value={j + 1}>
                      {j + 1}. {pick(s.title, lang)}
                    </option>
                  ))}
                </SelectField>
              </>
            );
          },
          t('editor.lifeEvents'),
        )}
        {rows(
          data.stateServices,
          'stateServices',
          () => ({
            id: ref?.stateServices[0]?.id ?? '',
            name: pick(ref?.stateServices[0]?.name, 'et'),
            url: ref?.stateServices[0]?.url ?? 'https://www.eesti.ee/',
            relation: 'related',
          }),
          (s, u) => (
            <>
              <SelectField
                label={t('editor.stateService')}
                value={s.id}
                onChange={(e) => {
                  const r = ref?.stateServices.find((x) => x.id === e.target.value);
                  if (r) u({ id: r.id, name: r.name.et, url: r.url });
                }}
              >
                {(ref?.stateServices ?? []).map((x) => (
                  <option key={x.id} value={x.id}>
                    {pick(x.name, lang)} ({x.provider})
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('manage.relation')}
                value={s.relation}
                onChange={(e) => u({ relation: e.target.value })}
              >
                {opts(ref?.stateRelations)}
              </SelectField>
            </>
          ),
          t('editor.stateServices'),
        )}
        {rows(
          data.outputs,
          'outputs',
          () => ({ name: '', type: 'declaration' }),
          (o, u, i) => (
            <>
              <TextField
                label={t('editor.outputName')}
                value={o.name}
                onChange={(e) => u({ name: e.target.value })}
                id={fid(`/outputs/${i}/name`)}
                error={fe(`/outputs/${i}/name`)}
              />
              <SelectField label={t('editor.outputType')} value={o.type} onChange={(e) => u({ type: e.target.value })}>
                {opts(ref?.outputTypes)}
              </SelectField>
            </>
          ),
          t('editor.outputs'),
        )}
        {rows(
          data.costs,
          'costs',
          () => ({ description: '', valueCents: 0 }),
          (c, u, i) => (
            <>
              <TextField
                label={t('editor.costDescription')}
                value={c.description}
                onChange={(e) => u({ description: e.target.value })}
                id={fid(`/costs/${i}/description`)}
                error={fe(`/costs/${i}/description`)}
              />
              <TextField
                label={t('editor.costEuros')}
                type="number"
                min={0}
                step="0.01"
                value={String(c.valueCents / 100)}
                onChange={(e) => u({ valueCents: Math.round(Number(e.target.value || 0) * 100) })}
              />
            </>
          ),
          t('editor.costs'),
        )}
        <TextArea
          label={t('editor.requirements')}
          value={data.requirements.join('\n')}
          onChange={(e) => set({ requirements: e.target.value.split('\n') })}
        />
        <TextArea
          label={t('editor.evidence')}
          value={data.evidence.join('\n')}
          onChange={(e) => set({ evidence: e.target.value.split('\n') })}
        />
        <div className="svc-two">
          <TextField
            label={t('editor.owner')}
            value={data.owner.name}
            onChange={(e) => set({ owner: { ...data.owner, name: e.target.value } })}
            id={fid('/owner/name')}
            error={fe('/owner/name')}
          />
          <TextField
            label={t('editor.ownerEmail')}
            type="email"
            value={data.owner.email ?? ''}
            onChange={(e) => set({ owner: { ...data.owner, email: e.target.value } })}
            id={fid('/owner/email')}
            error={fe('/owner/email')}
          />
          <TextField
            label={t('editor.ownerPhone')}
            value={data.owner.phone ?? ''}
            onChange={(e) => set({ owner: { ...data.owner, phone: e.target.value } })}
          />
        </div>
        <TextField
          label={t('editor.changeNote')}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
      {!isNew && loaded.data ? <ServiceSide code={code} service={loaded.data} /> : null}
    </Page>
  );
}

function ServiceSide({ code, service }: { code: string; service: ServiceView }) {
  const { t, i18n } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const versions = useLoad(
    (signal) => api<Version[]>(`/api/v1/municipalities/${code}/services/${service.id}/versions`, { signal }),
    [code, service.id, service.version],
  );
  const divergence = useLoad(
    (signal) =>
      service.templateId
        ? api<Divergence>(`/api/v1/municipalities/${code}/services/${service.id}/divergence`, { signal })
        : Promise.resolve(undefined),
    [code, service.id, service.version],
  );
  const link = useLoad(
    (signal) =>
      service.status === 'active' || service.status === 'needs-change'
        ? api<{ url: string; qrSvg: string; script: string; iframe: string }>(
            `/api/v1/municipalities/${code}/services/${service.id}/survey-link?lang=${lang}`,
            { signal },
          )
        : Promise.resolve(undefined),
    [code, service.id, service.status, lang],
  );
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : t('editor.none'));
  return (
    <>
      {divergence.data ? (
        <section>
          <h2>{t('editor.divergence')}</h2>
          <p>
            {t('editor.fromTemplate', {
              template: divergence.data.templateIdentifier,
              adopted: divergence.data.adoptedVersion,
              current: divergence.data.templateVersion,
            })}
          </p>
          <dl className="facts">
            <dt>{t('editor.adapted')}</dt>
            <dd>{list(divergence.data.adapted)}</dd>
            <dt>{t('editor.localised')}</dt>
            <dd>{list(divergence.data.localised)}</dd>
            <dt>{t('editor.templateChanged')}</dt>
            <dd>{list(divergence.data.templateChanged)}</dd>
          </dl>
        </section>
      ) : null}
      {link.data ? (
        <section>
          <h2>{t('editor.survey')}</h2>
          <p>
            {t('editor.surveyLink')}: <a href={link.data.url}>{link.data.url}</a>
          </p>
          <figure className="svc-qr">
            <img
              src={`data:image/svg+xml;base64,${btoa(link.data.qrSvg)}`}
              alt={`${t('editor.qr')}: ${link.data.url}`}
            />
          </figure>
          <h3>{t('editor.embedScript')}</h3>
          <pre className="svc-code" tabIndex={0}>
            {link.data.script}
          </pre>
          <h3>{t('editor.embedIframe')}</h3>
          <pre className="svc-code" tabIndex={0}>
            {link.data.iframe}
          </pre>
        </section>
      ) : null}
      <Assessment code={code} serviceId={service.id} reference={ref} />
      <section>
        <h2>{t('editor.versions')}</h2>
        <TableWrap label={t('editor.versions')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.version')}</th>
                <th scope="col">{t('editor.changedAt')}</th>
                <th scope="col">{t('editor.changedBy')}</th>
                <th scope="col">{t('editor.changedFields')}</th>
              </tr>
            </thead>
            <tbody>
              {(versions.data ?? []).map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{formatDate(v.changedAt, i18n.language, true)}</td>
                  <td>{v.changedByName ?? '—'}</td>
                  <td>
                    {v.changedFields.join(', ')}
                    {v.changeNote ? <div className="muted">{v.changeNote}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}

function Assessment({
  code,
  serviceId,
  reference,
}: {
  code: string;
  serviceId: string;
  reference: Reference | undefined;
}) {
  const { t } = useTranslation('services');
  const lang = useLang();
  const latest = useLoad(
    (signal) =>
      api<{ score: number; answers: { principle: string; answer: string; evidence?: string }[] } | null>(
        `/api/v1/municipalities/${code}/services/${serviceId}/assessment`,
        { signal },
      ),
    [code, serviceId],
  );
  const [answers, setAnswers] = useState<Record<string, { answer: string; evidence: string }>>({});
  const [err, setErr] = useState<unknown>();
  const [msg, setMsg] = useState<string>();
  useEffect(() => {
    if (latest.data)
      setAnswers(
        Object.fromEntries(
          latest.data.answers.map((a) => [a.principle, { answer: a.answer, evidence: a.evidence ?? '' }]),
        ),
      );
  }, [latest.data]);
  const principles = reference?.principles ?? [];
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    setMsg(undefined);
    try {
      const r = await api<{ score: number }>(`/api/v1/municipalities/${code}/services/${serviceId}/assessments`, {
        method: 'POST',
        body: {
          answers: principles.map((p) => ({
            principle: p.code,
            answer: answers[p.code]?.answer ?? 'not-met',
            ...(answers[p.code]?.evidence.trim() ? { evidence: answers[p.code]!.evidence.trim() } : {}),
          })),
        },
      });
      setMsg(t('editor.assessed', { score: r.score }));
      latest.reload();
    } catch (x) {
      setErr(x);
    }
  };
  const fe = (i: number) => (err instanceof ApiError ? err.fieldError(`/body/answers/${i}/evidence`) : undefined);
  return (
    <section>
      <h2>{t('editor.assess')}</h2>
      {latest.data ? (
        <p>
          {t('manage.score')}: {latest.data.score}
        </p>
      ) : null}
      {msg ? <Notice kind="success">{msg}</Notice> : null}
      {err ? <ErrorNotice error={err} /> : null}
      <form className="form" onSubmit={save} noValidate>
        {principles.map((p, i) => (
          <div className="svc-row" key={p.code}>
            <SelectField
              label={`${pick(p.name, lang)} — ${pick(p.question, lang)}`}
              value={answers[p.code]?.answer ?? 'not-met'}
              onChange={(e) =>
                setAnswers((a) => ({ ...a, [p.code]: { answer: e.target.value, evidence: a[p.code]?.evidence ?? '' } }))
              }
            >
              {(['met', 'partly', 'not-met', 'not-applicable'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`editor.answers.${x}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`${t('editor.evidenceNote')}: ${pick(p.name, lang)}`}
              value={answers[p.code]?.evidence ?? ''}
              onChange={(e) =>
                setAnswers((a) => ({
                  ...a,
                  [p.code]: { answer: a[p.code]?.answer ?? 'not-met', evidence: e.target.value },
                }))
              }
              error={fe(i)}
            />
          </div>
        ))}
        <button type="submit" className="button">
          {t('editor.assessSave')}
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------- satisfaction

interface Row {
  key: string;
  label?: string;
  answers: number;
  index: number | null;
  level: string | null;
  satisfactionPercent: number | null;
  effortIndex: number | null;
  lowSample: boolean;
}

export function ResultsTable({
  rows,
  label,
  keyLabel,
}: {
  rows: (Row & { rank?: number | null })[];
  label: string;
  keyLabel: (r: Row) => string;
}) {
  const { t } = useTranslation('services');
  const fmt = (n: number | null) => (n === null ? '—' : String(n));
  const ranked = rows.some((r) => r.rank !== undefined);
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            {ranked ? <th scope="col">{t('national.rank')}</th> : null}
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('satisfaction.answers')}</th>
            <th scope="col">{t('satisfaction.index')}</th>
            <th scope="col">{t('satisfaction.level')}</th>
            <th scope="col">{t('satisfaction.percent')}</th>
            <th scope="col">{t('satisfaction.effort')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {ranked ? <td>{r.rank ?? '—'}</td> : null}
              <th scope="row">{keyLabel(r)}</th>
              <td>
                {r.answers}
                {r.lowSample ? <span className="muted"> ({t('satisfaction.lowSample')})</span> : null}
              </td>
              <td>{fmt(r.index)}</td>
              <td className={r.level ? `svc-level-${r.level}` : undefined}>
                {r.level ? t(`satisfaction.levels.${r.level}`) : '—'}
              </td>
              <td>{fmt(r.satisfactionPercent)}</td>
              <td>{fmt(r.effortIndex)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function Satisfaction() {
  return (
    <RequireLogin>
      <SatisfactionPage />
    </RequireLogin>
  );
}

const GROUPS = ['service', 'channel', 'month', 'service-channel', 'total'] as const;

function SatisfactionPage() {
  const { t } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const { code, allowed } = useOfficialMunicipality();
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year - 1}-${new Date().toISOString().slice(5, 10)}`);
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [groupBy, setGroupBy] = useState<string>('service');
  const [q, setQ] = useState({ from, to, groupBy });
  const res = useLoad(
    (signal) =>
      code
        ? api<{ rows: Row[]; total: Row }>(`/api/v1/municipalities/${code}/satisfaction?${new URLSearchParams(q)}`, {
            signal,
          })
        : Promise.resolve(undefined),
    [code, q.from, q.to, q.groupBy],
  );
  if (!allowed.length)
    return <Page title={t('satisfaction.title')}>{<Notice kind="warning">{t('manage.notOfficial')}</Notice>}</Page>;
  const keyLabel = (r: Row) =>
    q.groupBy === 'channel'
      ? labelOf(ref?.channelTypes, r.key, lang)
      : q.groupBy === 'total' || r.key === 'total'
        ? t('satisfaction.total')
        : (r.label ?? r.key);
  return (
    <Page title={t('satisfaction.title')} lead={t('satisfaction.lead')}>
      <MunicipalityPicker only={allowed.includes('*') ? undefined : [...allowed]} />
      <form
        className="svc-inline"
        onSubmit={(e) => {
          e.preventDefault();
          setQ({ from, to, groupBy });
        }}
      >
        <TextField label={t('satisfaction.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('satisfaction.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <SelectField label={t('satisfaction.groupBy')} value={groupBy} onChange={(e) => setGroupBy(e.target.value)}>
          {GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`satisfaction.groups.${g}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button">
          {t('satisfaction.show')}
        </button>
      </form>
      <p className="muted">{t('satisfaction.formula')}</p>
      {res.loading ? <Loading /> : res.error ? <ErrorNotice error={res.error} onRetry={res.reload} /> : null}
      {res.data ? (
        <>
          <ResultsTable
            rows={[...res.data.rows, { ...res.data.total, key: 'total' }]}
            label={t('satisfaction.title')}
            keyLabel={keyLabel}
          />
          <p className="svc-inline">
            <a href={`/api/v1/municipalities/${code}/satisfaction?${new URLSearchParams({ ...q, format: 'csv' })}`}>
              {t('common.download')}
            </a>
            <a
              href={`/api/v1/municipalities/${code}/satisfaction/answers.csv?${new URLSearchParams({ from: q.from, to: q.to })}`}
            >
              {t('satisfaction.answersCsv')}
            </a>
          </p>
        </>
      ) : null}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------- ELVL

export function National() {
  return (
    <RequireLogin>
      <NationalPage />
    </RequireLogin>
  );
}

function NationalPage() {
  const { t, i18n } = useTranslation('services');
  const lang = useLang();
  const ref = useReference();
  const session = useSession();
  const isElvl = session.municipalitiesWith(OFFICIAL).some((c) => c === '*' || c === '0000');
  const [year, setYear] = useState(new Date().getFullYear());
  const matrix = useLoad(
    (signal) => (isElvl ? api<Matrix>('/api/v1/services/coverage-matrix', { signal }) : Promise.resolve(undefined)),
    [isElvl],
  );
  const cmp = useLoad(
    (signal) =>
      isElvl
        ? api<{ municipalities: (Row & { rank: number | null })[]; national: Row; refreshedAt: string | null }>(
            `/api/v1/satisfaction/comparison?year=${year}`,
            { signal },
          )
        : Promise.resolve(undefined),
    [isElvl, year],
  );
  const overlap = useLoad(
    (signal) =>
      isElvl
        ? api<Overlap & { items: { municipalityCode: string }[] }>('/api/v1/services/overlap', { signal })
        : Promise.resolve(undefined),
    [isElvl],
  );
  if (!isElvl)
    return <Page title={t('national.title')}>{<Notice kind="warning">{t('national.notElvl')}</Notice>}</Page>;
  return (
    <Page title={t('national.title')} lead={t('national.lead')}>
      <h2>{t('national.comparison')}</h2>
      <div className="svc-inline">
        <SelectField label={t('national.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
          {[0, 1, 2].map((d) => (
            <option key={d} value={new Date().getFullYear() - d}>
              {new Date().getFullYear() - d}
            </option>
          ))}
        </SelectField>
        <a href={`/api/v1/satisfaction/comparison?year=${year}&format=csv`}>{t('common.download')}</a>
      </div>
      {cmp.loading ? <Loading /> : cmp.error ? <ErrorNotice error={cmp.error} /> : null}
      {cmp.data ? (
        <>
          {cmp.data.refreshedAt ? (
            <p className="muted">
              {t('national.refreshed', { at: formatDate(cmp.data.refreshedAt, i18n.language, true) })}
            </p>
          ) : null}
          <ResultsTable
            rows={[...cmp.data.municipalities, { ...cmp.data.national, key: 'national', rank: null }]}
            label={t('national.comparison')}
            keyLabel={(r) => (r.key === 'national' ? t('national.national') : (r.label ?? r.key))}
          />
        </>
      ) : null}
      <h2>{t('national.matrix')}</h2>
      {matrix.data ? (
        <>
          <p>{t('national.started', { n: matrix.data.municipalitiesStarted })}</p>
          <TableWrap label={t('national.matrix')}>
            <table className="svc-matrix">
              <thead>
                <tr>
                  <th scope="col">{t('common.municipality')}</th>
                  <th scope="col">%</th>
                  {matrix.data.templates.map((tp) => (
                    <th scope="col" key={tp.templateId} title={pick(tp.name, lang)}>
                      <abbr title={pick(tp.name, lang)}>{tp.identifier.replace('ELVL-', '')}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {matrix.data.municipalities.map((m) => (
                  <tr key={m.code}>
                    <th scope="row">{m.name}</th>
                    <td>{m.coveragePercent}</td>
                    {m.cells.map((c, i) => (
                      <td key={i} className={c ? `svc-cell-${c}` : undefined}>
                        {c ? <span className="visually-hidden">{labelOf(ref?.statuses, c, lang)}</span> : null}
                        {c ? <span aria-hidden="true">●</span> : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : matrix.loading ? (
        <Loading />
      ) : null}
      {overlap.data ? <OverlapTable items={overlap.data.items as never} showMunicipality /> : null}
    </Page>
  );
}
