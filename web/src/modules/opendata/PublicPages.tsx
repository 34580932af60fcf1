import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import {
  ErrorNotice,
  Loading,
  Page,
  SelectField,
  TableWrap,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { formatBytes, usePick, useVocabularies, type Snapshot } from './shared';

interface SearchAnswer {
  count: number;
  results: Snapshot[];
  facets: Record<string, { name: string; count: number }[]>;
  organizations: Record<string, string>;
}

const FACETS = ['organization', 'groups', 'res_format', 'license_id', 'origin'] as const;
const PARAM: Record<(typeof FACETS)[number], string> = {
  organization: 'organization',
  groups: 'theme',
  res_format: 'format',
  license_id: 'licence',
  origin: 'origin',
};
const ROWS = 20;

/** The public catalogue: search, facets, results. The state lives in the address, so searches can be shared. */
export function Catalogue() {
  const { t, i18n } = useTranslation('opendata');
  const pick = usePick();
  const vocab = useVocabularies();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const start = Number(params.get('start') ?? 0) || 0;
  const query = params.toString();
  const data = useLoad(
    (signal) => api<SearchAnswer>(`/api/v1/opendata/search?rows=${ROWS}&${query}`, { signal }),
    [query],
  );

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('start' in changes)) next.delete('start');
    setParams(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: q.trim() || null });
  };
  const facetLabel = (facet: (typeof FACETS)[number], name: string) => {
    if (facet === 'organization') return data.data?.organizations[name] ?? name;
    if (facet === 'groups') return pick(vocab?.themes[name.toUpperCase()]) || name;
    if (facet === 'license_id') return vocab?.licences.find((l) => l.id === name)?.title ?? name;
    if (facet === 'origin') return t(`catalogue.origin.${name}`, { defaultValue: name });
    return name;
  };
  const chosen = FACETS.filter((f) => params.get(PARAM[f]));

  return (
    <Page title={t('catalogue.title')} lead={t('catalogue.lead')}>
      <form className="od-search" role="search" onSubmit={submit}>
        <TextField
          label={t('catalogue.search')}
          help={t('catalogue.searchHelp')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          type="search"
          name="q"
        />
        <button type="submit" className="button">
          {t('catalogue.searchButton')}
        </button>
      </form>
      <div className="od-layout">
        <aside className="od-facets" aria-labelledby="od-filters">
          <h2 id="od-filters">{t('catalogue.filters')}</h2>
          {chosen.length ? (
            <p>
              <button
                type="button"
                className="link-button"
                onClick={() => set(Object.fromEntries(FACETS.map((f) => [PARAM[f], null])))}
              >
                {t('catalogue.clear')}
              </button>
            </p>
          ) : null}
          {FACETS.map((f) => {
            const items = data.data?.facets[f] ?? [];
            if (!items.length) return null;
            return (
              <SelectField
                key={f}
                label={t(`catalogue.facet.${f}`)}
                value={params.get(PARAM[f]) ?? ''}
                onChange={(e) => set({ [PARAM[f]]: e.target.value || null })}
              >
                <option value="">—</option>
                {items.map((i) => (
                  <option key={i.name} value={f === 'groups' ? i.name.toUpperCase() : i.name}>
                    {facetLabel(f, i.name)} ({i.count})
                  </option>
                ))}
              </SelectField>
            );
          })}
          <h2>{t('catalogue.machine')}</h2>
          <ul className="od-plain">
            <li>
              <a href="/api/3/action/package_search">CKAN API</a>
            </li>
            <li>
              <a href="/api/v1/opendata/dcat.ttl">DCAT-AP (Turtle)</a>
            </li>
            <li>
              <a href="/api/v1/opendata/dcat.jsonld">DCAT-AP (JSON-LD)</a>
            </li>
          </ul>
        </aside>
        <section className="od-results" aria-labelledby="od-results-title">
          {data.loading ? <Loading /> : null}
          {data.error ? <ErrorNotice error={data.error} onRetry={data.reload} /> : null}
          {data.data ? (
            <>
              <h2 id="od-results-title" aria-live="polite">
                {t('catalogue.results', { count: data.data.count })}
              </h2>
              {data.data.count === 0 ? <p>{t('catalogue.none')}</p> : null}
              <ul className="od-list">
                {data.data.results.map((d) => (
                  <li key={d.id} className="card">
                    <h3>
                      <Link to={`/avaandmed/${d.name}`}>{pick(d.title)}</Link>
                    </h3>
                    <p className="muted">
                      {d.organization.title} · {formatDate(d.modified, i18n.language)} ·{' '}
                      {[...new Set(d.distributions.map((x) => x.format))].join(', ')}
                    </p>
                    <p className="od-clip">{pick(d.description)}</p>
                  </li>
                ))}
              </ul>
              {data.data.count > ROWS ? (
                <nav className="od-pager" aria-label={t('catalogue.page', { page: Math.floor(start / ROWS) + 1 })}>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={start === 0}
                    onClick={() => set({ start: String(Math.max(0, start - ROWS)) })}
                  >
                    {t('catalogue.previous')}
                  </button>
                  <span>{t('catalogue.page', { page: Math.floor(start / ROWS) + 1 })}</span>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={start + ROWS >= data.data.count}
                    onClick={() => set({ start: String(start + ROWS) })}
                  >
                    {t('catalogue.next')}
                  </button>
                </nav>
              ) : null}
            </>
          ) : null}
        </section>
      </div>
    </Page>
  );
}

interface Preview {
  header: string[];
  rows: string[][];
  totalRows: number;
}

/** One dataset: what it is, its files with downloads, a preview of a CSV file, its versions. */
export function DatasetPage() {
  const { name = '' } = useParams();
  const { t, i18n } = useTranslation('opendata');
  const pick = usePick();
  const vocab = useVocabularies();
  const data = useLoad(
    (signal) =>
      api<{ dataset: Snapshot; versions: { version: number; publishedAt: string; changeNote: string | null }[] }>(
        `/api/v1/opendata/datasets/${encodeURIComponent(name)}`,
        { signal },
      ),
    [name],
  );
  const d = data.data?.dataset;
  const csvFiles = d?.distributions.filter((x) => x.csv && x.kind === 'file') ?? [];
  const [previewId, setPreviewId] = useState<string>('');
  const current = previewId || csvFiles[0]?.id || '';
  const preview = useLoad(
    (signal) =>
      d && current
        ? api<Preview>(`/api/v1/opendata/datasets/${encodeURIComponent(d.name)}/distributions/${current}/preview`, {
            signal,
          })
        : Promise.resolve(undefined),
    [d?.name, current],
  );
  if (data.loading) return <Loading />;
  if (data.error || !d) {
    return (
      <Page title={t('dataset.notFound')}>
        <ErrorNotice error={data.error} />
        <p>
          <Link to="/avaandmed">{t('dataset.back')}</Link>
        </p>
      </Page>
    );
  }
  const themes = d.themes.map((c) => pick(vocab?.themes[c]) || c).join(', ');
  const licence = vocab?.licences.find((l) => l.id === d.licenseId);
  const keywords = i18n.language === 'en' && d.keywords.en.length ? d.keywords.en : d.keywords.et;
  const previewFile = csvFiles.find((x) => x.id === current);
  return (
    <Page title={pick(d.title)}>
      <p>
        <Link to="/avaandmed">{t('dataset.back')}</Link>
      </p>
      <p className="od-description">{pick(d.description)}</p>
      <dl className="facts">
        <dt>{t('dataset.publisher')}</dt>
        <dd>{d.organization.title}</dd>
        {themes ? (
          <>
            <dt>{t('dataset.themes')}</dt>
            <dd>{themes}</dd>
          </>
        ) : null}
        {keywords.length ? (
          <>
            <dt>{t('dataset.keywords')}</dt>
            <dd>{keywords.join(', ')}</dd>
          </>
        ) : null}
        <dt>{t('dataset.licence')}</dt>
        <dd>{licence ? <a href={licence.url}>{licence.title}</a> : d.licenseId}</dd>
        <dt>{t('dataset.frequency')}</dt>
        <dd>{pick(vocab?.frequencies[d.frequency]) || d.frequency}</dd>
        {d.temporal ? (
          <>
            <dt>{t('dataset.period')}</dt>
            <dd>
              {d.temporal.start ? formatDate(d.temporal.start, i18n.language) : '…'} –{' '}
              {d.temporal.end ? formatDate(d.temporal.end, i18n.language) : '…'}
            </dd>
          </>
        ) : null}
        {d.spatial.length ? (
          <>
            <dt>{t('dataset.spatial')}</dt>
            <dd>{d.spatial.map((s) => s.name).join(', ')}</dd>
          </>
        ) : null}
        {d.contact ? (
          <>
            <dt>{t('dataset.contact')}</dt>
            <dd>
              {d.contact.name ? `${d.contact.name}, ` : ''}
              <a href={`mailto:${d.contact.email}`}>{d.contact.email}</a>
            </dd>
          </>
        ) : null}
        <dt>{t('dataset.version')}</dt>
        <dd>{d.version}</dd>
        <dt>{t('dataset.published')}</dt>
        <dd>{formatDate(d.issued, i18n.language)}</dd>
        <dt>{t('dataset.modified')}</dt>
        <dd>{formatDate(d.modified, i18n.language)}</dd>
        {d.qualityNote ? (
          <>
            <dt>{t('dataset.quality')}</dt>
            <dd>{d.qualityNote}</dd>
          </>
        ) : null}
        {d.anonymisation ? (
          <>
            <dt>{t('dataset.anonymisation')}</dt>
            <dd>{pick(d.anonymisation)}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('dataset.files')}</h2>
      <ul className="od-files">
        {d.distributions.map((x) => (
          <li key={x.id}>
            <a href={x.downloadUrl ?? x.url ?? '#'} {...(x.kind === 'file' ? { download: x.filename ?? true } : {})}>
              {x.kind === 'file' ? t('dataset.download') : t('dataset.open')}: {pick(x.title)}
            </a>{' '}
            <span className="muted">
              ({x.format}
              {x.byteSize !== null ? `, ${formatBytes(x.byteSize)}` : ''})
            </span>
            {x.sha256 ? (
              <span className="od-hash muted">
                {' '}
                {t('dataset.checksum')}: <code>{x.sha256}</code>
              </span>
            ) : null}
          </li>
        ))}
      </ul>

      {csvFiles.length ? (
        <>
          <h2>{t('dataset.preview')}</h2>
          {csvFiles.length > 1 ? (
            <SelectField
              label={t('dataset.choosePreview')}
              value={current}
              onChange={(e) => setPreviewId(e.target.value)}
            >
              {csvFiles.map((x) => (
                <option key={x.id} value={x.id}>
                  {pick(x.title)}
                </option>
              ))}
            </SelectField>
          ) : null}
          {preview.loading ? <Loading /> : null}
          {preview.error ? <ErrorNotice error={preview.error} /> : null}
          {preview.data && previewFile ? (
            <>
              <p className="muted">
                {t('dataset.previewOf', {
                  file: previewFile.filename ?? pick(previewFile.title),
                  rows: preview.data.totalRows,
                })}
              </p>
              <TableWrap label={t('dataset.previewTable', { file: previewFile.filename ?? pick(previewFile.title) })}>
                <table className="od-preview">
                  <thead>
                    <tr>
                      {preview.data.header.map((h, i) => (
                        <th key={i} scope="col">
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.data.rows.map((r, i) => (
                      <tr key={i}>
                        {r.map((c, j) => (
                          <td key={j}>{c}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          ) : null}
        </>
      ) : null}

      <h2>{t('dataset.versions')}</h2>
      <ul>
        {data.data!.versions.map((v) => (
          <li key={v.version}>
            {t('dataset.versionN', { version: v.version })} — {formatDate(v.publishedAt, i18n.language, true)}
            {v.changeNote ? `: ${v.changeNote}` : ''}
          </li>
        ))}
      </ul>
      <h2>{t('dataset.machine')}</h2>
      <ul className="od-plain">
        <li>
          <a href={`/api/3/action/package_show?id=${d.name}`}>CKAN package_show</a>
        </li>
        <li>
          <a href={`/api/v1/opendata/datasets/${d.name}/datapackage.json`}>datapackage.json</a>
        </li>
        <li>
          <a href={`/api/v1/opendata/catalogues/${d.municipalityCode}/dcat.ttl`}>DCAT-AP (Turtle)</a>
        </li>
      </ul>
    </Page>
  );
}
