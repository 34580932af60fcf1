import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { storeFile } from '../../platform/files/files';
import type { DatasetProvider, OpenDataTable, ProvidedDataset } from '../../platform/openData';
import { DEFAULT_MIN_GROUP_SIZE } from '../../platform/openData';
import { checkAnonymisation, describeProblems } from './anonymisation';
import { catalogueOf } from './catalogue';
import { toCsv, type CsvInfo } from './csv';
import { freeName } from './createDataset';
import { publishVersion } from './publishing';
import { type RunChange } from './store';
import { formatInfo } from './vocab';
import type { DatasetSnapshot } from './snapshot';

/**
 * Automatic publication: runs dataset providers (the `openData` of every module's manifest) per
 * municipality, checks each dataset against the anonymisation contract, writes its tables as CSV,
 * and publishes a new version only when a file or the metadata changed. Each provider ×
 * municipality run is logged in opendata_publication_run with what changed or why it failed.
 */
export type Trigger = 'schedule' | 'manual' | 'event' | 'seed';

export interface RunOptions {
  trigger: Trigger;
  /** Only these municipalities (default: what each provider names, or every tenant). */
  municipalities?: string[];
  /** Only these providers (by key). */
  providerKeys?: string[];
}

export interface RunSummary {
  providerKey: string;
  municipalityCode: string;
  status: 'published' | 'unchanged' | 'failed' | 'partial';
  changes: RunChange[];
  error: string | null;
}

interface RenderedFile {
  key: string;
  filename: string;
  title: { et: string; en: string };
  format: string;
  mediaType: string;
  content: Buffer;
  sha256: string;
  csv: CsvInfo | null;
}

function render(ds: ProvidedDataset): RenderedFile[] {
  const files: RenderedFile[] = ds.tables.map((t: OpenDataTable) => {
    const header = t.columns.map((c) => c.name);
    const content = Buffer.from(
      toCsv(
        header,
        t.rows.map((r) => header.map((h) => r[h] ?? null)),
      ),
      'utf8',
    );
    const csv: CsvInfo = {
      encoding: 'utf-8',
      delimiter: ',',
      decimalChar: '.',
      header,
      rowCount: t.rows.length,
      fields: t.columns.map((c) => ({
        name: c.name,
        type: c.type === 'datetime' ? 'datetime' : c.type,
        kind: c.kind ?? 'dimension',
        title: c.title.et,
      })),
    };
    return {
      key: `table:${t.name}`,
      filename: `${t.name}.csv`,
      title: t.title,
      format: 'CSV',
      mediaType: 'text/csv',
      content,
      sha256: sha(content),
      csv,
    };
  });
  for (const f of ds.files ?? []) {
    const content = Buffer.from(f.content, 'utf8');
    files.push({
      key: `file:${f.name}`,
      filename: f.name,
      title: f.title,
      format: formatInfo(f.format)?.format ?? f.format.toUpperCase(),
      mediaType: f.mediaType,
      content,
      sha256: sha(content),
      csv: null,
    });
  }
  return files;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function metadataOf(provider: DatasetProvider, ds: ProvidedDataset, code: string) {
  return {
    title_et: ds.title.et,
    title_en: ds.title.en,
    description_et: ds.description.et,
    description_en: ds.description.en,
    keywords_et: ds.keywords?.et ?? [],
    keywords_en: ds.keywords?.en ?? [],
    themes: ds.themes,
    spatial: ds.spatial ?? (code === '0000' ? [] : [code]),
    temporal_start: ds.temporal?.start ?? null,
    temporal_end: ds.temporal?.end ?? null,
    frequency: ds.frequency,
    anonymisation_et: `${provider.anonymisation.rule.et} Väikseim rühm: ${provider.anonymisation.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE}.`,
    anonymisation_en: `${provider.anonymisation.rule.en} Smallest group: ${provider.anonymisation.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE}.`,
  };
}

function sameMetadata(prev: DatasetSnapshot, m: ReturnType<typeof metadataOf>): boolean {
  // Snapshots come back from jsonb, which orders object keys its own way: compare field by field.
  const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (
    prev.title.et === m.title_et &&
    prev.title.en === m.title_en &&
    prev.description.et === m.description_et &&
    prev.description.en === m.description_en &&
    eq(prev.keywords.et, m.keywords_et) &&
    eq(prev.keywords.en, m.keywords_en) &&
    eq(prev.themes, m.themes) &&
    eq(
      prev.spatial.map((p) => p.code),
      m.spatial,
    ) &&
    (prev.temporal?.start ?? null) === m.temporal_start &&
    (prev.temporal?.end ?? null) === m.temporal_end &&
    prev.frequency === m.frequency &&
    prev.anonymisation?.et === m.anonymisation_et &&
    prev.anonymisation?.en === m.anonymisation_en
  );
}

/** Publishes one provided dataset if it changed. Runs inside the municipality's scope. */
async function publishProvided(
  trx: Trx,
  ctx: AppContext,
  provider: DatasetProvider,
  code: string,
  ds: ProvidedDataset,
  files: RenderedFile[],
): Promise<RunChange> {
  const db = trx;
  const now = ctx.now();
  const meta = metadataOf(provider, ds, code);
  let d = await db
    .selectFrom('opendata_dataset')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('origin', '=', 'auto')
    .where('provider_key', '=', provider.key)
    .where('source_key', '=', ds.key)
    .executeTakeFirst();
  let prev: DatasetSnapshot | null = null;
  if (d?.current_version) {
    const v = await db
      .selectFrom('opendata_dataset_version')
      .select('snapshot')
      .where('municipality_code', '=', code)
      .where('dataset_id', '=', d.id)
      .where('version', '=', d.current_version)
      .executeTakeFirst();
    prev = (v?.snapshot as DatasetSnapshot | undefined) ?? null;
  }
  const prevFiles = new Map((prev?.distributions ?? []).map((x) => [x.filename ?? '', x]));
  const rowsBefore = prev ? prev.distributions.reduce((n, x) => n + (x.csv?.rowCount ?? 0), 0) : undefined;
  const rowsAfter = files.reduce((n, f) => n + (f.csv?.rowCount ?? 0), 0);
  const fileChanges = files.map((f) => ({
    name: f.filename,
    before: prevFiles.get(f.filename)?.sha256 ?? null,
    after: f.sha256,
  }));
  const unchangedFiles =
    prev !== null && files.length === prev.distributions.length && fileChanges.every((c) => c.before === c.after);
  if (d && prev && unchangedFiles && sameMetadata(prev, meta) && d.state === 'published') {
    return {
      key: ds.key,
      datasetId: d.id,
      name: d.name,
      change: 'unchanged',
      version: prev.version,
      rowsBefore: rowsBefore!,
      rowsAfter,
    };
  }
  if (!d) {
    const catalogue = await catalogueOf(trx, code);
    const name = await freeName(trx, code, catalogue.organization.name, ds.title.et);
    d = await db
      .insertInto('opendata_dataset')
      .values({
        municipality_code: code,
        name,
        origin: 'auto',
        provider_key: provider.key,
        source_key: ds.key,
        license_id: 'CC-BY-4.0',
        access_rights: 'PUBLIC',
        contact_name: null,
        contact_email: null,
        quality_note: null,
        info_system_id: null,
        agreed_on: now.toISOString().slice(0, 10),
        current_version: null,
        change_note: null,
        submitted_at: null,
        submitted_by: null,
        created_by: null,
        ...meta,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    d = await db
      .updateTable('opendata_dataset')
      .set({ ...meta, updated_at: now })
      .where('municipality_code', '=', code)
      .where('id', '=', d.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  // Distributions: keep the row and file of a table whose content did not change; replace the rest.
  const existing = await db
    .selectFrom('opendata_distribution')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('dataset_id', '=', d.id)
    .execute();
  const keep = new Set<string>();
  for (const [i, f] of files.entries()) {
    const same = existing.find((x) => x.sha256 === f.sha256 && prevFiles.get(f.filename)?.id === x.id);
    if (same) {
      keep.add(same.id);
      await db
        .updateTable('opendata_distribution')
        .set({ position: i, title_et: f.title.et, title_en: f.title.en, csv: f.csv ? JSON.stringify(f.csv) : null })
        .where('municipality_code', '=', code)
        .where('id', '=', same.id)
        .execute();
      continue;
    }
    const stored = await storeFile(trx, {
      municipalityCode: code,
      filename: f.filename,
      mediaType: f.mediaType,
      content: f.content,
      purpose: 'opendata.auto',
      uploadedBy: null,
    });
    const row = await db
      .insertInto('opendata_distribution')
      .values({
        municipality_code: code,
        dataset_id: d.id,
        position: i,
        title_et: f.title.et,
        title_en: f.title.en,
        file_id: stored.id,
        url: null,
        format: f.format,
        media_type: f.mediaType,
        byte_size: stored.sizeBytes,
        sha256: stored.sha256,
        csv: f.csv ? JSON.stringify(f.csv) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    keep.add(row.id);
  }
  const drop = existing.filter((x) => !keep.has(x.id)).map((x) => x.id);
  if (drop.length)
    await db
      .deleteFrom('opendata_distribution')
      .where('municipality_code', '=', code)
      .where('id', 'in', drop)
      .execute();
  const changed = fileChanges.filter((c) => c.before !== c.after).map((c) => c.name);
  await db
    .updateTable('opendata_dataset')
    .set({
      change_note: prev
        ? changed.length
          ? `Uuendatud failid: ${changed.join(', ')}`
          : 'Uuendatud kirjeldus'
        : 'Esimene versioon',
    })
    .where('municipality_code', '=', code)
    .where('id', '=', d.id)
    .execute();
  const fresh = await db
    .selectFrom('opendata_dataset')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('id', '=', d.id)
    .executeTakeFirstOrThrow();
  const snapshot = await publishVersion(trx, fresh, { publishedBy: null, at: now });
  await appendAudit(trx, {
    municipalityCode: code,
    actorId: null,
    action: 'opendata.dataset.published',
    subject: `dataset:${d.id}`,
    details: { name: d.name, version: snapshot.version, provider: provider.key },
  });
  return {
    key: ds.key,
    datasetId: d.id,
    name: d.name,
    change: prev ? 'updated' : 'new',
    version: snapshot.version,
    ...(rowsBefore !== undefined ? { rowsBefore } : {}),
    rowsAfter,
    files: fileChanges,
  };
}

async function allTenants(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('tenant').select('code').orderBy('code').execute();
  return rows.map((r) => r.code);
}

/** Runs one provider for one municipality and logs the run. */
export async function runProvider(
  ctx: AppContext,
  provider: DatasetProvider,
  code: string,
  trigger: Trigger,
): Promise<RunSummary | null> {
  const started = ctx.now();
  let datasets: ProvidedDataset[];
  const changes: RunChange[] = [];
  let error: string | null = null;
  try {
    datasets = await inScope(ctx.db, { tenant: code }, (trx) => provider.collect(trx, code, ctx));
  } catch (err) {
    datasets = [];
    error = `The provider failed: ${(err as Error).message}`;
  }
  if (!error && datasets.length === 0) return null;
  const keys = new Set<string>();
  for (const ds of datasets) {
    if (keys.has(ds.key)) {
      changes.push({ key: ds.key, change: 'failed', error: 'two datasets with the same key' });
      continue;
    }
    keys.add(ds.key);
    try {
      const change = await inScope(ctx.db, { tenant: code }, async (trx) => {
        const problems = await checkAnonymisation(trx, provider, ds);
        if (problems.length)
          return { key: ds.key, change: 'failed', error: describeProblems(problems) } satisfies RunChange;
        return publishProvided(trx, ctx, provider, code, ds, render(ds));
      });
      changes.push(change);
    } catch (err) {
      changes.push({ key: ds.key, change: 'failed', error: (err as Error).message });
    }
  }
  const count = (c: RunChange['change'][]) => changes.filter((x) => c.includes(x.change)).length;
  const published = count(['new', 'updated']);
  const failed = count(['failed']);
  const unchanged = count(['unchanged']);
  const status: RunSummary['status'] =
    error || (failed && !published && !unchanged)
      ? 'failed'
      : failed
        ? 'partial'
        : published
          ? 'published'
          : 'unchanged';
  await inScope(ctx.db, { tenant: code }, (trx) =>
    trx
      .insertInto('opendata_publication_run')
      .values({
        municipality_code: code,
        provider_key: provider.key,
        trigger,
        started_at: started,
        finished_at: ctx.now(),
        status,
        published,
        unchanged,
        failed,
        changes: JSON.stringify(changes),
        error,
      })
      .execute(),
  );
  if (failed || error)
    ctx.log.warn(
      { provider: provider.key, municipality: code, failed, error },
      'open data: automatic publication had failures',
    );
  return { providerKey: provider.key, municipalityCode: code, status, changes, error };
}

/** Runs the providers (all, or those named) for their municipalities. */
export async function runProviders(
  ctx: AppContext,
  providers: DatasetProvider[],
  opts: RunOptions,
): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const p of providers) {
    if (opts.providerKeys && !opts.providerKeys.includes(p.key)) continue;
    let codes: string[];
    try {
      codes =
        opts.municipalities ??
        (p.municipalities
          ? await inScope(ctx.db, { tenant: '*' }, (trx) => p.municipalities!(trx, ctx))
          : await allTenants(ctx));
    } catch (err) {
      ctx.log.error({ err, provider: p.key }, 'open data: provider could not list its municipalities');
      continue;
    }
    for (const code of codes) {
      const r = await runProvider(ctx, p, code, opts.trigger);
      if (r) out.push(r);
    }
  }
  return out;
}
