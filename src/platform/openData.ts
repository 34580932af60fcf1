import type { AppContext } from './context';
import type { Trx } from './db/database';

/**
 * The extension point through which a module publishes its own data as open datasets
 * (`KovModule.openData`). The open data module runs every provider on a schedule (job
 * `opendata.publish-auto`, and on demand), once per municipality, checks the output against the
 * anonymisation contract below, writes CSV files, and publishes a new dataset version when the
 * content changed. Every run is logged (what changed, what failed).
 *
 * ## Anonymisation contract (checked by the publisher; a dataset that breaks it is refused)
 * - **Groups**: a column of kind `groupSize` holds the number of people a row describes (voters
 *   of a settlement unit, reporters of a category). Every value must be ≥ `minGroupSize`
 *   (default 5). Providers merge or drop small groups first (`mergeSmallGroups`).
 * - **No personal ID codes**: no cell may contain an 11-digit personal ID code.
 * - **No residents' names**: no text cell may contain the full name of a person in the register.
 *   Names of people acting in a public office (council members voting in the open) go only in
 *   columns of kind `officialName`, which this check skips.
 * - **Locations rounded**: columns of kind `latitude` / `longitude` carry at most 3 decimals
 *   (about 100 m); use `roundCoordinate`.
 * - **Photo-free**: no image file names, image URLs, data URIs or links to stored files.
 * - **Free text**: avoid it; where needed (a report's category, an idea's title written by
 *   its author for publication) use kind `text`; it is scanned like everything else.
 */
export type OpenDataText = { et: string; en: string };

export type OpenDataColumnType = 'string' | 'integer' | 'number' | 'date' | 'datetime' | 'boolean';
export type OpenDataColumnKind =
  'dimension' | 'measure' | 'groupSize' | 'latitude' | 'longitude' | 'officialName' | 'text';

export interface OpenDataColumn {
  /** CSV header: lowercase letters, digits and `_`. */
  name: string;
  title: OpenDataText;
  type: OpenDataColumnType;
  /** Decides which checks apply (default `dimension`). */
  kind?: OpenDataColumnKind;
}

export type OpenDataCell = string | number | boolean | null;

export interface OpenDataTable {
  /** File name without extension: lowercase letters, digits and `-` (`vote-results`). */
  name: string;
  title: OpenDataText;
  columns: OpenDataColumn[];
  rows: Record<string, OpenDataCell>[];
}

/** EU data themes (http://publications.europa.eu/resource/authority/data-theme). */
export type DataTheme =
  'AGRI' | 'ECON' | 'EDUC' | 'ENER' | 'ENVI' | 'GOVE' | 'HEAL' | 'INTR' | 'JUST' | 'REGI' | 'SOCI' | 'TECH' | 'TRAN';
/** EU frequencies (http://publications.europa.eu/resource/authority/frequency). */
export type Frequency =
  'DAILY' | 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' | 'ANNUAL' | 'IRREG' | 'CONT' | 'NEVER' | 'UNKNOWN';

export interface ProvidedDataset {
  /** Stable within the provider and municipality (a vote's id, `all`): one dataset per key, new versions as it changes. */
  key: string;
  title: OpenDataText;
  description: OpenDataText;
  keywords?: { et?: string[]; en?: string[] };
  themes: DataTheme[];
  /** EHAK codes the data covers (default: the municipality). */
  spatial?: string[];
  temporal?: { start?: string; end?: string };
  frequency: Frequency;
  tables: OpenDataTable[];
  /**
   * Other files in a text format of their own (e.g. Pabulib `.pb` for participatory budgets).
   * They are scanned like table cells (ID codes, names, images); keep them free of personal data.
   */
  files?: OpenDataFile[];
}

export interface OpenDataFile {
  /** File name with extension: lowercase letters, digits, `-` and `.` (`budget-2025.pb`). */
  name: string;
  title: OpenDataText;
  /** CSV, JSON, TXT, XML… (the catalogue's format names). */
  format: string;
  mediaType: string;
  content: string;
}

export interface DatasetProvider {
  /** `<module>.<what>`, e.g. `participation.vote-results`. */
  key: string;
  title: OpenDataText;
  anonymisation: {
    /** Smallest number of people a row may describe (default 5). */
    minGroupSize?: number;
    /** The rule in words, shown with the dataset (et and en). */
    rule: OpenDataText;
  };
  /** Municipalities to run for (default: every municipality and ELVL). Runs platform-wide (tenant '*'), read-only. */
  municipalities?(trx: Trx, ctx: AppContext): Promise<string[]>;
  /** The datasets of one municipality, read inside that municipality's scope. Read only; never write here. */
  collect(trx: Trx, municipalityCode: string, ctx: AppContext): Promise<ProvidedDataset[]>;
}

export const DEFAULT_MIN_GROUP_SIZE = 5;

/**
 * Rows whose group is below `min` are merged into one row (dimension columns set to `label`,
 * numeric columns summed); if even the merged row is below `min`, it is dropped.
 */
export function mergeSmallGroups(
  rows: Record<string, OpenDataCell>[],
  groupColumn: string,
  min: number,
  label: Record<string, OpenDataCell>,
): Record<string, OpenDataCell>[] {
  const big = rows.filter((r) => Number(r[groupColumn] ?? 0) >= min);
  const small = rows.filter((r) => Number(r[groupColumn] ?? 0) < min);
  if (small.length === 0) return big;
  const merged: Record<string, OpenDataCell> = { ...label };
  for (const r of small) {
    for (const [k, v] of Object.entries(r)) {
      if (k in label) continue;
      if (typeof v === 'number') merged[k] = Number(merged[k] ?? 0) + v;
      else if (!(k in merged)) merged[k] = null;
    }
  }
  return Number(merged[groupColumn] ?? 0) >= min ? [...big, merged] : big;
}

/** A coordinate rounded to 3 decimals (about 100 m), as the contract requires. */
export function roundCoordinate(x: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
