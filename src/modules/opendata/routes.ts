import multipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import type { DatasetProvider } from '../../platform/openData';
import { readMultipart } from '../../platform/files/files';
import { invalid } from '../../platform/http/problems';
import { RDF_MEDIA_TYPES, parseTurtle, rdfFormatFor, type RdfFormat } from '../../platform/rdf';
import { PlaceCode } from '../places';
import * as S from './schemas';
import { createDataset } from './createDataset';
import { getDataset } from './getDataset';
import { listDatasets } from './listDatasets';
import { updateDataset } from './updateDataset';
import { deleteDataset } from './deleteDataset';
import { MAX_FILE_BYTES, addFileDistribution, addLinkDistribution, removeDistribution } from './addDistribution';
import { submitForReview } from './submitForReview';
import { publishDataset } from './publishDataset';
import { returnToDraft } from './returnToDraft';
import { withdrawDataset } from './withdrawDataset';
import { getCatalogue, updateCatalogue } from './catalogue';
import { FACET_FIELDS, organizationTitles, organizations, searchPublished } from './search';
import { downloadFile, previewDistribution, publicDataset, publicVersion, withDownloadUrls } from './publicDataset';
import { dataPackage } from './datapackage';
import { datasetRdf, exportDcat, exportDcatPage, validateDcat } from './dcat';
import { pageUrlOf, parseModifiedSince, rdfWanted } from './harvesting';
import {
  createInfoSystem,
  deleteInfoSystem,
  getInfoSystem,
  listInfoSystems,
  rihaExport,
  updateInfoSystem,
} from './infoSystems';
import { assignGovernanceRole, listGovernanceRoles, removeGovernanceRole } from './governanceRoles';
import { governanceDashboard } from './dashboard';
import { publicationLog } from './publicationLog';
import { runAutoPublicationNow } from './runNow';
import { canRead } from './policy';
import { ACCESS_RIGHTS, FORMATS, FREQUENCIES, LICENCES, THEMES } from './vocab';
import { DATASET_ORIGINS, DATASET_STATES } from './store';

const SESSION = [{ session: [] }];
const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ pattern: '^[a-z0-9_-]{2,100}$', description: 'CKAN name of the dataset' });
const Tenant = Type.Object({ code: PlaceCode });
const DatasetP = Type.Object({ code: PlaceCode, id: Uuid });
const RdfExt = Type.Union([Type.Literal('ttl'), Type.Literal('jsonld'), Type.Literal('rdf'), Type.Literal('nt')], {
  description: 'ttl (Turtle), jsonld (JSON-LD), rdf (RDF/XML), nt (N-Triples)',
});

function sendRdf(reply: FastifyReply, format: RdfFormat, body: string) {
  return reply
    .type(`${RDF_MEDIA_TYPES[format]}; charset=utf-8`)
    .header('access-control-allow-origin', '*')
    .header('cache-control', 'public, max-age=60')
    .send(body);
}

export async function opendataRoutes(app: Api, ctx: AppContext, providers: () => DatasetProvider[]) {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1 } });

  // ---------- public: the catalogue as anyone reads it
  app.get(
    '/opendata/vocabularies',
    {
      schema: {
        summary: 'Themes, licences, update frequencies, access rights and file formats the catalogue uses',
        response: { 200: S.VocabulariesSchema },
      },
    },
    async () => ({
      themes: THEMES,
      licences: LICENCES,
      frequencies: FREQUENCIES,
      accessRights: [...ACCESS_RIGHTS],
      formats: FORMATS.map((f) => ({ format: f.format, ext: f.ext, mediaType: f.mediaType })),
      maxFileBytes: MAX_FILE_BYTES,
    }),
  );
  app.get(
    '/opendata/search',
    {
      schema: {
        summary:
          'Search published datasets of every municipality (text, filters, facets); the CKAN API offers the same at /api/3/action/package_search',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 500 })),
          organization: Type.Optional(Type.String({ maxLength: 100 })),
          theme: Type.Optional(Type.String({ maxLength: 10 })),
          format: Type.Optional(Type.String({ maxLength: 20 })),
          licence: Type.Optional(Type.String({ maxLength: 40 })),
          tag: Type.Optional(Type.String({ maxLength: 60 })),
          spatial: Type.Optional(PlaceCode),
          origin: Type.Optional(Type.Union([Type.Literal('manual'), Type.Literal('auto')])),
          rows: Type.Integer({ minimum: 0, maximum: 100, default: 20 }),
          start: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
          sort: Type.Optional(Type.String({ maxLength: 60 })),
        }),
        response: { 200: S.SearchSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const quote = (v: string) => `"${v.replace(/"/g, '\\"')}"`;
      const fq = [
        q.organization && `organization:${quote(q.organization)}`,
        q.theme && `groups:${quote(q.theme)}`,
        q.format && `res_format:${quote(q.format)}`,
        q.licence && `license_id:${quote(q.licence)}`,
        q.tag && `tags:${quote(q.tag)}`,
        q.spatial && `spatial:${quote(q.spatial)}`,
        q.origin && `origin:${q.origin}`,
      ]
        .filter(Boolean)
        .join(' ');
      const r = await searchPublished(ctx, {
        q: q.q,
        plainText: true,
        fq,
        rows: q.rows,
        start: q.start,
        sort: q.sort,
        facetFields: [...FACET_FIELDS],
        facetLimit: 30,
      });
      const orgs = await organizationTitles(ctx);
      return {
        count: r.count,
        results: r.results.map((s) => withDownloadUrls(s, ctx.config.publicUrl)),
        facets: r.facets,
        organizations: Object.fromEntries([...orgs].filter(([n]) => r.facets.organization?.some((f) => f.name === n))),
      };
    },
  );
  app.get(
    '/opendata/catalogues',
    {
      schema: {
        summary: 'Every catalogue (municipalities and ELVL) with its number of published datasets',
        response: { 200: Type.Array(S.OrganizationSchema) },
      },
    },
    async () => organizations(ctx),
  );
  app.get(
    '/opendata/catalogues/:code',
    {
      schema: {
        summary:
          'A catalogue: titles, publisher, contact (the IRI of the dcat:Catalog; with Accept: text/turtle, application/ld+json, application/rdf+xml or application/n-triples, its DCAT-AP export)',
        params: Tenant,
        response: { 200: S.CatalogueView },
        produces: ['application/json', ...Object.values(RDF_MEDIA_TYPES)],
      },
    },
    async (request, reply) => {
      const rdf = rdfWanted(request.headers.accept);
      const catalogue = await getCatalogue(ctx, request.params.code);
      reply.header('vary', 'accept');
      if (!rdf) return catalogue;
      return sendRdf(reply, rdf, await exportDcat(ctx, request.params.code, rdf));
    },
  );
  // ckanext-dcat's catalogue endpoint: the whole export, or with ?page= and/or modified_since=
  // pages of 100 datasets (newest change first) with hydra:PagedCollection paging.
  const DcatPaging = Type.Object({
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'page of 100 datasets, from 1' })),
    modified_since: Type.Optional(
      Type.String({ maxLength: 40, description: 'only datasets modified since (ISO 8601; UTC without a zone)' }),
    ),
  });
  const dcatExport = async (
    code: string | '*',
    ext: string,
    query: { page?: number; modified_since?: string },
    path: string,
    reply: FastifyReply,
  ) => {
    const format = rdfFormatFor(ext, undefined);
    const modifiedSince = parseModifiedSince(query.modified_since);
    if (query.page === undefined && modifiedSince === null)
      return sendRdf(reply, format, await exportDcat(ctx, code, format));
    const body = await exportDcatPage(ctx, code, format, {
      page: query.page ?? 1,
      modifiedSince,
      pageUrl: pageUrlOf(ctx.config.publicUrl, path, query),
    });
    return sendRdf(reply, format, body);
  };
  app.get(
    '/opendata/catalogues/:code/dcat.:ext',
    {
      schema: {
        summary:
          "A municipality's catalogue as DCAT-AP 3.0.1 (Turtle, JSON-LD, RDF/XML or N-Triples); paged with ?page= and modified_since= as ckanext-dcat",
        params: Type.Object({ code: PlaceCode, ext: RdfExt }),
        querystring: DcatPaging,
        produces: Object.values(RDF_MEDIA_TYPES),
      },
    },
    async (request, reply) => {
      await getCatalogue(ctx, request.params.code);
      const path = `/api/v1/opendata/catalogues/${request.params.code}/dcat.${request.params.ext}`;
      return dcatExport(request.params.code, request.params.ext, request.query, path, reply);
    },
  );
  app.get(
    '/opendata/dcat.:ext',
    {
      schema: {
        summary:
          'Every catalogue of the platform as DCAT-AP 3.0.1; paged with ?page= and modified_since= as ckanext-dcat',
        params: Type.Object({ ext: RdfExt }),
        querystring: DcatPaging,
        produces: Object.values(RDF_MEDIA_TYPES),
      },
    },
    (request, reply) =>
      dcatExport('*', request.params.ext, request.query, `/api/v1/opendata/dcat.${request.params.ext}`, reply),
  );
  app.get(
    '/opendata/datasets/:name',
    {
      schema: {
        summary:
          'A published dataset (its current version) and the list of its versions; the dataset URI of the DCAT-AP export, so with Accept: text/turtle, application/ld+json, application/rdf+xml or application/n-triples it answers the dataset as DCAT-AP',
        params: Type.Object({ name: Name }),
        response: { 200: S.PublicDatasetSchema },
        produces: ['application/json', ...Object.values(RDF_MEDIA_TYPES)],
      },
    },
    async (request, reply) => {
      const rdf = rdfWanted(request.headers.accept);
      const found = await publicDataset(ctx, request.params.name);
      reply.header('vary', 'accept');
      if (!rdf) return found;
      return sendRdf(reply, rdf, await datasetRdf(ctx, found.dataset, rdf));
    },
  );
  app.get(
    '/opendata/datasets/:name/versions/:version',
    {
      schema: {
        summary: 'One published version of a dataset, as it was published',
        params: Type.Object({ name: Name, version: Type.Integer({ minimum: 1 }) }),
        response: { 200: S.SnapshotSchema },
      },
    },
    async (request) =>
      withDownloadUrls(await publicVersion(ctx, request.params.name, request.params.version), ctx.config.publicUrl),
  );
  app.get(
    '/opendata/datasets/:name/versions/:version/files/:distributionId',
    {
      schema: {
        summary: 'Download a file of a published version (content never changes: the SHA-256 is in the metadata)',
        params: Type.Object({ name: Name, version: Type.Integer({ minimum: 1 }), distributionId: Uuid }),
      },
    },
    async (request, reply) => {
      const f = await downloadFile(ctx, request.params.name, request.params.version, request.params.distributionId);
      const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
      return reply
        .type(f.mediaType.startsWith('text/') ? `${f.mediaType}; charset=utf-8` : f.mediaType)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .header('etag', `"${f.sha256}"`)
        .header('x-content-sha256', f.sha256)
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(f.content);
    },
  );
  app.get(
    '/opendata/datasets/:name/distributions/:distributionId/preview',
    {
      schema: {
        summary: 'The header and first rows of a CSV file of the current version',
        params: Type.Object({ name: Name, distributionId: Uuid }),
        querystring: Type.Object({ rows: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
        response: { 200: S.CsvPreviewSchema },
      },
    },
    (request) => previewDistribution(ctx, request.params.name, request.params.distributionId, request.query.rows),
  );
  app.get(
    '/opendata/datasets/:name/datapackage.json',
    {
      schema: {
        summary: 'The Frictionless Data Package (v2) descriptor of the current version',
        params: Type.Object({ name: Name }),
        response: {
          200: S.StandardDocument(
            'A Frictionless Data Package descriptor (https://datapackage.org); valid against the v1 profile, tested',
          ),
        },
      },
    },
    async (request, reply) => {
      const { dataset } = await publicDataset(ctx, request.params.name);
      return reply.header('access-control-allow-origin', '*').send(dataPackage(dataset, ctx.config.publicUrl));
    },
  );

  // ---------- officials: datasets
  app.get(
    '/municipalities/:code/opendata/datasets',
    {
      schema: {
        security: SESSION,
        summary: 'Every dataset of the municipality in any state (editors, admins, analysts)',
        params: Tenant,
        querystring: Type.Object({
          state: Type.Optional(Type.Union(DATASET_STATES.map((s) => Type.Literal(s)))),
          origin: Type.Optional(Type.Union(DATASET_ORIGINS.map((o) => Type.Literal(o)))),
        }),
        response: { 200: Type.Array(S.DatasetSummary) },
      },
    },
    (request) => listDatasets(ctx, request.actor, request.params.code, request.query),
  );
  app.post(
    '/municipalities/:code/opendata/datasets',
    {
      schema: {
        security: SESSION,
        summary: 'Start a dataset as a draft (editors); audited',
        params: Tenant,
        body: S.DatasetCreate,
        response: { 200: S.DatasetView },
      },
    },
    (request) => createDataset(ctx, request.actor, request.params.code, request.body as S.DatasetCreate),
  );
  app.get(
    '/municipalities/:code/opendata/datasets/:id',
    {
      schema: {
        security: SESSION,
        summary: 'The working copy of a dataset, its versions and what is still missing',
        params: DatasetP,
        response: { 200: S.DatasetView },
      },
    },
    (request) => getDataset(ctx, request.actor, request.params.code, request.params.id),
  );
  app.patch(
    '/municipalities/:code/opendata/datasets/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Change fields of the working copy (back to draft); audited',
        params: DatasetP,
        body: S.DatasetUpdate,
        response: { 200: S.DatasetView },
      },
    },
    (request) => updateDataset(ctx, request.actor, request.params.code, request.params.id, request.body),
  );
  app.delete(
    '/municipalities/:code/opendata/datasets/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Delete a draft that was never published; audited',
        params: DatasetP,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deleteDataset(ctx, request.actor, request.params.code, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/files',
    {
      schema: {
        security: SESSION,
        summary: `Upload a file (multipart/form-data: file, titleEt, titleEn; at most ${MAX_FILE_BYTES / 1024 / 1024} MB). CSV files are checked first: not UTF-8, no header or ragged rows → 422 with a report, nothing stored`,
        params: DatasetP,
        consumes: ['multipart/form-data'],
        response: { 200: S.DatasetView },
      },
    },
    async (request) => {
      const form = await readMultipart(request, { maxFileBytes: MAX_FILE_BYTES, maxFiles: 1 });
      const file = form.files[0];
      if (!file) throw invalid([{ pointer: '/body/file', detail: 'Choose a file to upload.' }]);
      return addFileDistribution(ctx, request.actor, request.params.code, request.params.id, {
        filename: file.filename,
        content: file.content,
        titleEt: form.fields.titleEt,
        titleEn: form.fields.titleEn,
      });
    },
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/links',
    {
      schema: {
        security: SESSION,
        summary: 'Add a link to data kept elsewhere (an API, another portal); audited',
        params: DatasetP,
        body: S.LinkInput,
        response: { 200: S.DatasetView },
      },
    },
    (request) => addLinkDistribution(ctx, request.actor, request.params.code, request.params.id, request.body),
  );
  app.delete(
    '/municipalities/:code/opendata/datasets/:id/distributions/:distributionId',
    {
      schema: {
        security: SESSION,
        summary: 'Remove a file or link from the working copy (published versions keep theirs); audited',
        params: Type.Object({ code: PlaceCode, id: Uuid, distributionId: Uuid }),
        response: { 200: S.DatasetView },
      },
    },
    (request) =>
      removeDistribution(ctx, request.actor, request.params.code, request.params.id, request.params.distributionId),
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/submit',
    {
      schema: {
        security: SESSION,
        summary: 'Send a complete draft for review (editors); audited',
        params: DatasetP,
        response: { 200: S.DatasetView },
      },
    },
    (request) => submitForReview(ctx, request.actor, request.params.code, request.params.id),
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/publish',
    {
      schema: {
        security: SESSION,
        summary: 'Publish a reviewed dataset as a new version (admins, head of data governance, data owners); audited',
        params: DatasetP,
        response: { 200: S.DatasetView },
      },
    },
    (request) => publishDataset(ctx, request.actor, request.params.code, request.params.id),
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/return',
    {
      schema: {
        security: SESSION,
        summary: 'Send a dataset in review back to draft with a note; audited',
        params: DatasetP,
        body: S.ReviewInput,
        response: { 200: S.DatasetView },
      },
    },
    (request) => returnToDraft(ctx, request.actor, request.params.code, request.params.id, request.body.note),
  );
  app.post(
    '/municipalities/:code/opendata/datasets/:id/withdraw',
    {
      schema: {
        security: SESSION,
        summary: 'Take a dataset out of the public catalogue (its versions are kept); audited',
        params: DatasetP,
        response: { 200: S.DatasetView },
      },
    },
    (request) => withdrawDataset(ctx, request.actor, request.params.code, request.params.id),
  );

  // ---------- officials: catalogue settings
  app.get(
    '/municipalities/:code/opendata/catalogue',
    {
      schema: {
        security: SESSION,
        summary: 'Catalogue settings (officials; the public read them at /opendata/catalogues/{code})',
        params: Tenant,
        response: { 200: S.CatalogueView },
      },
    },
    (request) => {
      canRead(request.actor, request.params.code);
      return getCatalogue(ctx, request.params.code);
    },
  );
  app.put(
    '/municipalities/:code/opendata/catalogue',
    {
      schema: {
        security: SESSION,
        summary: 'Change the catalogue settings (admins); audited',
        params: Tenant,
        body: S.CatalogueInput,
        response: { 200: S.CatalogueView },
      },
    },
    (request) => updateCatalogue(ctx, request.actor, request.params.code, request.body),
  );

  // ---------- data governance
  app.get(
    '/municipalities/:code/opendata/systems',
    {
      schema: {
        security: SESSION,
        summary: 'The inventory of information systems',
        params: Tenant,
        response: { 200: Type.Array(S.InfoSystemView) },
      },
    },
    (request) => listInfoSystems(ctx, request.actor, request.params.code),
  );
  app.post(
    '/municipalities/:code/opendata/systems',
    {
      schema: {
        security: SESSION,
        summary: 'Add an information system (editors); audited',
        params: Tenant,
        body: S.InfoSystemInput,
        response: { 200: S.InfoSystemView },
      },
    },
    (request) => createInfoSystem(ctx, request.actor, request.params.code, request.body as S.InfoSystemInput),
  );
  app.get(
    '/municipalities/:code/opendata/systems/:id',
    {
      schema: {
        security: SESSION,
        summary: 'An information system and its datasets',
        params: DatasetP,
        response: { 200: S.InfoSystemView },
      },
    },
    (request) => getInfoSystem(ctx, request.actor, request.params.code, request.params.id),
  );
  app.put(
    '/municipalities/:code/opendata/systems/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Replace an information system record (editors); audited',
        params: DatasetP,
        body: S.InfoSystemInput,
        response: { 200: S.InfoSystemView },
      },
    },
    (request) =>
      updateInfoSystem(ctx, request.actor, request.params.code, request.params.id, request.body as S.InfoSystemInput),
  );
  app.delete(
    '/municipalities/:code/opendata/systems/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Remove an information system (editors); audited',
        params: DatasetP,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deleteInfoSystem(ctx, request.actor, request.params.code, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/municipalities/:code/opendata/systems/:id/riha.json',
    {
      schema: {
        security: SESSION,
        summary: "The entry in RIHA's JSON shape",
        params: DatasetP,
        response: { 200: S.StandardDocument("The information system's entry in RIHA's JSON shape") },
      },
    },
    async (request, reply) => {
      const body = await rihaExport(ctx, request.actor, request.params.code, request.params.id);
      return reply
        .header(
          'content-disposition',
          `attachment; filename="riha-${body.short_name.replace(/[^A-Za-z0-9.-]/g, '_')}.json"`,
        )
        .send(body);
    },
  );
  app.get(
    '/municipalities/:code/opendata/roles',
    {
      schema: {
        security: SESSION,
        summary: 'Data governance roles (head of data governance, data owners, data stewards)',
        params: Tenant,
        response: { 200: Type.Array(S.GovernanceRoleView) },
      },
    },
    (request) => listGovernanceRoles(ctx, request.actor, request.params.code),
  );
  app.post(
    '/municipalities/:code/opendata/roles',
    {
      schema: {
        security: SESSION,
        summary: 'Assign a data governance role (admins); audited',
        params: Tenant,
        body: S.GovernanceRoleInput,
        response: { 200: Type.Object({ personId: Type.String(), role: Type.String(), created: Type.Boolean() }) },
      },
    },
    (request) => assignGovernanceRole(ctx, request.actor, request.params.code, request.body),
  );
  app.delete(
    '/municipalities/:code/opendata/roles/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Remove a data governance role (admins); audited',
        params: DatasetP,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await removeGovernanceRole(ctx, request.actor, request.params.code, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/municipalities/:code/opendata/dashboard',
    {
      schema: {
        security: SESSION,
        summary: 'Data governance dashboard: systems not in RIHA, datasets agreed vs published',
        params: Tenant,
        response: { 200: S.GovernanceDashboardSchema },
      },
    },
    (request) => governanceDashboard(ctx, request.actor, request.params.code),
  );
  app.get(
    '/municipalities/:code/opendata/dcat-validation',
    {
      schema: {
        security: SESSION,
        summary:
          "The municipality's DCAT-AP export checked against the official DCAT-AP 3.0.1 SHACL shapes (officials)",
        params: Tenant,
        response: { 200: S.DcatValidationSchema },
      },
    },
    async (request) => {
      canRead(request.actor, request.params.code);
      const report = await validateDcat(parseTurtle(await exportDcat(ctx, request.params.code, 'turtle')));
      return {
        conforms: report.conforms,
        violations: report.results.length,
        results: report.results.slice(0, 100),
        text: report.text,
      };
    },
  );
  app.get(
    '/municipalities/:code/opendata/runs',
    {
      schema: {
        security: SESSION,
        summary: 'The log of automatic publication: each run, what changed, what failed',
        params: Tenant,
        response: { 200: Type.Array(S.RunView) },
      },
    },
    (request) => publicationLog(ctx, request.actor, request.params.code),
  );
  app.post(
    '/municipalities/:code/opendata/runs',
    {
      schema: {
        security: SESSION,
        summary: 'Run automatic publication now for this municipality (admins); the runs appear in the log',
        params: Tenant,
        response: { 200: Type.Array(S.RunView) },
      },
    },
    async (request) => {
      await runAutoPublicationNow(ctx, request.actor, request.params.code, providers());
      return publicationLog(ctx, request.actor, request.params.code, 20);
    },
  );
}
