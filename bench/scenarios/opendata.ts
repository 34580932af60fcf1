import pg from 'pg';
import type { BenchScenario } from '../lib';
import { load, percentile } from '../lib';
import { organizationName } from '../../src/modules/opendata/vocab';
import type { DatasetSnapshot } from '../../src/modules/opendata/snapshot';

/**
 * Open data: CKAN package_search over 20,000 published datasets (p50/p95/p99 over varied
 * queries — free text, filters, facets, paging — from concurrent clients; p95 of plain words,
 * of CKAN field queries and of metadata_modified/created ranges alone; and throughput of one
 * faceted query), and the time of the full DCAT-AP export of that catalogue (Turtle, RDF/XML,
 * JSON-LD). The datasets are written straight into the tables (as publishing would leave them).
 */
const N = Number(process.env.BENCH_OPENDATA_DATASETS ?? 20_000);
const WORDS = [
  'eelarve',
  'haridus',
  'kool',
  'lasteaed',
  'teed',
  'tänavavalgustus',
  'ühistransport',
  'parkimine',
  'jäätmed',
  'vesi',
  'kultuur',
  'sport',
  'raamatukogu',
  'sotsiaaltoetus',
  'hääletus',
  'kaasav',
  'volikogu',
  'planeering',
  'ehitusluba',
  'keskkond',
  'mets',
  'park',
  'mänguväljak',
  'turism',
  'rahvastik',
];
const EN = [
  'budget',
  'education',
  'school',
  'kindergarten',
  'roads',
  'lighting',
  'transport',
  'parking',
  'waste',
  'water',
  'culture',
  'sport',
  'library',
  'benefit',
  'vote',
  'participatory',
  'council',
  'plan',
  'permit',
  'environment',
  'forest',
  'park',
  'playground',
  'tourism',
  'population',
];
const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'];
const FORMATS = [
  ['CSV', 'text/csv'],
  ['JSON', 'application/json'],
  ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['PDF', 'application/pdf'],
] as const;
const LICENCES = ['CC-BY-4.0', 'CC-BY-4.0', 'CC-BY-4.0', 'CC0-1.0', 'CC-BY-SA-4.0'];

function prng(seed: number) {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export async function seedCatalogue(ownerUrl: string, log: (l: string) => void): Promise<{ orgs: string[] }> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const tenants = (await c.query<{ code: string; name: string }>('SELECT code, name FROM tenant ORDER BY code')).rows;
    const rand = prng(20250101);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const t0 = performance.now();
    for (let start = 0; start < N; start += 2000) {
      const rows: {
        code: string;
        id: string;
        name: string;
        snap: DatasetSnapshot;
        tags: string[];
        formats: string[];
        search: [string, string, string];
      }[] = [];
      for (let i = start; i < Math.min(N, start + 2000); i++) {
        const t = tenants[i % tenants.length]!;
        const org = organizationName(t.code, t.name);
        const w = [pick(WORDS), pick(WORDS)];
        const e = [EN[WORDS.indexOf(w[0]!)]!, EN[WORDS.indexOf(w[1]!)]!];
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const name = `${org}-andmestik-${i}`;
        const f = pick(FORMATS);
        const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 500) * 86400000).toISOString();
        const snap: DatasetSnapshot = {
          id,
          name,
          municipalityCode: t.code,
          organization: { name: org, title: t.name },
          version: 1,
          origin: rand() < 0.3 ? 'auto' : 'manual',
          providerKey: null,
          title: { et: `${w[0]} ja ${w[1]} ${i}`, en: `${e[0]} and ${e[1]} ${i}` },
          description: {
            et: `Andmestik ${i}: ${w.join(', ')} omavalitsuses ${t.name}.`,
            en: `Dataset ${i}: ${e.join(', ')} in ${t.name}.`,
          },
          keywords: { et: w, en: e },
          themes: [pick(THEMES)],
          spatial: t.code === '0000' ? [] : [{ code: t.code, name: t.name }],
          temporal: { start: '2024-01-01', end: '2024-12-31' },
          frequency: pick(['ANNUAL', 'MONTHLY', 'IRREG']),
          licenseId: pick(LICENCES),
          accessRights: 'PUBLIC',
          contact: { name: 'Avaandmed', email: 'avaandmed@example.ee' },
          qualityNote: null,
          anonymisation: null,
          infoSystem: null,
          issued: at,
          modified: at,
          changeNote: null,
          distributions: [
            {
              id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              title: { et: 'Andmed', en: 'Data' },
              kind: 'url',
              fileId: null,
              filename: null,
              url: `https://example.ee/data/${i}.${f[0].toLowerCase()}`,
              format: f[0],
              mediaType: f[1],
              byteSize: 1000 + i,
              sha256: null,
              csv: null,
            },
          ],
        };
        rows.push({
          code: t.code,
          id,
          name,
          snap,
          tags: [...new Set([...w, ...e])],
          formats: [f[0]],
          search: [
            `${snap.title.et} ${snap.title.en} ${name}`,
            `${[...w, ...e].join(' ')} ${snap.themes.join(' ')} ${t.name}`,
            `${snap.description.et} ${snap.description.en} ${t.name} ${f[0]}`,
          ],
        });
      }
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO opendata_dataset (municipality_code, id, name, origin, state, title_et, title_en, description_et, description_en, themes, current_version)
         SELECT m, i::uuid, n, o, 'published', te, tn, de, dn, ARRAY[th], 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(m, i, n, o, te, tn, de, dn, th)`,
        [
          rows.map((r) => r.code),
          rows.map((r) => r.id),
          rows.map((r) => r.name),
          rows.map((r) => (r.snap.origin === 'auto' ? 'manual' : 'manual')),
          rows.map((r) => r.snap.title.et),
          rows.map((r) => r.snap.title.en),
          rows.map((r) => r.snap.description.et),
          rows.map((r) => r.snap.description.en),
          rows.map((r) => r.snap.themes[0]!),
        ],
      );
      await c.query(
        `INSERT INTO opendata_published (municipality_code, dataset_id, name, version, organization, origin, title_et, title_en, tags, themes, formats, license_id, spatial, frequency, metadata_created, metadata_modified, snapshot, search)
         SELECT m, i::uuid, n, 1, org, o, te, tn, string_to_array(tg, '|'), ARRAY[th], ARRAY[fm], lic, CASE WHEN m = '0000' THEN '{}'::text[] ELSE ARRAY[m] END, fr, at::timestamptz, at::timestamptz, s::jsonb,
                setweight(to_tsvector('simple', sa), 'A') || setweight(to_tsvector('simple', sb), 'B') || setweight(to_tsvector('simple', sc), 'C')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
           AS x(m, i, n, org, o, te, tn, tg, th, fm, lic, fr, at, s, sa, sb, sc)`,
        [
          rows.map((r) => r.code),
          rows.map((r) => r.id),
          rows.map((r) => r.name),
          rows.map((r) => r.snap.organization.name),
          rows.map((r) => r.snap.origin),
          rows.map((r) => r.snap.title.et),
          rows.map((r) => r.snap.title.en),
          rows.map((r) => r.tags.join('|')),
          rows.map((r) => r.snap.themes[0]!),
          rows.map((r) => r.formats[0]!),
          rows.map((r) => r.snap.licenseId),
          rows.map((r) => r.snap.frequency),
          rows.map((r) => r.snap.issued),
          rows.map((r) => JSON.stringify(r.snap)),
          rows.map((r) => r.search[0]),
          rows.map((r) => r.search[1]),
          rows.map((r) => r.search[2]),
        ],
      );
      await c.query('COMMIT');
    }
    await c.query('ANALYZE opendata_published');
    log(`${N} published datasets written in ${Math.round(performance.now() - t0)} ms`);
    return { orgs: tenants.map((t) => organizationName(t.code, t.name)) };
  } finally {
    await c.end();
  }
}

export const opendataScenario: BenchScenario = {
  name: 'opendata',
  title: `CKAN package_search over ${N} datasets; full DCAT-AP export`,
  async run(env) {
    const { orgs } = await seedCatalogue(env.ownerUrl, env.log);
    const rand = prng(7);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const facets = encodeURIComponent(JSON.stringify(['organization', 'groups', 'tags', 'res_format', 'license_id']));
    const queries = () => {
      switch (Math.floor(rand() * 6)) {
        case 0:
          return `q=${encodeURIComponent(pick(WORDS))}&facet.field=${facets}`;
        case 1:
          return `q=${encodeURIComponent(pick(EN).slice(0, 4))}&rows=20`;
        case 2:
          return `fq=${encodeURIComponent(`organization:${pick(orgs)}`)}&facet.field=${facets}`;
        case 3:
          return `fq=${encodeURIComponent(`tags:${pick(WORDS)} res_format:CSV`)}&sort=${encodeURIComponent('metadata_modified desc')}`;
        case 4:
          return `facet.field=${facets}&rows=10&start=${Math.floor(rand() * 1000)}`;
        default:
          return `q=${encodeURIComponent(`${pick(WORDS)} ${pick(WORDS)}`)}&fq=${encodeURIComponent(`groups:${pick(THEMES).toLowerCase()}`)}&facet.field=${facets}`;
      }
    };
    // Warm up, then measure varied queries from 4 concurrent clients; then, the same way, each
    // kind of query alone: plain words, CKAN field queries, and metadata_modified ranges (the
    // incremental query of ckanext-harvest's CKAN harvester, with its sort and page size).
    for (let i = 0; i < 50; i++)
      await fetch(`${env.url}/api/3/action/package_search?${queries()}`).then((r) => r.arrayBuffer());
    let errors = 0;
    const measure = async (next: () => string) => {
      const latencies: number[] = [];
      const until = Date.now() + env.seconds * 1000;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < until) {
            const url = `${env.url}/api/3/action/package_search?${next()}`;
            const t0 = performance.now();
            const res = await fetch(url);
            const body = (await res.json()) as { success: boolean; result?: { count: number } };
            latencies.push(performance.now() - t0);
            if (!res.ok || !body.success) errors++;
          }
        }),
      );
      return latencies.sort((a, b) => a - b);
    };
    const latencies = await measure(queries);
    const plain = await measure(() => `q=${encodeURIComponent(pick(WORDS))}`);
    const field = await measure(() => {
      switch (Math.floor(rand() * 4)) {
        case 0:
          return `q=${encodeURIComponent(`title:${pick(EN)}`)}`;
        case 1:
          return `q=${encodeURIComponent(`tags:${pick(WORDS)} AND res_format:CSV`)}`;
        case 2:
          return `fq=${encodeURIComponent(`notes:${pick(WORDS)} -license_id:CC0-1.0`)}`;
        default:
          return `q=${encodeURIComponent(`title:"${pick(WORDS)} ja" OR name:${pick(orgs)}-andmestik-1*`)}`;
      }
    });
    const day = () => new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 500) * 86400000).toISOString();
    const range = await measure(() => {
      switch (Math.floor(rand() * 3)) {
        case 0: // ckanext-harvest: everything modified since the last run, by id, 100 a page
          return `fq=${encodeURIComponent(`metadata_modified:[${day().replace('.000Z', '.000000Z')} TO *]`)}&rows=100&start=${100 * Math.floor(rand() * 3)}&sort=${encodeURIComponent('id asc')}`;
        case 1:
          return `fq=${encodeURIComponent(`metadata_modified:[* TO ${day()}] organization:${pick(orgs)}`)}`;
        default:
          return `q=${encodeURIComponent(pick(WORDS))}&fq=${encodeURIComponent(`metadata_created:[${day()} TO NOW-1DAY]`)}&sort=${encodeURIComponent('metadata_modified desc')}`;
      }
    });
    const r2 = (x: number) => Math.round(x * 100) / 100;
    // Printed now too, so the search figures survive an export that fails later under load.
    for (const [label, l] of [
      ['mixed', latencies],
      ['plain', plain],
      ['field', field],
      ['range', range],
    ] as const)
      env.log(
        `package_search ${label}: ${l.length} requests, p50 ${r2(percentile(l, 0.5))} ms, p95 ${r2(percentile(l, 0.95))} ms`,
      );
    const faceted = await load({
      url: `${env.url}/api/3/action/package_search?facet.field=${facets}&rows=10`,
      duration: env.seconds,
      connections: 8,
    });

    const exportTime = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${env.url}${path}`);
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
      return { ms: Math.round(performance.now() - t0), bytes: Buffer.byteLength(text) };
    };
    const ttl = await exportTime('/api/v1/opendata/dcat.ttl');
    env.log(`DCAT-AP Turtle of all ${N} datasets: ${ttl.ms} ms, ${(ttl.bytes / 1024 / 1024).toFixed(1)} MB`);
    const ttlAgain = await exportTime('/api/v1/opendata/dcat.ttl');
    env.log(`…again, unchanged catalogue (kept in memory): ${ttlAgain.ms} ms`);
    const rdf = await exportTime('/api/v1/opendata/dcat.rdf');
    env.log(`DCAT-AP RDF/XML: ${rdf.ms} ms, ${(rdf.bytes / 1024 / 1024).toFixed(1)} MB`);
    const jsonld = await exportTime('/api/v1/opendata/dcat.jsonld');
    env.log(`DCAT-AP JSON-LD: ${jsonld.ms} ms, ${(jsonld.bytes / 1024 / 1024).toFixed(1)} MB`);
    const one = await exportTime('/api/v1/opendata/catalogues/0784/dcat.ttl');
    return {
      metrics: {
        datasets: N,
        searchRequests: latencies.length,
        searchErrors: errors,
        searchP50Ms: r2(percentile(latencies, 0.5)),
        searchP95Ms: r2(percentile(latencies, 0.95)),
        searchP99Ms: r2(percentile(latencies, 0.99)),
        searchPerSecond: Math.round(latencies.length / env.seconds),
        plainP50Ms: r2(percentile(plain, 0.5)),
        plainP95Ms: r2(percentile(plain, 0.95)),
        fieldQueryP50Ms: r2(percentile(field, 0.5)),
        fieldQueryP95Ms: r2(percentile(field, 0.95)),
        rangeP50Ms: r2(percentile(range, 0.5)),
        rangeP95Ms: r2(percentile(range, 0.95)),
        facetedRequestsPerSecond: faceted.requestsPerSecond,
        facetedP50Ms: faceted.p50Ms,
        facetedP99Ms: faceted.p99Ms,
        dcatTurtleMs: ttl.ms,
        dcatTurtleBytes: ttl.bytes,
        dcatTurtleUnchangedMs: ttlAgain.ms,
        dcatRdfXmlMs: rdf.ms,
        dcatJsonLdMs: jsonld.ms,
        dcatOneMunicipalityTurtleMs: one.ms,
        baselineInsertsPerSecond: env.baseline?.insertsPerSecond ?? NaN,
        baselineInsertP99Ms: env.baseline?.p99Ms ?? NaN,
      },
      targets: [
        { metric: 'searchP95Ms', op: '<', value: 100 },
        { metric: 'plainP95Ms', op: '<', value: 100 },
        { metric: 'fieldQueryP95Ms', op: '<', value: 100 },
        { metric: 'rangeP95Ms', op: '<', value: 100 },
      ],
      notes: [
        `package_search: 4 clients, mixed queries (text, prefix, organization, tags+format, facets, paging); faceted throughput with 8 connections`,
        `plain: one word in q; field: title:, tags: AND res_format:, notes: with -license_id:, a title phrase OR a name wildcard; range: metadata_modified [X TO *] (ckanext-harvest's, rows 100, sort id asc), [* TO Y] with an organization, metadata_created [X TO NOW-1DAY] with words`,
      ],
    };
  },
};
