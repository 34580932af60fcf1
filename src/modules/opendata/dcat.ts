import path from 'node:path';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { RESOURCES_DIR } from '../../platform/places/ehak';
import {
  Graph,
  loadShapes,
  serialize,
  validateShacl,
  type NamedNode,
  type Quad,
  type RdfFormat,
  type ShaclReport,
} from '../../platform/rdf';
import type { Catalogue } from './catalogue';
import { catalogueOf } from './catalogue';
import type { DatasetSnapshot } from './snapshot';
import {
  FREQUENCIES,
  THEMES,
  THEME_SCHEME,
  accessRightsUri,
  fileTypeUri,
  formatInfo,
  frequencyUri,
  licence,
  licenceUri,
  mediaTypeUri,
  themeUri,
} from './vocab';
import { tagsOf } from './publishing';
import { publishedPage } from './store';

/**
 * The catalogue as DCAT-AP 3.0.1: a dcat:Catalog per municipality (and ELVL) with its datasets,
 * distributions, publisher, contact points, themes, EHAK locations, licences, checksums, and the
 * CKAN-compatible API as a dcat:DataService. Every referenced thing is typed and labelled, so the
 * export passes both the official DCAT-AP shapes and the range shapes.
 */
export const DCAT_SHAPES = [
  path.join(RESOURCES_DIR, 'standards', 'dcat-ap-3.0.1-SHACL.ttl'),
  path.join(RESOURCES_DIR, 'standards', 'dcat-ap-3.0.1-ranges.ttl'),
];

const EU = 'http://publications.europa.eu/resource/authority/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const PUBLISHER_TYPE = 'http://purl.org/adms/publishertype/';

export interface DcatUrls {
  base: string;
  catalogue(code: string): string;
  dataset(name: string): string;
  landing(name: string): string;
  distribution(name: string, distId: string): string;
  download(name: string, version: number, distId: string): string;
  place(code: string): string;
  agent(code: string): string;
}

export function dcatUrls(publicUrl: string): DcatUrls {
  const b = publicUrl.replace(/\/+$/, '');
  return {
    base: b,
    catalogue: (code) => `${b}/api/v1/opendata/catalogues/${code}`,
    dataset: (name) => `${b}/api/v1/opendata/datasets/${name}`,
    landing: (name) => `${b}/opendata/datasets/${name}`,
    distribution: (name, id) => `${b}/api/v1/opendata/datasets/${name}/distributions/${id}`,
    download: (name, version, id) => `${b}/api/v1/opendata/datasets/${name}/versions/${version}/files/${id}`,
    place: (code) => `${b}/api/v1/places/${code}`,
    agent: (code) =>
      code === '0000' ? `${b}/api/v1/opendata/catalogues/0000#publisher` : `${b}/api/v1/municipalities/${code}`,
  };
}

/** Builds DCAT-AP graphs; shared nodes (themes, licences, places, agents) are described once. */
export class DcatBuilder {
  readonly g = new Graph({ dcatap: 'http://data.europa.eu/r5r/', hydra: HYDRA });
  private described = new Set<string>();
  private service: NamedNode;
  constructor(readonly urls: DcatUrls) {
    this.service = this.g.iri(`${urls.base}/api/3/action`);
  }
  private once(iri: string): boolean {
    if (this.described.has(iri)) return false;
    this.described.add(iri);
    return true;
  }
  private typed(iri: string, type: NamedNode, labels?: Record<string, string>, labelProp?: NamedNode): NamedNode {
    const n = this.g.iri(iri);
    if (this.once(iri)) {
      this.g.add(n, this.g.ns.rdf('type'), type);
      if (labels) this.g.addTexts(n, labelProp ?? this.g.ns.skos('prefLabel'), labels);
    }
    return n;
  }
  private agent(code: string, name: string): NamedNode {
    const { g } = this;
    const iri = this.urls.agent(code);
    const n = g.iri(iri);
    if (this.once(iri)) {
      g.add(n, g.ns.rdf('type'), g.ns.foaf('Agent'))
        .add(n, g.ns.rdf('type'), g.ns.foaf('Organization'))
        .add(n, g.ns.foaf('name'), g.text(name, 'et'));
      const type = code === '0000' ? 'NonProfitOrganisation' : 'LocalAuthority';
      g.add(
        n,
        g.ns.dct('type'),
        this.typed(PUBLISHER_TYPE + type, g.ns.skos('Concept'), {
          en: code === '0000' ? 'Non-Profit Organisation' : 'Local Authority',
        }),
      );
    }
    return n;
  }
  private location(code: string, name: string): NamedNode {
    const { g } = this;
    const iri = this.urls.place(code);
    const n = g.iri(iri);
    if (this.once(iri)) {
      g.add(n, g.ns.rdf('type'), g.ns.dct('Location'))
        .add(n, g.ns.skos('prefLabel'), g.text(name, 'et'))
        .add(n, g.ns.dct('identifier'), g.text(code));
    }
    return n;
  }
  private estonia(): NamedNode {
    return this.typed(`${EU}country/EST`, this.g.ns.dct('Location'), { et: 'Eesti', en: 'Estonia' });
  }
  private languages(): NamedNode[] {
    return [
      this.typed(`${EU}language/EST`, this.g.ns.dct('LinguisticSystem')),
      this.typed(`${EU}language/ENG`, this.g.ns.dct('LinguisticSystem')),
    ];
  }
  private themeScheme(): NamedNode {
    const { g } = this;
    const n = g.iri(THEME_SCHEME);
    if (this.once(THEME_SCHEME))
      g.add(n, g.ns.rdf('type'), g.ns.skos('ConceptScheme')).add(n, g.ns.dct('title'), g.text('Data theme', 'en'));
    return n;
  }

  addCatalogue(c: Catalogue, datasets: DatasetSnapshot[]): NamedNode {
    const { g } = this;
    const cat = g.iri(this.urls.catalogue(c.municipalityCode));
    g.add(cat, g.ns.rdf('type'), g.ns.dcat('Catalog'))
      .addTexts(cat, g.ns.dct('title'), { et: c.titleEt, en: c.titleEn })
      .addTexts(cat, g.ns.dct('description'), { et: c.descriptionEt, en: c.descriptionEn })
      .add(cat, g.ns.dct('publisher'), this.agent(c.municipalityCode, c.organization.title))
      .add(cat, g.ns.dcat('themeTaxonomy'), this.themeScheme())
      .add(
        cat,
        g.ns.dct('spatial'),
        c.municipalityCode === '0000' ? this.estonia() : this.location(c.municipalityCode, c.organization.title),
      );
    for (const l of this.languages()) g.add(cat, g.ns.dct('language'), l);
    if (c.homepage) g.add(cat, g.ns.foaf('homepage'), this.typed(c.homepage, g.ns.foaf('Document')));
    const modified = datasets.reduce<string | null>((m, d) => (m === null || d.modified > m ? d.modified : m), null);
    if (modified) g.add(cat, g.ns.dct('modified'), g.dateTime(modified));
    g.add(cat, g.ns.dcat('service'), this.service);
    this.describeService();
    for (const d of datasets) g.add(cat, g.ns.dcat('dataset'), this.addDataset(d));
    return cat;
  }

  /** A dataset on its own (its URI's RDF answer), with the service that serves it. */
  addStandaloneDataset(d: DatasetSnapshot): NamedNode {
    this.describeService();
    return this.addDataset(d);
  }

  /**
   * Paging as ckanext-dcat writes it (`_add_pagination_triples`): the page's URL is a
   * hydra:PagedCollection with the first, last, next and previous pages' URLs (both the current
   * Hydra terms and the deprecated *Page ones, which older harvesters read), the total and the
   * page size.
   */
  addPaging(p: {
    current: string;
    first: string;
    last: string;
    next: string | null;
    previous: string | null;
    count: number;
    perPage: number;
  }) {
    const { g } = this;
    const n = g.iri(p.current);
    const h = (local: string) => g.iri(HYDRA + local);
    g.add(n, g.ns.rdf('type'), h('PagedCollection'))
      .add(n, h('totalItems'), g.typed(p.count, 'xsd:integer'))
      .add(n, h('itemsPerPage'), g.typed(p.perPage, 'xsd:integer'));
    const links: [string, string, string | null][] = [
      ['first', 'firstPage', p.first],
      ['last', 'lastPage', p.last],
      ['next', 'nextPage', p.next],
      ['previous', 'previousPage', p.previous],
    ];
    for (const [now, old, url] of links) if (url) g.add(n, h(now), g.text(url)).add(n, h(old), g.text(url));
  }

  private describeService() {
    const { g } = this;
    if (!this.once(this.service.value)) return;
    g.add(this.service, g.ns.rdf('type'), g.ns.dcat('DataService'))
      .addTexts(this.service, g.ns.dct('title'), {
        et: 'KOV platvormi avaandmete API (CKAN-ühilduv)',
        en: 'KOV Platform open data API (CKAN-compatible)',
      })
      .add(this.service, g.ns.dcat('endpointURL'), this.service)
      .add(this.service, g.ns.rdf('type'), g.ns.rdfs('Resource'))
      .add(
        this.service,
        g.ns.dcat('endpointDescription'),
        this.typed(`${this.urls.base}/api/docs`, g.ns.rdfs('Resource')),
      );
  }

  addDataset(d: DatasetSnapshot): NamedNode {
    const { g, urls } = this;
    const ds = g.iri(urls.dataset(d.name));
    g.add(ds, g.ns.rdf('type'), g.ns.dcat('Dataset'))
      .addTexts(ds, g.ns.dct('title'), d.title)
      .addTexts(ds, g.ns.dct('description'), d.description)
      .add(ds, g.ns.dct('identifier'), g.text(d.id))
      .add(ds, g.ns.dct('issued'), g.dateTime(d.issued))
      .add(ds, g.ns.dct('modified'), g.dateTime(d.modified))
      .add(ds, g.ns.dcat('version'), g.text(String(d.version)))
      .add(ds, g.ns.dct('publisher'), this.agent(d.municipalityCode, d.organization.title))
      .add(ds, g.ns.dcat('landingPage'), this.typed(urls.landing(d.name), g.ns.foaf('Document')))
      .add(ds, g.ns.dct('accessRights'), this.typed(accessRightsUri(d.accessRights), g.ns.dct('RightsStatement')))
      .add(
        ds,
        g.ns.dct('accrualPeriodicity'),
        this.typed(
          frequencyUri(d.frequency),
          g.ns.dct('Frequency'),
          FREQUENCIES[d.frequency as keyof typeof FREQUENCIES],
        ),
      );
    g.add(this.service, g.ns.dcat('servesDataset'), ds);
    for (const [lang, words] of Object.entries(d.keywords))
      for (const w of words) g.add(ds, g.ns.dcat('keyword'), g.text(w, lang));
    if (tagsOf(d).length === 0) g.add(ds, g.ns.dcat('keyword'), g.text(d.organization.title, 'et'));
    for (const t of d.themes) {
      const theme = this.typed(themeUri(t), g.ns.skos('Concept'), THEMES[t as keyof typeof THEMES]);
      if (this.described.has(themeUri(t) + '#scheme') === false) {
        this.described.add(themeUri(t) + '#scheme');
        g.add(theme, g.ns.skos('inScheme'), this.themeScheme());
      }
      g.add(ds, g.ns.dcat('theme'), theme);
    }
    if (d.spatial.length) for (const p of d.spatial) g.add(ds, g.ns.dct('spatial'), this.location(p.code, p.name));
    else g.add(ds, g.ns.dct('spatial'), this.estonia());
    for (const l of this.languages()) g.add(ds, g.ns.dct('language'), l);
    if (d.temporal && (d.temporal.start || d.temporal.end)) {
      const t = g.blank();
      g.add(ds, g.ns.dct('temporal'), t).add(t, g.ns.rdf('type'), g.ns.dct('PeriodOfTime'));
      if (d.temporal.start) g.add(t, g.ns.dcat('startDate'), g.date(d.temporal.start));
      if (d.temporal.end) g.add(t, g.ns.dcat('endDate'), g.date(d.temporal.end));
    }
    if (d.contact) {
      const c = g.blank();
      g.add(ds, g.ns.dcat('contactPoint'), c)
        .add(c, g.ns.rdf('type'), g.ns.vcard('Kind'))
        .add(c, g.ns.rdf('type'), g.ns.vcard('Organization'))
        .add(c, g.ns.vcard('fn'), g.text(d.contact.name || d.organization.title))
        .add(c, g.ns.vcard('hasEmail'), g.iri(`mailto:${d.contact.email}`));
    }
    if (d.changeNote) g.add(ds, g.ns.adms('versionNotes'), g.text(d.changeNote, 'et'));
    if (d.qualityNote) {
      const a = g.blank();
      const body = g.blank();
      g.add(ds, g.ns.dqv('hasQualityAnnotation'), a)
        .add(a, g.ns.rdf('type'), g.ns.dqv('QualityAnnotation'))
        .add(a, g.ns.oa('motivatedBy'), g.ns.dqv('qualityAssessment'))
        .add(a, g.ns.oa('hasBody'), body)
        .add(body, g.ns.rdf('type'), g.ns.oa('TextualBody'))
        .add(body, g.ns.rdf('value'), g.text(d.qualityNote, 'et'));
    }
    if (d.anonymisation) {
      const prov = g.blank();
      g.add(ds, g.ns.dct('provenance'), prov)
        .add(prov, g.ns.rdf('type'), g.ns.dct('ProvenanceStatement'))
        .addTexts(prov, g.ns.rdfs('label'), d.anonymisation);
    }
    const lic = licence(d.licenseId);
    for (const x of d.distributions)
      g.add(ds, g.ns.dcat('distribution'), this.addDistribution(d, x, lic ? licenceUri(lic) : null));
    return ds;
  }

  private addDistribution(
    d: DatasetSnapshot,
    x: DatasetSnapshot['distributions'][number],
    licenceIri: string | null,
  ): NamedNode {
    const { g, urls } = this;
    const n = g.iri(urls.distribution(d.name, x.id));
    const access = x.kind === 'file' ? urls.download(d.name, d.version, x.id) : x.url!;
    g.add(n, g.ns.rdf('type'), g.ns.dcat('Distribution'))
      .addTexts(n, g.ns.dct('title'), x.title)
      .add(n, g.ns.dcat('accessURL'), g.iri(access))
      .add(n, g.ns.dct('modified'), g.dateTime(d.modified));
    if (x.kind === 'file') g.add(n, g.ns.dcat('downloadURL'), g.iri(access));
    else g.add(n, g.ns.dcat('accessService'), this.service);
    const fmt = formatInfo(x.format);
    if (fmt) g.add(n, g.ns.dct('format'), this.typed(fileTypeUri(fmt.eu), g.ns.dct('MediaTypeOrExtent')));
    g.add(n, g.ns.dcat('mediaType'), this.typed(mediaTypeUri(x.mediaType), g.ns.dct('MediaType')));
    if (licenceIri) g.add(n, g.ns.dct('license'), this.typed(licenceIri, g.ns.dct('LicenseDocument')));
    if (x.byteSize !== null) g.add(n, g.ns.dcat('byteSize'), g.typed(x.byteSize, 'xsd:nonNegativeInteger'));
    if (x.sha256) {
      const c = g.blank();
      g.add(n, g.ns.spdx('checksum'), c)
        .add(c, g.ns.rdf('type'), g.ns.spdx('Checksum'))
        .add(
          c,
          g.ns.spdx('algorithm'),
          this.typed('http://spdx.org/rdf/terms#checksumAlgorithm_sha256', g.ns.spdx('ChecksumAlgorithm')),
        )
        .add(c, g.ns.spdx('checksumValue'), g.typed(x.sha256, 'xsd:hexBinary'));
    }
    if (x.csv)
      g.add(n, g.ns.dct('conformsTo'), this.typed('https://www.rfc-editor.org/rfc/rfc4180', g.ns.dct('Standard')));
    return n;
  }
}

/** Loads the catalogues (one municipality, or all of them) and their published datasets. */
export async function loadCatalogues(
  ctx: AppContext,
  code: string | '*',
): Promise<{ catalogue: Catalogue; datasets: DatasetSnapshot[] }[]> {
  return inScope(ctx.db, { tenant: code === '*' ? '*' : code }, async (trx) => {
    const codes =
      code === '*'
        ? (
            await sql<{
              code: string;
            }>`SELECT DISTINCT municipality_code AS code FROM opendata_published ORDER BY 1`.execute(trx)
          ).rows.map((r) => r.code)
        : [code];
    const out = [];
    for (const c of codes) {
      const catalogue = await catalogueOf(trx, c);
      const r = await sql<{
        snapshot: DatasetSnapshot;
      }>`SELECT snapshot FROM opendata_published WHERE municipality_code = ${c} ORDER BY name`.execute(trx);
      out.push({ catalogue, datasets: r.rows.map((x) => x.snapshot) });
    }
    return out;
  });
}

export function dcatGraph(
  publicUrl: string,
  catalogues: { catalogue: Catalogue; datasets: DatasetSnapshot[] }[],
): { quads: Quad[]; prefixes: Record<string, string> } {
  const b = new DcatBuilder(dcatUrls(publicUrl));
  for (const c of catalogues) b.addCatalogue(c.catalogue, c.datasets);
  return { quads: b.g.quads, prefixes: b.g.prefixes };
}

/**
 * The export of a catalogue (or of all of them) in one format. Harvesters fetch the same export
 * again and again: the last few are kept in memory and reused while nothing in the catalogue
 * changed (same number of datasets, same latest publication, same catalogue settings).
 */
const exportCache = new Map<string, { stamp: string; body: string }>();
const CACHE_ENTRIES = 8;

export async function exportDcat(ctx: AppContext, code: string | '*', format: RdfFormat): Promise<string> {
  const stamp = await inScope(ctx.db, { tenant: code }, async (trx) => {
    const r = await sql<{ n: number; m: string | null; c: string | null }>`
      SELECT (SELECT count(*)::int FROM opendata_published WHERE ${code === '*' ? sql`true` : sql`municipality_code = ${code}`}) AS n,
             (SELECT max(metadata_modified)::text FROM opendata_published WHERE ${code === '*' ? sql`true` : sql`municipality_code = ${code}`}) AS m,
             (SELECT max(updated_at)::text FROM opendata_catalogue WHERE ${code === '*' ? sql`true` : sql`municipality_code = ${code}`}) AS c`.execute(
      trx,
    );
    const x = r.rows[0]!;
    return `${ctx.config.publicUrl}|${x.n}|${x.m}|${x.c}`;
  });
  const key = `${code}:${format}`;
  const hit = exportCache.get(key);
  if (hit && hit.stamp === stamp) {
    exportCache.delete(key);
    exportCache.set(key, hit);
    return hit.body;
  }
  const { quads, prefixes } = dcatGraph(ctx.config.publicUrl, await loadCatalogues(ctx, code));
  const body = await serialize(quads, format, prefixes);
  exportCache.set(key, { stamp, body });
  while (exportCache.size > CACHE_ENTRIES) exportCache.delete(exportCache.keys().next().value!);
  return body;
}

export async function validateDcat(quads: Quad[]): Promise<ShaclReport> {
  return validateShacl(quads, loadShapes(DCAT_SHAPES));
}

/** Datasets per page of the paged DCAT export (ckanext-dcat's `ckanext.dcat.datasets_per_page` default). */
export const DCAT_PAGE_SIZE = 100;

/**
 * One page of a catalogue's (or every catalogue's) DCAT-AP export, as ckanext-dcat's catalogue
 * endpoint pages it: datasets newest change first, optionally only those modified since an
 * instant, with hydra paging triples whose URLs keep the other query parameters.
 */
export async function exportDcatPage(
  ctx: AppContext,
  code: string | '*',
  format: RdfFormat,
  opts: { page: number; modifiedSince: Date | null; pageUrl: (page: number) => string },
): Promise<string> {
  const { catalogues, count } = await inScope(ctx.db, { tenant: code }, async (trx) => {
    const { count, snapshots } = await publishedPage(trx, code, {
      modifiedSince: opts.modifiedSince,
      limit: DCAT_PAGE_SIZE,
      offset: (opts.page - 1) * DCAT_PAGE_SIZE,
    });
    const codes = code === '*' ? [...new Set(snapshots.map((s) => s.municipalityCode))].sort() : [code];
    const catalogues = [];
    for (const c of codes)
      catalogues.push({
        catalogue: await catalogueOf(trx, c),
        datasets: snapshots.filter((s) => s.municipalityCode === c),
      });
    return { catalogues, count };
  });
  const b = new DcatBuilder(dcatUrls(ctx.config.publicUrl));
  for (const c of catalogues) b.addCatalogue(c.catalogue, c.datasets);
  const last = Math.max(1, Math.ceil(count / DCAT_PAGE_SIZE));
  b.addPaging({
    current: opts.pageUrl(opts.page),
    first: opts.pageUrl(1),
    last: opts.pageUrl(last),
    next: opts.page < last ? opts.pageUrl(opts.page + 1) : null,
    previous: opts.page > 1 ? opts.pageUrl(Math.min(opts.page - 1, last)) : null,
    count,
    perPage: DCAT_PAGE_SIZE,
  });
  return serialize(b.g.quads, format, b.g.prefixes);
}

/** A published dataset on its own as DCAT-AP (what its URI answers under content negotiation). */
export async function datasetRdf(ctx: AppContext, d: DatasetSnapshot, format: RdfFormat): Promise<string> {
  const b = new DcatBuilder(dcatUrls(ctx.config.publicUrl));
  b.addStandaloneDataset(d);
  return serialize(b.g.quads, format, b.g.prefixes);
}
