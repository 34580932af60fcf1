import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { ErrorNotice, Notice, Page, SelectField, TextField } from '../../components/ui';
import { COUNTINGS, countingOf, type Counting, type PbImportReport } from './api';
import { euros, useManager, useP } from './shared';

/**
 * The counting a Pabulib file's META `rule` names (the server decides the same way, see
 * `countingOfFile` in pabulibImport.ts): read from the start of the chosen file, to preselect it.
 */
async function fileRule(file: File): Promise<{ rule: string | null; counting: Counting }> {
  const head = await file.slice(0, 256 * 1024).text();
  let inMeta = false;
  for (const raw of head.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    const section = line.toUpperCase();
    if (section === 'META') inMeta = true;
    else if (section === 'PROJECTS' || section === 'VOTES') break;
    else if (inMeta && /^rule;/i.test(line)) {
      const rule = line.slice(5).trim();
      const r = rule.toLowerCase();
      return {
        rule,
        counting: r === 'equalshares' || r === 'equalshares/add1' || r === 'mes' ? 'es-cost' : 'greedy-skip',
      };
    }
  }
  return { rule: null, counting: 'greedy-skip' };
}

const FIELDS: Record<Counting, Record<string, string>> = {
  'greedy-skip': { rule: 'greedy' },
  'greedy-stop': { rule: 'greedy-stop' },
  'es-cost': { rule: 'equal-shares', utility: 'cost' },
  'es-cardinality': { rule: 'equal-shares', utility: 'cardinality' },
};

/** Officials import a past participatory budget from a Pabulib .pb file and choose how it is counted. */
export function ImportPage() {
  const { t, i18n } = useP();
  const { code = '' } = useParams();
  const m = useMunicipality();
  const manager = useManager(code);
  const [file, setFile] = useState<File | null>(null);
  const [rule, setRule] = useState<{ rule: string | null; counting: Counting } | null>(null);
  const [counting, setCounting] = useState<Counting>('greedy-skip');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<PbImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!manager)
    return (
      <Page title={t('pb.import.title')}>
        <Notice kind="warning">{t('wizard.officialsOnly')}</Notice>
      </Page>
    );

  const pick = async (f: File | null) => {
    setFile(f);
    setRule(null);
    setReport(null);
    setError(null);
    if (!f) return;
    const r = await fileRule(f);
    setRule(r);
    setCounting(r.counting);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(new ApiError(422, '', t('pb.import.noFile'), t('pb.import.noFile')));
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const form = new FormData();
      for (const [k, v] of Object.entries(FIELDS[counting])) form.append(k, v);
      form.append('file', file, file.name);
      setReport(
        await api<PbImportReport>(`/api/v1/municipalities/${code}/pabulib-imports`, { method: 'POST', raw: form }),
      );
    } catch (err) {
      const r = err instanceof ApiError ? (err.body.report as PbImportReport | undefined) : undefined;
      if (r) setReport(r);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('pb.import.title')} lead={t('pb.import.lead', { name: m.nameOf(code) })}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          type="file"
          accept=".pb,text/plain"
          label={t('pb.import.file')}
          help={t('pb.import.fileHelp')}
          onChange={(e) => void pick(e.target.files?.[0] ?? null)}
        />
        <SelectField
          label={t('pb.countingLabel')}
          help={
            rule
              ? rule.rule
                ? t('pb.import.fileRule', { rule: rule.rule, counting: t(`pb.counting.${rule.counting}`) })
                : t('pb.import.noFileRule')
              : t('pb.import.ruleHelp')
          }
          value={counting}
          onChange={(e) => setCounting(e.target.value as Counting)}
        >
          {COUNTINGS.map((c) => (
            <option key={c} value={c}>
              {t(`pb.counting.${c}`)}
            </option>
          ))}
        </SelectField>
        <p className="help">{t(`pb.countingHelp.${counting}`)}</p>
        <p>{t('pb.import.unsupported')}</p>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('pb.import.busy') : t('pb.import.submit')}
        </button>
      </form>
      {error && !report ? <ErrorNotice error={error} /> : null}
      {report ? <ImportReport code={code} report={report} lang={i18n.language} /> : null}
    </Page>
  );
}

function ImportReport({ code, report: r, lang }: { code: string; report: PbImportReport; lang: string }) {
  const { t } = useP();
  return (
    <section aria-labelledby="pb-report-h" className="pv-import-report">
      <h2 id="pb-report-h">{t('pb.import.report')}</h2>
      <Notice kind={r.imported ? 'success' : 'error'}>
        {r.imported
          ? t('pb.import.imported', { title: r.title, projects: r.projects, votes: r.votes })
          : t('pb.import.notImported', { errors: r.errors })}
      </Notice>
      <dl className="facts">
        <dt>{t('pb.import.voteType')}</dt>
        <dd>{r.voteType}</dd>
        <dt>{t('pb.import.budget')}</dt>
        <dd>{euros(r.budgetCents, lang)}</dd>
        <dt>{t('pb.countingLabel')}</dt>
        <dd>
          {t(`pb.counting.${countingOf(r.counting)}`)}
          {r.fileRule ? ` (${t('pb.import.fileSays', { rule: r.fileRule })})` : ''}
        </dd>
        {r.imported ? (
          <>
            <dt>{t('pb.import.winners')}</dt>
            <dd>{r.winners.join(', ') || '—'}</dd>
            <dt>{t('pb.import.unsupportedList')}</dt>
            <dd>{r.unsupported.join(', ') || '—'}</dd>
            <dt>{t('pb.import.matches')}</dt>
            <dd>
              {r.matchesFileSelection === null
                ? t('pb.import.noSelection')
                : r.matchesFileSelection
                  ? t('pb.import.same')
                  : t('pb.import.different', { n: r.differences.length })}
            </dd>
          </>
        ) : null}
      </dl>
      {r.countingNote ? <Notice kind="warning">{r.countingNote}</Notice> : null}
      {r.differences.length ? (
        <ul>
          {r.differences.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
      {r.issues.length ? (
        <>
          <h3>{t('pb.import.issues', { errors: r.errors, warnings: r.warnings })}</h3>
          <ul className="pv-import-issues">
            {r.issues.slice(0, 200).map((i, k) => (
              <li key={k}>
                {t(`pb.import.${i.severity}`, { line: i.line })} {i.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.imported && r.voteId ? (
        <p>
          <Link to={`/haaletused/${code}/${r.voteId}/haldus`}>{t('pb.import.open')}</Link>
        </p>
      ) : null}
    </section>
  );
}
