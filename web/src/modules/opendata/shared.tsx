import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';

export interface Texts {
  et: string;
  en: string;
}
export interface CsvInfo {
  delimiter: string;
  header: string[];
  rowCount: number;
  fields: { name: string; type: string; kind?: string; title?: string }[];
}
export interface Distribution {
  id: string;
  title: Texts;
  kind: 'file' | 'url';
  filename: string | null;
  url: string | null;
  format: string;
  mediaType: string;
  byteSize: number | null;
  sha256: string | null;
  csv: CsvInfo | null;
  downloadUrl?: string;
}
export interface Snapshot {
  id: string;
  name: string;
  municipalityCode: string;
  organization: { name: string; title: string };
  version: number;
  origin: string;
  title: Texts;
  description: Texts;
  keywords: { et: string[]; en: string[] };
  themes: string[];
  spatial: { code: string; name: string }[];
  temporal: { start: string | null; end: string | null } | null;
  frequency: string;
  licenseId: string;
  contact: { name: string | null; email: string } | null;
  qualityNote: string | null;
  anonymisation: Texts | null;
  issued: string;
  modified: string;
  changeNote: string | null;
  distributions: Distribution[];
}
export interface Vocabularies {
  themes: Record<string, Texts>;
  frequencies: Record<string, Texts>;
  licences: { id: string; title: string; url: string }[];
  formats: { format: string; ext: string[] }[];
  maxFileBytes: number;
}

let cached: Promise<Vocabularies> | undefined;
/** Themes, frequencies, licences and formats (loaded once). */
export function useVocabularies(): Vocabularies | undefined {
  const [v, setV] = useState<Vocabularies>();
  useEffect(() => {
    cached ??= api<Vocabularies>('/api/v1/opendata/vocabularies');
    cached.then(setV, () => (cached = undefined));
  }, []);
  return v;
}

/** Dataset texts exist in Estonian and English: English readers get English, others Estonian. */
export function usePick() {
  const { i18n } = useTranslation();
  return (t: Texts | undefined | null) => (t ? (i18n.language === 'en' ? t.en || t.et : t.et || t.en) : '');
}

export function formatBytes(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Problems of an API error in the official's language: by `code` where we know it, else the server's words. */
export function useProblemText() {
  const { t } = useTranslation('opendata');
  return (p: { code?: string; detail: string; line?: number; expected?: number; actual?: number }) => {
    if (!p.code) return p.detail;
    if (p.code === 'ragged' && p.line === undefined) return t('errors.raggedMore');
    return t(`errors.${p.code}`, {
      defaultValue: p.detail,
      line: p.line ?? '',
      expected: p.expected ?? '',
      actual: p.actual ?? '',
    });
  };
}

export function fieldProblems(err: unknown): { pointer: string; detail: string; code?: string }[] {
  return err instanceof ApiError ? (err.errors as { pointer: string; detail: string; code?: string }[]) : [];
}
