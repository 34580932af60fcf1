import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { TranslationFields, translationsBody, type TranslationValues } from '../../components/TranslationFields';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError, fieldMessage } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import {
  ErrorNotice,
  ErrorSummary,
  fieldId,
  formErrors,
  formatDate,
  Loading,
  Notice,
  Page,
  SelectField,
  TextArea,
  TextField,
  useLoad,
} from '../../components/ui';
import {
  COUNTINGS,
  countingOf,
  countingRules,
  voteApi,
  votePath,
  votesApi,
  type BudgetRules,
  type Counting,
  type Place,
  type Vote,
  type VoteKind,
} from './api';
import { euros, fromLocalInput, toLocalInput, useManager, useP } from './shared';

/**
 * The officials' wizard for a new vote of each kind (and for changing a draft): basics, times,
 * who may vote, the questions (poll) or the rules (budget, elder election), and a last look
 * before saving the draft. Each step's heading takes focus; the server's field errors are shown
 * at their fields and the wizard goes back to the step that holds them.
 */
interface QuestionDraft {
  text: string;
  kind: 'single' | 'multiple' | 'yesno';
  choices: string;
  minChoices: string;
  maxChoices: string;
  allowBlank: boolean;
  /** Russian and English question text and choices (one a line, in the same order). */
  tr: TranslationValues;
}
interface DistrictDraft {
  name: string;
  budget: string;
  settlementCodes: string[];
  minVoters: string;
}
interface Draft {
  kind: VoteKind;
  title: string;
  description: string;
  tr: TranslationValues;
  proposalsCloseAt: string;
  opensAt: string;
  closesAt: string;
  changeElectorate: boolean;
  scope: 'municipality' | 'settlements';
  settlementCodes: string[];
  minAge: string;
  questions: QuestionDraft[];
  method: BudgetRules['method'];
  maxChoices: string;
  points: string;
  maxPointsPerIdea: string;
  minSpentPercent: string;
  ownDistrictOnly: boolean;
  /** The counting rule: greedy (with or without skipping) or equal shares (cost or cardinality utilities). */
  counting: Counting;
  minSupport: string;
  pooling: boolean;
  districts: DistrictDraft[];
  minTurnoutPercent: string;
  tieRule: 'lot' | 'oldest' | 'runoff';
  candidateMinAge: string;
}

const STEPS = ['basics', 'times', 'electorate', 'content', 'review'] as const;
type Step = (typeof STEPS)[number];
const STEP_OF_POINTER: [RegExp, Step][] = [
  [/^\/body\/(kind|title|description|translations)/, 'basics'],
  [/^\/body\/(opensAt|closesAt|proposalsCloseAt)/, 'times'],
  [/^\/body\/electorate/, 'electorate'],
  [/^\/body\/(questions|budget|elder)/, 'content'],
];

type FieldProblem = { pointer: string; code?: string; limit?: number; detail?: string };
const STEP_OF = (pointer: string): Step => STEP_OF_POINTER.find(([re]) => re.test(pointer))?.[1] ?? 'review';

/**
 * What the page can tell is wrong on a step by itself, every field at once (the server checks
 * again on saving): a step with errors is not left until they are mended. Rules worded by the
 * JSON Schema keyword (`code`) read as the server's would; the wizard's own rules in its words.
 */
function stepProblems(step: Step, d: Draft, t: TFunction<'participation'>): FieldProblem[] {
  const out: FieldProblem[] = [];
  const required = (pointer: string, value: string) => {
    if (!value.trim()) out.push({ pointer, code: 'required' });
    return Boolean(value.trim());
  };
  const whole = (v: string) => /^\d+$/.test(v.trim());
  // A whole number in its range; empty takes the rule's default (0, or none).
  const between = (pointer: string, value: string, min: number, max: number, optional = true) => {
    if (optional && !value.trim()) return;
    if (!(whole(value) && Number(value) >= min && Number(value) <= max))
      out.push({ pointer, detail: t('wizard.errors.wholeBetween', { min, max }) });
  };
  if (step === 'basics') required('/body/title', d.title);
  if (step === 'times') {
    const proposals = d.kind !== 'poll' ? required('/body/proposalsCloseAt', d.proposalsCloseAt) : false;
    const opens = required('/body/opensAt', d.opensAt);
    const closes = required('/body/closesAt', d.closesAt);
    if (opens && closes && !(new Date(d.closesAt) > new Date(d.opensAt)))
      out.push({ pointer: '/body/closesAt', detail: t('wizard.errors.closesBeforeOpens') });
    if (proposals && opens && new Date(d.proposalsCloseAt) > new Date(d.opensAt))
      out.push({ pointer: '/body/proposalsCloseAt', detail: t('wizard.errors.proposalsAfterOpening') });
  }
  if (step === 'electorate' && d.changeElectorate) {
    if (d.scope === 'settlements' && !d.settlementCodes.length)
      out.push({ pointer: '/body/electorate/settlementCodes', detail: t('wizard.errors.noSettlement') });
    if (required('/body/electorate/minAge', d.minAge) && !(whole(d.minAge) && Number(d.minAge) <= 130))
      out.push({ pointer: '/body/electorate/minAge', detail: t('wizard.errors.age') });
  }
  if (step === 'content' && d.kind === 'poll')
    d.questions.forEach((q, i) => {
      required(`/body/questions/${i}/text`, q.text);
      if (q.kind !== 'yesno' && lines(q.choices).length < 2)
        out.push({ pointer: `/body/questions/${i}/choices`, detail: t('wizard.errors.twoChoices') });
    });
  if (step === 'content' && d.kind === 'budget') {
    if (d.method === 'approval' && !(whole(d.maxChoices) && Number(d.maxChoices) >= 1 && Number(d.maxChoices) <= 1000))
      out.push({ pointer: '/body/budget/maxChoices', detail: t('wizard.errors.positiveWhole') });
    if (d.method === 'knapsack') between('/body/budget/minSpentPercent', d.minSpentPercent, 0, 100);
    if (d.method === 'cumulative') {
      between('/body/budget/points', d.points, 1, 1000, false);
      between('/body/budget/maxPointsPerIdea', d.maxPointsPerIdea, 0, 1000);
    }
    between('/body/budget/minSupport', d.minSupport, 0, 10_000_000);
    d.districts.forEach((x, i) => {
      if (required(`/body/budget/districts/${i}/name`, x.name) && x.name.trim().length > 200)
        out.push({ pointer: `/body/budget/districts/${i}/name`, code: 'maxLength', limit: 200 });
      const euros = Number(x.budget.replace(/\s/g, '').replace(',', '.'));
      if (!x.budget.trim() || !Number.isFinite(euros) || euros <= 0 || euros > 1e11)
        out.push({ pointer: `/body/budget/districts/${i}/budgetCents`, detail: t('wizard.errors.money') });
      between(`/body/budget/districts/${i}/minVoters`, x.minVoters, 0, 10_000_000);
    });
  }
  if (step === 'content' && d.kind === 'elder') {
    const turnout = Number(d.minTurnoutPercent.replace(',', '.'));
    if (d.minTurnoutPercent.trim() && !(Number.isFinite(turnout) && turnout >= 0 && turnout <= 100))
      out.push({ pointer: '/body/elder/minTurnoutPercent', detail: t('wizard.errors.percent') });
    between('/body/elder/candidateMinAge', d.candidateMinAge, 0, 130, false);
  }
  return out;
}

/** The error without the field errors of a step (mended there); `null` when nothing is left. */
function withoutStep(error: unknown, step: Step): unknown {
  if (!(error instanceof ApiError) || !error.errors.length) return null;
  const rest = error.errors.filter((e) => STEP_OF(e.pointer) !== step);
  return rest.length ? new ApiError(error.status, error.type, error.title, error.detail, rest, error.body) : null;
}

const day = 86_400_000;
function newDraft(kind: VoteKind): Draft {
  const at = (d: number) =>
    toLocalInput(new Date(Math.ceil((Date.now() + d * day) / 3_600_000) * 3_600_000).toISOString());
  return {
    kind,
    title: '',
    description: '',
    tr: {},
    proposalsCloseAt: kind === 'poll' ? '' : at(14),
    opensAt: at(kind === 'poll' ? 7 : 21),
    closesAt: at(kind === 'poll' ? 21 : 35),
    changeElectorate: true,
    scope: kind === 'elder' ? 'settlements' : 'municipality',
    settlementCodes: [],
    minAge: kind === 'budget' ? '14' : '16',
    questions: [{ text: '', kind: 'yesno', choices: '', minChoices: '1', maxChoices: '1', allowBlank: false, tr: {} }],
    method: 'approval',
    maxChoices: '3',
    points: '10',
    maxPointsPerIdea: '0',
    minSpentPercent: '0',
    ownDistrictOnly: false,
    counting: 'greedy-skip',
    minSupport: '0',
    pooling: false,
    districts: [{ name: '', budget: '', settlementCodes: [], minVoters: '0' }],
    minTurnoutPercent: '0',
    tieRule: 'lot',
    candidateMinAge: '18',
  };
}

function draftOf(v: Vote): Draft {
  const d = newDraft(v.kind);
  const b = v.rules.budget;
  const e = v.rules.elder;
  return {
    ...d,
    title: v.title,
    description: v.description,
    tr: v.translations ?? {},
    proposalsCloseAt: toLocalInput(v.proposalsCloseAt),
    opensAt: toLocalInput(v.opensAt),
    closesAt: toLocalInput(v.closesAt),
    changeElectorate: !v.electorateId,
    questions:
      v.kind === 'poll' && v.ballot.questions.length
        ? v.ballot.questions.map((q) => ({
            text: q.text,
            kind: q.kind,
            choices:
              q.kind === 'yesno'
                ? ''
                : q.choices
                    .filter((c) => !c.blank)
                    .map((c) => c.label)
                    .join('\n'),
            minChoices: String(q.minChoices),
            maxChoices: String(q.maxChoices),
            allowBlank: q.choices.some((c) => c.blank),
            tr: {
              text: q.translations?.text,
              choices: Object.fromEntries(
                (['ru', 'en'] as const).map((l) => [
                  l,
                  q.choices
                    .filter((c) => !c.blank && !c.code)
                    .map((c) => c.translations?.label?.[l] ?? '')
                    .join('\n'),
                ]),
              ),
            },
          }))
        : d.questions,
    ...(b
      ? {
          method: b.method,
          maxChoices: String(b.maxChoices),
          points: String(b.points),
          maxPointsPerIdea: String(b.maxPointsPerIdea),
          minSpentPercent: String(b.minSpentPercent),
          ownDistrictOnly: b.ownDistrictOnly,
          counting: countingOf(b),
          minSupport: String(b.minSupport),
          pooling: b.pooling,
          districts: b.districts.map((x) => ({
            name: x.name,
            budget: String(x.budgetCents / 100),
            settlementCodes: x.settlementCodes,
            minVoters: String(x.minVoters),
          })),
        }
      : {}),
    ...(e
      ? {
          minTurnoutPercent: String(e.minTurnoutPercent),
          tieRule: e.tieRule,
          candidateMinAge: String(e.candidateMinAge),
        }
      : {}),
  };
}

const int = (s: string) => (s.trim() === '' ? undefined : Math.round(Number(s)));

const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);

/** A question's translations as the API takes them: choices' labels by position. */
function questionTranslations(q: QuestionDraft) {
  const text = translationsBody({ text: q.tr.text }).text;
  const ru = q.kind === 'yesno' ? [] : lines(q.tr.choices?.ru);
  const en = q.kind === 'yesno' ? [] : lines(q.tr.choices?.en);
  const n = Math.max(ru.length, en.length);
  const choices = Array.from({ length: n }, (_, i) => ({
    ...(ru[i] ? { ru: ru[i] } : {}),
    ...(en[i] ? { en: en[i] } : {}),
  }));
  return { ...(text ? { text } : {}), ...(n ? { choices } : {}) };
}

function bodyOf(d: Draft) {
  const iso = (s: string) => fromLocalInput(s) ?? s;
  return {
    kind: d.kind,
    title: d.title.trim(),
    description: d.description,
    translations: translationsBody(d.tr),
    opensAt: iso(d.opensAt),
    closesAt: iso(d.closesAt),
    ...(d.kind !== 'poll' ? { proposalsCloseAt: d.proposalsCloseAt ? iso(d.proposalsCloseAt) : null } : {}),
    ...(d.changeElectorate
      ? {
          electorate: {
            scope: d.scope,
            ...(d.scope === 'settlements' ? { settlementCodes: d.settlementCodes } : {}),
            minAge: int(d.minAge) ?? 0,
          },
        }
      : {}),
    ...(d.kind === 'poll'
      ? {
          questions: d.questions.map((q) => ({
            text: q.text.trim(),
            kind: q.kind,
            ...(q.kind !== 'yesno'
              ? {
                  choices: q.choices
                    .split('\n')
                    .map((c) => c.trim())
                    .filter(Boolean),
                }
              : {}),
            ...(q.kind === 'multiple' ? { minChoices: int(q.minChoices), maxChoices: int(q.maxChoices) } : {}),
            allowBlank: q.allowBlank,
            translations: questionTranslations(q),
          })),
        }
      : {}),
    ...(d.kind === 'budget'
      ? {
          budget: {
            method: d.method,
            ...(d.method === 'approval' ? { maxChoices: int(d.maxChoices) } : {}),
            ...(d.method === 'cumulative' ? { points: int(d.points), maxPointsPerIdea: int(d.maxPointsPerIdea) } : {}),
            ...(d.method === 'knapsack' ? { minSpentPercent: int(d.minSpentPercent) } : {}),
            ownDistrictOnly: d.ownDistrictOnly,
            ...countingRules(d.counting),
            minSupport: int(d.minSupport),
            pooling: d.pooling,
            districts: d.districts.map((x) => ({
              name: x.name.trim(),
              budgetCents: Math.round(Number(x.budget.replace(',', '.').replace(/\s/g, '') || 0) * 100),
              settlementCodes: x.settlementCodes,
              minVoters: int(x.minVoters),
            })),
          },
        }
      : {}),
    ...(d.kind === 'elder'
      ? {
          elder: {
            minTurnoutPercent: Number(d.minTurnoutPercent || 0),
            tieRule: d.tieRule,
            candidateMinAge: int(d.candidateMinAge),
          },
        }
      : {}),
  };
}

function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // A step opened because of its errors keeps the focus on their summary (shown above it).
  useEffect(() => {
    if (!ref.current?.closest('form')?.querySelector('.error-summary')) ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1}>
      {children}
    </h2>
  );
}

/** /haaletused/:code/uus?liik=poll|budget|elder and /haaletused/:code/:id/muuda */
export function WizardPage() {
  const { t } = useP();
  const { code = '', id } = useParams();
  const [search] = useSearchParams();
  const manager = useManager(code);
  const existing = useLoad(
    (signal) => (id ? api<Vote>(voteApi(code, id), { signal }) : Promise.resolve(undefined)),
    [code, id],
  );
  if (!manager)
    return (
      <Page title={t('wizard.title')}>
        <Notice kind="warning">{t('wizard.officialsOnly')}</Notice>
      </Page>
    );
  if (id && existing.loading) return <Loading />;
  if (id && (existing.error || !existing.data))
    return (
      <Page title={t('wizard.title')}>
        <ErrorNotice error={existing.error} />
      </Page>
    );
  const kindParam = search.get('liik');
  const kind: VoteKind = kindParam === 'budget' || kindParam === 'elder' ? kindParam : 'poll';
  return (
    <Wizard
      key={id ?? kind}
      code={code}
      existing={existing.data}
      initial={existing.data ? draftOf(existing.data) : newDraft(kind)}
    />
  );
}

function Wizard({ code, existing, initial }: { code: string; existing: Vote | undefined; initial: Draft }) {
  const { t, i18n } = useP();
  const m = useMunicipality();
  const navigate = useNavigate();
  const [d, setD] = useState<Draft>(initial);
  const [step, setStep] = useState<Step>('basics');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const places = useLoad((signal) => api<Place[]>(`/api/v1/municipalities/${code}/settlements`, { signal }), [code]);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const index = STEPS.indexOf(step);
  // Field errors in the page's language (the server's detail is English, for API clients).
  const fe = (p: string) => {
    const e =
      error instanceof ApiError
        ? error.errors.find((x) => x.pointer === p || x.pointer.startsWith(`${p}/`))
        : undefined;
    return e ? fieldMessage(e) : undefined;
  };
  // The summary at the top of the step shows the errors of that step (saving goes to the first
  // step with one); a refusal not about a field is shown on the step where it came.
  const stepError = useMemo(() => {
    if (!(error instanceof ApiError) || !error.errors.length) return error;
    const mine = error.errors.filter((e) => STEP_OF(e.pointer) === step);
    return mine.length ? new ApiError(error.status, error.type, error.title, error.detail, mine, error.body) : null;
  }, [error, step]);
  const labels: Record<string, string> = {
    '/body/kind': t('wizard.kind'),
    '/body/title': t('wizard.voteTitle'),
    '/body/description': t('wizard.description'),
    '/body/proposalsCloseAt': d.kind === 'budget' ? t('wizard.ideasUntil') : t('wizard.nominationsUntil'),
    '/body/opensAt': t('wizard.opensAt'),
    '/body/closesAt': t('wizard.closesAt'),
    '/body/electorate': t('wizard.step.electorate'),
    '/body/electorate/minAge': t('wizard.minAge'),
    '/body/electorate/settlementCodes': t('wizard.settlements'),
    '/body/questions': t('wizard.step.content'),
    ...Object.fromEntries(
      d.questions.flatMap((_, i) => {
        const n = t('wizard.question', { n: i + 1 });
        return [
          [`/body/questions/${i}/text`, `${n}, ${t('wizard.questionText').toLowerCase()}`],
          [`/body/questions/${i}/choices`, `${n}, ${t('wizard.choices').toLowerCase()}`],
          [`/body/questions/${i}/minChoices`, `${n}, ${t('wizard.minChoices').toLowerCase()}`],
          [`/body/questions/${i}/maxChoices`, `${n}, ${t('wizard.maxChoices').toLowerCase()}`],
        ];
      }),
    ),
    '/body/budget/maxChoices': t('wizard.maxIdeas'),
    '/body/budget/minSpentPercent': t('wizard.minSpent'),
    '/body/budget/points': t('wizard.points'),
    '/body/budget/maxPointsPerIdea': t('wizard.maxPointsPerIdea'),
    '/body/budget/minSupport': t('wizard.minSupport'),
    '/body/elder/minTurnoutPercent': t('wizard.minTurnout'),
    '/body/elder/candidateMinAge': t('wizard.candidateMinAge'),
    ...Object.fromEntries(
      d.districts.flatMap((_, i) => {
        const n = t('wizard.district', { n: i + 1 });
        return [
          [`/body/budget/districts/${i}/name`, `${n}, ${t('wizard.districtName').toLowerCase()}`],
          [`/body/budget/districts/${i}/budgetCents`, `${n}, ${t('wizard.districtBudget').toLowerCase()}`],
          [`/body/budget/districts/${i}/settlementCodes`, `${n}, ${t('wizard.districtSettlements').toLowerCase()}`],
          [`/body/budget/districts/${i}/minVoters`, `${n}, ${t('wizard.districtMinVoters').toLowerCase()}`],
        ];
      }),
    ),
  };
  const placeName = (c: string) => places.data?.find((p) => p.code === c)?.name ?? c;
  // The settlement units' error (not the age's, which is also under /body/electorate).
  const settlementsError =
    fe('/body/electorate/settlementCodes') ??
    (error instanceof ApiError ? error.fieldError('/body/electorate') : undefined);

  const save = async () => {
    // Every step checked again (a draft opened for changes has not been through them).
    const wrong = formErrors(STEPS.flatMap((s) => stepProblems(s, d, t)));
    if (wrong) {
      setError(wrong);
      setStep(STEP_OF(wrong.errors[0]!.pointer));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const v = await api<Vote>(existing ? voteApi(code, existing.id) : votesApi(code), {
        method: existing ? 'PUT' : 'POST',
        body: bodyOf(d),
      });
      navigate(`${votePath(code, v.id)}/haldus`, { state: { saved: true } });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const first = err.errors.map((e) => STEP_OF_POINTER.find(([re]) => re.test(e.pointer))?.[1]).find(Boolean);
        if (first) setStep(first);
      }
    } finally {
      setBusy(false);
    }
  };

  const title = existing
    ? t('wizard.editTitle', { title: existing.title })
    : t(`wizard.new.${d.kind}`, { name: m.nameOf(code) });
  const shown = (places.data ?? []).filter(
    (p) => !filter.trim() || p.name.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  return (
    <Page title={title}>
      <ol className="pv-steps" aria-label={t('wizard.steps')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={i < index ? 'pv-done' : ''}>
            {t(`wizard.step.${s}`)}
          </li>
        ))}
      </ol>
      <form
        className="form pv-wizard"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const wrong = formErrors(stepProblems(step, d, t));
          if (wrong) {
            // Errors of this step replace what was said of it before; other steps' stay.
            const rest = withoutStep(error, step);
            setError(
              rest instanceof ApiError ? new ApiError(400, 'form', '', '', [...wrong.errors, ...rest.errors]) : wrong,
            );
            return;
          }
          setError(withoutStep(error, step));
          if (step === 'review') void save();
          else setStep(STEPS[index + 1]!);
        }}
      >
        <ErrorSummary error={stepError} labels={labels} ns="participation" />
        {step === 'basics' ? (
          <>
            <StepHeading>{t('wizard.step.basics')}</StepHeading>
            {!existing ? (
              <fieldset>
                <legend>{t('wizard.kind')}</legend>
                {(['poll', 'budget', 'elder'] as const).map((k) => (
                  <div key={k} className="pv-radio">
                    <input
                      id={`pv-kind-${k}`}
                      type="radio"
                      name="pv-kind"
                      checked={d.kind === k}
                      onChange={() => setD({ ...newDraft(k), title: d.title, description: d.description, tr: d.tr })}
                    />
                    <label htmlFor={`pv-kind-${k}`}>{t(`kind.${k}`)}</label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            <TextField
              label={t('wizard.voteTitle')}
              id={fieldId('/body/title')}
              value={d.title}
              onChange={(e) => set('title', e.target.value)}
              required
              maxLength={300}
              error={fe('/body/title')}
            />
            <TextArea
              label={t('wizard.description')}
              id={fieldId('/body/description')}
              help={t('wizard.descriptionHelp')}
              value={d.description}
              onChange={(e) => set('description', e.target.value)}
              error={fe('/body/description')}
            />
            <TranslationFields
              fields={[
                { key: 'title', label: t('wizard.voteTitle'), maxLength: 300 },
                { key: 'description', label: t('wizard.description'), multiline: true },
              ]}
              value={d.tr}
              onChange={(tr) => set('tr', tr)}
              errorOf={(f, l) => fe(`/body/translations/${f}/${l}`)}
            />
          </>
        ) : null}

        {step === 'times' ? (
          <>
            <StepHeading>{t('wizard.step.times')}</StepHeading>
            {d.kind !== 'poll' ? (
              <TextField
                type="datetime-local"
                label={d.kind === 'budget' ? t('wizard.ideasUntil') : t('wizard.nominationsUntil')}
                id={fieldId('/body/proposalsCloseAt')}
                help={t('wizard.proposalsHelp')}
                value={d.proposalsCloseAt}
                onChange={(e) => set('proposalsCloseAt', e.target.value)}
                error={fe('/body/proposalsCloseAt')}
              />
            ) : null}
            <TextField
              type="datetime-local"
              label={t('wizard.opensAt')}
              id={fieldId('/body/opensAt')}
              value={d.opensAt}
              onChange={(e) => set('opensAt', e.target.value)}
              required
              error={fe('/body/opensAt')}
            />
            <TextField
              type="datetime-local"
              label={t('wizard.closesAt')}
              id={fieldId('/body/closesAt')}
              help={t('wizard.closesHelp')}
              value={d.closesAt}
              onChange={(e) => set('closesAt', e.target.value)}
              required
              error={fe('/body/closesAt')}
            />
          </>
        ) : null}

        {step === 'electorate' ? (
          <>
            <StepHeading>{t('wizard.step.electorate')}</StepHeading>
            <p className="help">{t('wizard.electorateHelp')}</p>
            {existing?.electorateId ? (
              <div className="pv-radio">
                <input
                  id="pv-change-el"
                  type="checkbox"
                  checked={d.changeElectorate}
                  onChange={(e) => set('changeElectorate', e.target.checked)}
                />
                <label htmlFor="pv-change-el">{t('wizard.changeElectorate')}</label>
              </div>
            ) : null}
            {d.changeElectorate ? (
              <>
                <fieldset>
                  <legend>{t('wizard.scope')}</legend>
                  <div className="pv-radio">
                    <input
                      id="pv-scope-m"
                      type="radio"
                      name="pv-scope"
                      checked={d.scope === 'municipality'}
                      onChange={() => set('scope', 'municipality')}
                    />
                    <label htmlFor="pv-scope-m">{t('wizard.scopeMunicipality', { name: m.nameOf(code) })}</label>
                  </div>
                  <div className="pv-radio">
                    <input
                      id="pv-scope-s"
                      type="radio"
                      name="pv-scope"
                      checked={d.scope === 'settlements'}
                      onChange={() => set('scope', 'settlements')}
                    />
                    <label htmlFor="pv-scope-s">{t('wizard.scopeSettlements')}</label>
                  </div>
                </fieldset>
                {d.scope === 'settlements' ? (
                  <fieldset
                    className={settlementsError ? 'has-error' : ''}
                    id={fieldId('/body/electorate/settlementCodes')}
                    tabIndex={-1}
                    aria-describedby={settlementsError ? 'pv-settlements-error' : undefined}
                  >
                    <legend>{t('wizard.settlements')}</legend>
                    <TextField label={t('wizard.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
                    <p aria-live="polite" className="help">
                      {t('wizard.chosenSettlements', {
                        n: d.settlementCodes.length,
                        names: d.settlementCodes.map(placeName).join(', '),
                      })}
                    </p>
                    <ul className="pv-checklist">
                      {shown.map((p) => (
                        <li key={p.code}>
                          <input
                            id={`pv-s-${p.code}`}
                            type="checkbox"
                            checked={d.settlementCodes.includes(p.code)}
                            onChange={(e) =>
                              set(
                                'settlementCodes',
                                e.target.checked
                                  ? [...d.settlementCodes, p.code]
                                  : d.settlementCodes.filter((c) => c !== p.code),
                              )
                            }
                          />
                          <label htmlFor={`pv-s-${p.code}`}>{p.name}</label>
                        </li>
                      ))}
                    </ul>
                    {settlementsError ? (
                      <p className="field-error" id="pv-settlements-error">
                        {settlementsError}
                      </p>
                    ) : null}
                  </fieldset>
                ) : null}
                <TextField
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={130}
                  label={t('wizard.minAge')}
                  id={fieldId('/body/electorate/minAge')}
                  help={t('wizard.minAgeHelp')}
                  value={d.minAge}
                  onChange={(e) => set('minAge', e.target.value)}
                  error={fe('/body/electorate/minAge')}
                />
              </>
            ) : null}
          </>
        ) : null}

        {step === 'content' ? (
          <>
            <StepHeading>{d.kind === 'poll' ? t('wizard.questions') : t('wizard.rules')}</StepHeading>
            {d.kind === 'poll' ? (
              <QuestionsEditor questions={d.questions} onChange={(q) => set('questions', q)} fe={fe} />
            ) : null}
            {d.kind === 'budget' ? (
              <>
                <SelectField
                  label={t('wizard.method')}
                  help={t(`wizard.methodHelp.${d.method}`)}
                  value={d.method}
                  onChange={(e) => set('method', e.target.value as Draft['method'])}
                >
                  {(['approval', 'knapsack', 'cumulative'] as const).map((x) => (
                    <option key={x} value={x}>
                      {t(`method.${x}`)}
                    </option>
                  ))}
                </SelectField>
                {d.method === 'approval' ? (
                  <TextField
                    type="number"
                    min={1}
                    label={t('wizard.maxIdeas')}
                    id={fieldId('/body/budget/maxChoices')}
                    value={d.maxChoices}
                    onChange={(e) => set('maxChoices', e.target.value)}
                    error={fe('/body/budget/maxChoices')}
                  />
                ) : null}
                {d.method === 'knapsack' ? (
                  <TextField
                    type="number"
                    min={0}
                    max={100}
                    label={t('wizard.minSpent')}
                    id={fieldId('/body/budget/minSpentPercent')}
                    value={d.minSpentPercent}
                    onChange={(e) => set('minSpentPercent', e.target.value)}
                    error={fe('/body/budget/minSpentPercent')}
                  />
                ) : null}
                {d.method === 'cumulative' ? (
                  <>
                    <TextField
                      type="number"
                      min={1}
                      label={t('wizard.points')}
                      id={fieldId('/body/budget/points')}
                      value={d.points}
                      onChange={(e) => set('points', e.target.value)}
                      error={fe('/body/budget/points')}
                    />
                    <TextField
                      type="number"
                      min={0}
                      label={t('wizard.maxPointsPerIdea')}
                      id={fieldId('/body/budget/maxPointsPerIdea')}
                      help={t('wizard.zeroNoLimit')}
                      value={d.maxPointsPerIdea}
                      onChange={(e) => set('maxPointsPerIdea', e.target.value)}
                      error={fe('/body/budget/maxPointsPerIdea')}
                    />
                  </>
                ) : null}
                <SelectField
                  label={t('pb.countingLabel')}
                  help={t(`pb.countingHelp.${d.counting}`)}
                  value={d.counting}
                  onChange={(e) => set('counting', e.target.value as Counting)}
                >
                  {COUNTINGS.map((c) => (
                    <option key={c} value={c}>
                      {t(`pb.counting.${c}`)}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  type="number"
                  min={0}
                  label={t('wizard.minSupport')}
                  id={fieldId('/body/budget/minSupport')}
                  help={t('wizard.zeroNone')}
                  value={d.minSupport}
                  onChange={(e) => set('minSupport', e.target.value)}
                  error={fe('/body/budget/minSupport')}
                />
                <div className="pv-radio">
                  <input
                    id="pv-own"
                    type="checkbox"
                    checked={d.ownDistrictOnly}
                    onChange={(e) => set('ownDistrictOnly', e.target.checked)}
                  />
                  <label htmlFor="pv-own">{t('wizard.ownDistrictOnly')}</label>
                </div>
                <div className="pv-radio">
                  <input
                    id="pv-pool"
                    type="checkbox"
                    checked={d.pooling}
                    onChange={(e) => set('pooling', e.target.checked)}
                  />
                  <label htmlFor="pv-pool">{t('wizard.pooling')}</label>
                </div>
                {d.districts.map((x, i) => (
                  <fieldset key={i}>
                    <legend>{t('wizard.district', { n: i + 1 })}</legend>
                    <TextField
                      label={t('wizard.districtName')}
                      id={fieldId(`/body/budget/districts/${i}/name`)}
                      value={x.name}
                      onChange={(e) =>
                        set(
                          'districts',
                          d.districts.map((y, j) => (j === i ? { ...y, name: e.target.value } : y)),
                        )
                      }
                      error={fe(`/body/budget/districts/${i}/name`)}
                    />
                    <TextField
                      label={t('wizard.districtBudget')}
                      id={fieldId(`/body/budget/districts/${i}/budgetCents`)}
                      inputMode="decimal"
                      value={x.budget}
                      onChange={(e) =>
                        set(
                          'districts',
                          d.districts.map((y, j) => (j === i ? { ...y, budget: e.target.value } : y)),
                        )
                      }
                      error={fe(`/body/budget/districts/${i}/budgetCents`)}
                    />
                    <TextField
                      type="number"
                      min={0}
                      label={t('wizard.districtMinVoters')}
                      id={fieldId(`/body/budget/districts/${i}/minVoters`)}
                      help={t('wizard.zeroNone')}
                      value={x.minVoters}
                      error={fe(`/body/budget/districts/${i}/minVoters`)}
                      onChange={(e) =>
                        set(
                          'districts',
                          d.districts.map((y, j) => (j === i ? { ...y, minVoters: e.target.value } : y)),
                        )
                      }
                    />
                    <SelectField
                      label={t('wizard.districtSettlements')}
                      id={fieldId(`/body/budget/districts/${i}/settlementCodes`)}
                      help={t('wizard.districtSettlementsHelp')}
                      multiple
                      size={6}
                      value={x.settlementCodes}
                      onChange={(e) =>
                        set(
                          'districts',
                          d.districts.map((y, j) =>
                            j === i ? { ...y, settlementCodes: [...e.target.selectedOptions].map((o) => o.value) } : y,
                          ),
                        )
                      }
                      error={fe(`/body/budget/districts/${i}/settlementCodes`)}
                    >
                      {(places.data ?? []).map((p) => (
                        <option key={p.code} value={p.code}>
                          {p.name}
                        </option>
                      ))}
                    </SelectField>
                    {d.districts.length > 1 ? (
                      <button
                        type="button"
                        className="button-secondary small"
                        onClick={() =>
                          set(
                            'districts',
                            d.districts.filter((_, j) => j !== i),
                          )
                        }
                      >
                        {t('wizard.removeDistrict', { n: i + 1 })}
                      </button>
                    ) : null}
                  </fieldset>
                ))}
                <button
                  type="button"
                  className="button-secondary small"
                  onClick={() =>
                    set('districts', [...d.districts, { name: '', budget: '', settlementCodes: [], minVoters: '0' }])
                  }
                >
                  {t('wizard.addDistrict')}
                </button>
              </>
            ) : null}
            {d.kind === 'elder' ? (
              <>
                <TextField
                  type="number"
                  min={0}
                  max={100}
                  label={t('wizard.minTurnout')}
                  id={fieldId('/body/elder/minTurnoutPercent')}
                  help={t('wizard.zeroNone')}
                  value={d.minTurnoutPercent}
                  onChange={(e) => set('minTurnoutPercent', e.target.value)}
                  error={fe('/body/elder/minTurnoutPercent')}
                />
                <SelectField
                  label={t('wizard.tieRule')}
                  value={d.tieRule}
                  onChange={(e) => set('tieRule', e.target.value as Draft['tieRule'])}
                >
                  {(['lot', 'oldest', 'runoff'] as const).map((x) => (
                    <option key={x} value={x}>
                      {t(`tieRule.${x}`)}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  type="number"
                  min={0}
                  label={t('wizard.candidateMinAge')}
                  id={fieldId('/body/elder/candidateMinAge')}
                  value={d.candidateMinAge}
                  onChange={(e) => set('candidateMinAge', e.target.value)}
                  error={fe('/body/elder/candidateMinAge')}
                />
              </>
            ) : null}
          </>
        ) : null}

        {step === 'review' ? (
          <>
            <StepHeading>{t('wizard.step.review')}</StepHeading>
            <dl className="facts">
              <dt>{t('wizard.kind')}</dt>
              <dd>{t(`kind.${d.kind}`)}</dd>
              <dt>{t('wizard.voteTitle')}</dt>
              <dd>{d.title || '—'}</dd>
              {d.kind !== 'poll' ? (
                <>
                  <dt>{d.kind === 'budget' ? t('wizard.ideasUntil') : t('wizard.nominationsUntil')}</dt>
                  <dd>{d.proposalsCloseAt ? formatDate(d.proposalsCloseAt, i18n.language, true) : '—'}</dd>
                </>
              ) : null}
              <dt>{t('wizard.votingTime')}</dt>
              <dd>
                {d.opensAt ? formatDate(d.opensAt, i18n.language, true) : '—'} –{' '}
                {d.closesAt ? formatDate(d.closesAt, i18n.language, true) : '—'}
              </dd>
              <dt>{t('wizard.step.electorate')}</dt>
              <dd>
                {!d.changeElectorate
                  ? t('wizard.electorateUnchanged')
                  : d.scope === 'municipality'
                    ? t('wizard.electorateAll', { name: m.nameOf(code), age: d.minAge })
                    : t('wizard.electorateSettlements', {
                        names: d.settlementCodes.length ? d.settlementCodes.map(placeName) : '—',
                        age: d.minAge,
                      })}
              </dd>
              {d.kind === 'poll' ? (
                <>
                  <dt>{t('wizard.questions')}</dt>
                  <dd>
                    <ol>
                      {d.questions.map((q, i) => (
                        <li key={i}>
                          {q.text || '—'} ({t(`questionKind.${q.kind}`)})
                        </li>
                      ))}
                    </ol>
                  </dd>
                </>
              ) : null}
              {d.kind === 'budget' ? (
                <>
                  <dt>{t('wizard.rules')}</dt>
                  <dd>
                    {t(`method.${d.method}`)};{' '}
                    {d.districts
                      .map(
                        (x) =>
                          `${x.name || '—'} ${euros(Math.round(Number(x.budget.replace(',', '.') || 0) * 100), i18n.language)}`,
                      )
                      .join('; ')}
                  </dd>
                </>
              ) : null}
            </dl>
            <p>{t('wizard.reviewLead')}</p>
          </>
        ) : null}

        <div className="pv-actions">
          {index > 0 ? (
            <button type="button" className="button-secondary" onClick={() => setStep(STEPS[index - 1]!)}>
              {t('wizard.back')}
            </button>
          ) : null}
          <button type="submit" className="button" disabled={busy}>
            {step === 'review' ? (existing ? t('wizard.saveChanges') : t('wizard.save')) : t('wizard.next')}
          </button>
          <Link to={existing ? `${votePath(code, existing.id)}/haldus` : `/haaletused/${code}`}>
            {t('wizard.cancel')}
          </Link>
        </div>
      </form>
    </Page>
  );
}

function QuestionsEditor({
  questions,
  onChange,
  fe,
}: {
  questions: QuestionDraft[];
  onChange(q: QuestionDraft[]): void;
  fe(p: string): string | undefined;
}) {
  const { t } = useP();
  const upd = (i: number, patch: Partial<QuestionDraft>) =>
    onChange(questions.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  return (
    <>
      {questions.map((q, i) => (
        <fieldset key={i}>
          <legend>{t('wizard.question', { n: i + 1 })}</legend>
          <TextArea
            label={t('wizard.questionText')}
            id={fieldId(`/body/questions/${i}/text`)}
            value={q.text}
            onChange={(e) => upd(i, { text: e.target.value })}
            error={fe(`/body/questions/${i}/text`)}
            rows={2}
          />
          <SelectField
            label={t('wizard.questionKind')}
            id={fieldId(`/body/questions/${i}/kind`)}
            value={q.kind}
            onChange={(e) => upd(i, { kind: e.target.value as QuestionDraft['kind'] })}
          >
            {(['yesno', 'single', 'multiple'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`questionKind.${k}`)}
              </option>
            ))}
          </SelectField>
          {q.kind !== 'yesno' ? (
            <TextArea
              label={t('wizard.choices')}
              id={fieldId(`/body/questions/${i}/choices`)}
              help={t('wizard.choicesHelp')}
              value={q.choices}
              onChange={(e) => upd(i, { choices: e.target.value })}
              error={fe(`/body/questions/${i}/choices`)}
              rows={4}
            />
          ) : null}
          {q.kind === 'multiple' ? (
            <div className="pv-row">
              <TextField
                type="number"
                min={0}
                label={t('wizard.minChoices')}
                id={fieldId(`/body/questions/${i}/minChoices`)}
                value={q.minChoices}
                onChange={(e) => upd(i, { minChoices: e.target.value })}
                error={fe(`/body/questions/${i}/minChoices`)}
              />
              <TextField
                type="number"
                min={1}
                label={t('wizard.maxChoices')}
                id={fieldId(`/body/questions/${i}/maxChoices`)}
                value={q.maxChoices}
                onChange={(e) => upd(i, { maxChoices: e.target.value })}
                error={fe(`/body/questions/${i}/maxChoices`)}
              />
            </div>
          ) : null}
          <div className="pv-radio">
            <input
              id={`pv-blank-${i}`}
              type="checkbox"
              checked={q.allowBlank}
              onChange={(e) => upd(i, { allowBlank: e.target.checked })}
            />
            <label htmlFor={`pv-blank-${i}`}>{t('wizard.allowBlank')}</label>
          </div>
          <TranslationFields
            fields={[
              { key: 'text', label: t('wizard.questionText'), multiline: true },
              ...(q.kind !== 'yesno'
                ? [{ key: 'choices', label: t('wizard.choices'), multiline: true, help: t('wizard.choicesTrHelp') }]
                : []),
            ]}
            value={q.tr}
            onChange={(tr) => upd(i, { tr })}
            errorOf={(f) => fe(`/body/questions/${i}/translations/${f}`)}
          />
          {questions.length > 1 ? (
            <button
              type="button"
              className="button-secondary small"
              onClick={() => onChange(questions.filter((_, j) => j !== i))}
            >
              {t('wizard.removeQuestion', { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      {fe('/body/questions') && !questions.some((_, i) => fe(`/body/questions/${i}`)) ? (
        <p className="field-error">{fe('/body/questions')}</p>
      ) : null}
      <button
        type="button"
        className="button-secondary small"
        onClick={() =>
          onChange([
            ...questions,
            { text: '', kind: 'single', choices: '', minChoices: '1', maxChoices: '1', allowBlank: false, tr: {} },
          ])
        }
      >
        {t('wizard.addQuestion')}
      </button>
    </>
  );
}
