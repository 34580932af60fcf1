import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../app/api';
import { ErrorNotice, Notice, Page, SelectField, TextArea, TextField, useLoad } from '../../components/ui';
import { vvApi, vvPath, type Election, type Kind } from './api';
import { useVT } from './shared';

interface QuestionDraft {
  title: string;
  min: string;
  max: string;
  choices: string;
}
interface TrusteeDraft {
  name: string;
  idCode: string;
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** The vote wizard: kind, questions and choices, the election committee (trustees), who may vote, when. */
export function VerifiableEdit() {
  const { t } = useVT();
  const { code = '', id } = useParams();
  const navigate = useNavigate();
  const existing = useLoad(
    (signal) => (id ? api<Election>(vvApi(code, id), { signal }) : Promise.resolve(undefined)),
    [code, id],
  );
  const electorates = useLoad(
    (signal) =>
      api<{ id: string; name: string; state: string }[]>(`/api/v1/municipalities/${code}/verifiable-electorates`, {
        signal,
      }),
    [code],
  );
  const [kind, setKind] = useState<Kind>('poll');
  const [title, setTitle] = useState('');
  const [questions, setQuestions] = useState<QuestionDraft[]>([{ title: '', min: '1', max: '1', choices: '' }]);
  const [trustees, setTrustees] = useState<TrusteeDraft[]>([
    { name: '', idCode: '' },
    { name: '', idCode: '' },
    { name: '', idCode: '' },
  ]);
  const [threshold, setThreshold] = useState('2');
  const [electorateId, setElectorateId] = useState('');
  const [opensAt, setOpensAt] = useState(() => localInput(new Date()));
  const [closesAt, setClosesAt] = useState(() => localInput(new Date(Date.now() + 7 * 86_400_000)));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const e = existing.data;
    if (!e) return;
    setKind(e.kind);
    setTitle(e.title);
    setQuestions(
      e.questions.map((q) => ({
        title: q.title,
        min: String(q.minSelections),
        max: String(q.maxSelections),
        choices: q.choices.map((c) => c.label).join('\n'),
      })),
    );
    setTrustees(e.trustees.map((x) => ({ name: x.name, idCode: '' })));
    setThreshold(String(e.threshold));
    setElectorateId(e.electorateId ?? '');
    setOpensAt(localInput(new Date(e.opensAt)));
    setClosesAt(localInput(new Date(e.closesAt)));
  }, [existing.data]);

  const fe = (pointer: string) => (error instanceof ApiError ? error.fieldError(pointer) : undefined);
  const setQ = (i: number, patch: Partial<QuestionDraft>) =>
    setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const setT = (i: number, patch: Partial<TrusteeDraft>) =>
    setTrustees((ts) => ts.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = {
      kind,
      title,
      questions: questions.map((q) => ({
        title: q.title,
        minSelections: Number(q.min),
        maxSelections: Number(q.max),
        choices: q.choices
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((label) => ({ label })),
      })),
      trustees: trustees.map((x) => ({ name: x.name, idCode: x.idCode.trim() })),
      threshold: Number(threshold),
      electorateId: electorateId || null,
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(closesAt).toISOString(),
    };
    try {
      const saved = await api<Election>(id ? vvApi(code, id) : vvApi(code), { method: id ? 'PUT' : 'POST', body });
      navigate(vvPath(code, saved.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={id ? t('edit.titleEdit') : t('edit.titleNew')} lead={t('edit.lead')}>
      {existing.error ? <ErrorNotice error={existing.error} /> : null}
      <form className="form vv-form" onSubmit={submit} noValidate>
        <SelectField
          label={t('edit.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          help={t('edit.kindHelp')}
        >
          {(['poll', 'referendum', 'elder', 'budget'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <Notice kind="info">{t('edit.knapsack')}</Notice>
        <TextField
          label={t('edit.voteTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={fe('/body/title')}
          required
          maxLength={200}
        />

        <h2>{t('edit.questions')}</h2>
        {questions.map((q, i) => (
          <fieldset key={i} className="vv-fieldset">
            <legend>{t('edit.question', { n: i + 1 })}</legend>
            <TextField
              label={t('edit.questionTitle')}
              value={q.title}
              onChange={(e) => setQ(i, { title: e.target.value })}
              error={fe(`/body/questions/${i}/title`)}
              required
            />
            <TextArea
              label={t('edit.choices')}
              help={t('edit.choicesHelp')}
              value={q.choices}
              rows={4}
              onChange={(e) => setQ(i, { choices: e.target.value })}
              error={fe(`/body/questions/${i}/choices`)}
            />
            <div className="vv-row">
              <TextField
                label={t('edit.min')}
                type="number"
                min={0}
                value={q.min}
                onChange={(e) => setQ(i, { min: e.target.value })}
                error={fe(`/body/questions/${i}/minSelections`)}
              />
              <TextField
                label={t('edit.max')}
                type="number"
                min={1}
                value={q.max}
                onChange={(e) => setQ(i, { max: e.target.value })}
                error={fe(`/body/questions/${i}/maxSelections`)}
              />
            </div>
            {questions.length > 1 ? (
              <button
                type="button"
                className="button-secondary small"
                onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}
              >
                {t('edit.removeQuestion', { n: i + 1 })}
              </button>
            ) : null}
          </fieldset>
        ))}
        <p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setQuestions((qs) => [...qs, { title: '', min: '1', max: '1', choices: '' }])}
          >
            {t('edit.addQuestion')}
          </button>
        </p>

        <h2>{t('edit.trustees')}</h2>
        <p className="help">{t('edit.trusteesHelp')}</p>
        {trustees.map((x, i) => (
          <fieldset key={i} className="vv-fieldset">
            <legend>{t('edit.trustee', { n: i + 1 })}</legend>
            <div className="vv-row">
              <TextField
                label={t('edit.trusteeName')}
                value={x.name}
                onChange={(e) => setT(i, { name: e.target.value })}
                error={fe(`/body/trustees/${i}/name`)}
              />
              <TextField
                label={t('edit.trusteeIdCode')}
                value={x.idCode}
                inputMode="numeric"
                autoComplete="off"
                onChange={(e) => setT(i, { idCode: e.target.value })}
                error={fe(`/body/trustees/${i}/idCode`)}
              />
            </div>
            {trustees.length > 1 ? (
              <button
                type="button"
                className="button-secondary small"
                onClick={() => setTrustees((ts) => ts.filter((_, j) => j !== i))}
              >
                {t('edit.removeTrustee', { n: i + 1 })}
              </button>
            ) : null}
          </fieldset>
        ))}
        <p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setTrustees((ts) => [...ts, { name: '', idCode: '' }])}
          >
            {t('edit.addTrustee')}
          </button>
        </p>
        <TextField
          label={t('edit.threshold')}
          help={t('edit.thresholdHelp')}
          type="number"
          min={1}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          error={fe('/body/threshold')}
        />

        <h2>{t('edit.who')}</h2>
        <SelectField
          label={t('edit.electorate')}
          value={electorateId}
          onChange={(e) => setElectorateId(e.target.value)}
          error={fe('/body/electorateId')}
          help={t('edit.electorateHelp')}
        >
          <option value="">{t('edit.electorateNone')}</option>
          {(electorates.data ?? []).map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <div className="vv-row">
          <TextField
            label={t('edit.opensAt')}
            type="datetime-local"
            value={opensAt}
            onChange={(e) => setOpensAt(e.target.value)}
            error={fe('/body/opensAt')}
          />
          <TextField
            label={t('edit.closesAt')}
            type="datetime-local"
            value={closesAt}
            onChange={(e) => setClosesAt(e.target.value)}
            error={fe('/body/closesAt')}
          />
        </div>
        {error && !(error instanceof ApiError && error.errors.length) ? <ErrorNotice error={error} /> : null}
        {error instanceof ApiError && error.errors.length ? <Notice kind="error">{t('edit.fix')}</Notice> : null}
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t('edit.save')}
          </button>
        </p>
      </form>
    </Page>
  );
}
