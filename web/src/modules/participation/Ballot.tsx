import { useId, useMemo, useState, type FormEvent } from 'react';
import { Notice } from '../../components/ui';
import type { Answer, BudgetRules, Candidate, Choice, District, Idea, Question, Vote } from './api';
import { LocalBlock, LocalText } from '../../components/LocalText';
import { ChoiceLabel, euros, useChoiceLabel, useP } from './shared';

/**
 * The ballot form of every kind of vote: poll questions (one choice, several within min–max, yes
 * or no, blank), the village elder's candidates, and a participatory budget's ideas by district —
 * approval (at most N), knapsack (a budget meter that does not let the chosen ideas cost more than
 * the district's money) or cumulative (points to spread). Native radio buttons and check boxes in
 * fieldsets with legends, so it works with a screen reader and on a phone; the meter's text is a
 * polite live region. `onReview` gets the answers once they are complete and valid; the page then
 * shows the confirmation step. `preview` shows the ballot as voters will see it, without voting.
 */
export function Ballot(props: {
  vote: Vote;
  /** The voter's settlement unit (own-district budgets). */
  settlementCode?: string | null;
  ideas?: Idea[];
  candidates?: Candidate[];
  preview?: boolean;
  submitLabel?: string;
  initial?: Answer[];
  onReview(answers: Answer[]): void;
}) {
  const { vote } = props;
  const { t } = useP();
  const [chosen, setChosen] = useState<Record<number, number[]>>(() =>
    Object.fromEntries((props.initial ?? []).map((a) => [a.questionId, a.choiceIds])),
  );
  const [points, setPoints] = useState<Record<number, number>>(() => {
    const out: Record<number, number> = {};
    for (const a of props.initial ?? []) a.choiceIds.forEach((c, i) => (out[c] = a.points?.[i] ?? 0));
    return out;
  });
  const [errors, setErrors] = useState<string[]>([]);
  const rules = vote.rules.budget;
  const questions = vote.ballot.questions;

  const answers = (): Answer[] => {
    if (vote.kind === 'budget' && rules?.method === 'cumulative') {
      const q = questions[0]!;
      const ids = q.choices.filter((c) => (points[c.id] ?? 0) > 0).map((c) => c.id);
      return [{ questionId: q.id, choiceIds: ids, points: ids.map((id) => points[id]!) }];
    }
    return questions.map((q) => ({ questionId: q.id, choiceIds: chosen[q.id] ?? [] }));
  };

  const check = (): string[] => {
    const out: string[] = [];
    if (vote.kind === 'budget' && rules) {
      const q = questions[0]!;
      if (rules.method === 'cumulative') {
        const total = Object.values(points).reduce((a, b) => a + b, 0);
        if (total < 1) out.push(t('ballot.needPoints'));
        if (total > rules.points) out.push(t('ballot.tooManyPoints', { max: rules.points }));
        return out;
      }
      const ids = chosen[q.id] ?? [];
      const min = Math.max(1, rules.minChoices);
      if (ids.length < min) out.push(t('ballot.tooFewIdeas', { min }));
      if (rules.method === 'approval' && ids.length > rules.maxChoices)
        out.push(t('ballot.tooManyIdeas', { max: rules.maxChoices }));
      if (rules.method === 'knapsack') {
        for (const d of rules.districts) {
          const spent = spentIn(q, ids, d.id);
          if (spent > d.budgetCents) out.push(t('ballot.overBudget', { district: d.name }));
          if (
            ids.length &&
            rules.minSpentPercent > 0 &&
            spent > 0 &&
            spent * 100 < d.budgetCents * rules.minSpentPercent
          )
            out.push(t('ballot.underMinimum', { district: d.name, percent: rules.minSpentPercent }));
        }
      }
      return out;
    }
    for (const q of questions) {
      const ids = chosen[q.id] ?? [];
      const blank = ids.some((id) => q.choices.find((c) => c.id === id)?.blank);
      const min = q.kind === 'multiple' ? q.minChoices : 1;
      const max = q.kind === 'multiple' ? q.maxChoices : 1;
      if (blank) continue;
      if (ids.length < Math.max(1, min)) out.push(t('ballot.answer', { question: q.text }));
      else if (ids.length > max) out.push(t('ballot.tooMany', { question: q.text, max }));
    }
    return out;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = check();
    setErrors(problems);
    if (problems.length === 0) props.onReview(answers());
  };

  return (
    <form
      className="pv-ballot"
      onSubmit={submit}
      noValidate
      aria-label={props.preview ? t('ballot.previewLabel') : t('ballot.label')}
    >
      {props.preview ? <Notice kind="info">{t('ballot.previewNote')}</Notice> : null}
      {vote.kind === 'budget' && rules ? (
        <BudgetBallot
          vote={vote}
          rules={rules}
          ideas={props.ideas ?? []}
          settlementCode={props.settlementCode ?? null}
          chosen={chosen[questions[0]?.id ?? 1] ?? []}
          setChosen={(ids) => setChosen({ [questions[0]!.id]: ids })}
          points={points}
          setPoints={setPoints}
        />
      ) : (
        questions.map((q) => (
          <QuestionFields
            key={q.id}
            q={q}
            elder={vote.kind === 'elder'}
            candidates={props.candidates ?? []}
            chosen={chosen[q.id] ?? []}
            setChosen={(ids) => setChosen((c) => ({ ...c, [q.id]: ids }))}
          />
        ))
      )}
      {errors.length ? (
        <div className="notice notice-error" role="alert">
          <p>{t('ballot.fix')}</p>
          <ul>
            {errors.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <button type="submit" className="button" disabled={props.preview}>
        {props.submitLabel ?? t('ballot.continue')}
      </button>
    </form>
  );
}

function QuestionFields({
  q,
  elder,
  candidates,
  chosen,
  setChosen,
}: {
  q: Question;
  elder: boolean;
  candidates: Candidate[];
  chosen: number[];
  setChosen(ids: number[]): void;
}) {
  const { t } = useP();
  const id = useId();
  const multiple = q.kind === 'multiple';
  const hint = multiple
    ? q.minChoices === q.maxChoices
      ? t('ballot.chooseExactly', { n: q.maxChoices })
      : t('ballot.chooseRange', { min: Math.max(1, q.minChoices), max: q.maxChoices })
    : t('ballot.chooseOne');
  const toggle = (c: Choice, on: boolean) => {
    if (!multiple) return setChosen([c.id]);
    if (c.blank) return setChosen(on ? [c.id] : []);
    const rest = chosen.filter((x) => x !== c.id && !q.choices.find((y) => y.id === x)?.blank);
    setChosen(on ? [...rest, c.id] : rest);
  };
  const full = multiple && chosen.filter((x) => !q.choices.find((y) => y.id === x)?.blank).length >= q.maxChoices;
  return (
    <fieldset className="pv-question">
      <legend>
        <LocalText et={q.text} tr={q.translations?.text} />
      </legend>
      <p className="help" id={`${id}-hint`}>
        {hint}
      </p>
      <ul className="pv-choices">
        {q.choices.map((c) => {
          const on = chosen.includes(c.id);
          const cand = elder ? candidates.find((x) => x.id === c.candidateId) : undefined;
          return (
            <li key={c.id} className={on ? 'pv-on' : ''}>
              <input
                id={`${id}-${c.id}`}
                type={multiple ? 'checkbox' : 'radio'}
                name={`${id}-q${q.id}`}
                checked={on}
                disabled={multiple && !on && !c.blank && full}
                aria-describedby={cand?.statement ? `${id}-${c.id}-d` : `${id}-hint`}
                onChange={(e) => toggle(c, e.target.checked)}
              />
              <label htmlFor={`${id}-${c.id}`}>
                {elder ? <span className="pv-number">{c.id}.</span> : null} <ChoiceLabel choice={c} />
              </label>
              {cand?.statement ? (
                <LocalBlock
                  className="help pv-statement"
                  id={`${id}-${c.id}-d`}
                  et={cand.statement}
                  tr={cand.translations?.statement}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function spentIn(q: Question, ids: number[], districtId: number) {
  return q.choices
    .filter((c) => ids.includes(c.id) && c.districtId === districtId)
    .reduce((n, c) => n + (c.costCents ?? 0), 0);
}

function ownDistrict(rules: BudgetRules, settlementCode: string | null): District | null {
  if (rules.districts.length === 1 && rules.districts[0]!.settlementCodes.length === 0) return rules.districts[0]!;
  if (!settlementCode) return null;
  return (
    rules.districts.find((d) => d.settlementCodes.includes(settlementCode)) ??
    rules.districts.find((d) => d.settlementCodes.length === 0) ??
    null
  );
}

function BudgetBallot(props: {
  vote: Vote;
  rules: BudgetRules;
  ideas: Idea[];
  settlementCode: string | null;
  chosen: number[];
  setChosen(ids: number[]): void;
  points: Record<number, number>;
  setPoints(p: Record<number, number>): void;
}) {
  const { t, i18n } = useP();
  const id = useId();
  const { rules, chosen } = props;
  const q = props.vote.ballot.questions[0]!;
  const own = ownDistrict(rules, props.settlementCode);
  const districts = useMemo(
    () => (rules.ownDistrictOnly && own ? rules.districts.filter((d) => d.id === own.id) : rules.districts),
    [rules, own],
  );
  const idea = (c: Choice) => props.ideas.find((i) => i.id === c.ideaId);
  const totalPoints = Object.values(props.points).reduce((a, b) => a + b, 0);
  const methodHint =
    rules.method === 'approval'
      ? t('ballot.approvalHint', { max: rules.maxChoices })
      : rules.method === 'knapsack'
        ? t('ballot.knapsackHint')
        : t('ballot.cumulativeHint', { points: rules.points });

  return (
    <>
      <p className="pv-method">{methodHint}</p>
      {rules.ownDistrictOnly ? (
        <p className="help">{own ? t('ballot.ownDistrict', { district: own.name }) : t('ballot.noDistrict')}</p>
      ) : null}
      {rules.method === 'approval' ? (
        <p className="pv-counter" aria-live="polite">
          {t('ballot.chosenCount', { n: chosen.length, max: rules.maxChoices })}
        </p>
      ) : null}
      {rules.method === 'cumulative' ? (
        <div className="pv-meter-wrap">
          <span id={`${id}-pts`}>{t('ballot.pointsMeter')}</span>
          <meter aria-labelledby={`${id}-pts`} min={0} max={rules.points} value={totalPoints} />
          <p aria-live="polite" className="pv-meter-text">
            {t('ballot.pointsLeft', { used: totalPoints, total: rules.points, left: rules.points - totalPoints })}
          </p>
        </div>
      ) : null}
      {districts.map((d) => {
        const choices = q.choices.filter((c) => c.districtId === d.id);
        const spent = spentIn(q, chosen, d.id);
        const left = d.budgetCents - spent;
        return (
          <fieldset key={d.id} className="pv-question pv-district">
            <legend>
              {rules.districts.length > 1
                ? t('ballot.districtLegend', { district: d.name, budget: euros(d.budgetCents, i18n.language) })
                : t('ballot.ideasLegend', { budget: euros(d.budgetCents, i18n.language) })}
            </legend>
            {rules.method === 'knapsack' ? (
              <div className="pv-meter-wrap">
                <span id={`${id}-m${d.id}`}>{t('ballot.budgetMeter', { district: d.name })}</span>
                <meter aria-labelledby={`${id}-m${d.id}`} min={0} max={d.budgetCents} value={spent} />
                <p aria-live="polite" className="pv-meter-text">
                  {t('ballot.budgetLeft', {
                    spent: euros(spent, i18n.language),
                    budget: euros(d.budgetCents, i18n.language),
                    left: euros(left, i18n.language),
                  })}
                </p>
              </div>
            ) : null}
            <ul className="pv-choices pv-ideas">
              {choices.map((c) => {
                const on = chosen.includes(c.id);
                const cost = c.costCents ?? 0;
                const wontFit = rules.method === 'knapsack' && !on && cost > left;
                const full = rules.method === 'approval' && !on && chosen.length >= rules.maxChoices;
                const info = idea(c);
                const descId = `${id}-${c.id}-d`;
                if (rules.method === 'cumulative') {
                  const mine = props.points[c.id] ?? 0;
                  const max = Math.min(
                    rules.maxPointsPerIdea > 0 ? rules.maxPointsPerIdea : rules.points,
                    mine + (rules.points - totalPoints),
                  );
                  return (
                    <li key={c.id} className={mine > 0 ? 'pv-on' : ''}>
                      <label htmlFor={`${id}-${c.id}`}>
                        <span className="pv-idea-title">
                          <ChoiceLabel choice={c} />
                        </span>{' '}
                        <span className="pv-cost">{euros(cost, i18n.language)}</span>
                      </label>
                      <input
                        id={`${id}-${c.id}`}
                        type="number"
                        inputMode="numeric"
                        min={0}
                        max={max}
                        value={mine}
                        aria-describedby={descId}
                        onChange={(e) => {
                          const n = Math.max(0, Math.min(max, Math.floor(Number(e.target.value) || 0)));
                          props.setPoints({ ...props.points, [c.id]: n });
                        }}
                      />
                      <p className="help" id={descId}>
                        {info?.description ? (
                          <>
                            <LocalText et={info.description} tr={info.translations?.description} />{' '}
                          </>
                        ) : null}
                        {t('ballot.pointsFor', { max })}
                      </p>
                    </li>
                  );
                }
                return (
                  <li key={c.id} className={on ? 'pv-on' : wontFit ? 'pv-wont-fit' : ''}>
                    <input
                      id={`${id}-${c.id}`}
                      type="checkbox"
                      checked={on}
                      disabled={wontFit || full}
                      aria-describedby={descId}
                      onChange={(e) =>
                        props.setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))
                      }
                    />
                    <label htmlFor={`${id}-${c.id}`}>
                      <span className="pv-idea-title">
                        <ChoiceLabel choice={c} />
                      </span>{' '}
                      <span className="pv-cost">{euros(cost, i18n.language)}</span>
                    </label>
                    <p className="help" id={descId}>
                      {wontFit ? <strong>{t('ballot.wontFit', { left: euros(left, i18n.language) })} </strong> : null}
                      {info?.description ? (
                        <LocalText et={info.description} tr={info.translations?.description} />
                      ) : null}
                    </p>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        );
      })}
    </>
  );
}

/** The chosen answers in words (the confirmation step and the paper ballot list). */
export function AnswerSummary({ vote, answers }: { vote: Vote; answers: Answer[] }) {
  const { t } = useP();
  const label = useChoiceLabel();
  return (
    <dl className="pv-summary">
      {vote.ballot.questions.map((q) => {
        const a = answers.find((x) => x.questionId === q.id);
        const items = (a?.choiceIds ?? []).map((id, i) => {
          const c = q.choices.find((x) => x.id === id);
          return c ? `${label(c)}${a?.points ? ` — ${t('ballot.nPoints', { n: a.points[i] })}` : ''}` : String(id);
        });
        return (
          <div key={q.id}>
            <dt>
              {vote.kind === 'poll'
                ? q.text
                : vote.kind === 'elder'
                  ? t('ballot.yourCandidate')
                  : t('ballot.yourIdeas')}
            </dt>
            <dd>{items.length ? items.join('; ') : t('ballot.nothing')}</dd>
          </div>
        );
      })}
    </dl>
  );
}
