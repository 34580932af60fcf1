import { api } from '../../app/api';
import { ErrorNotice, Loading, TableWrap, formatDate, useLoad } from '../../components/ui';
import type { ChoiceResult, Explanation, Results, RuleComparison, Vote } from './api';
import { countingOf, voteApi } from './api';
import { euros, useChoiceLabel, useP } from './shared';

/** Why an idea was or was not funded, in a sentence (the API's explanation in words). */
export function useWhy() {
  const { t, i18n } = useP();
  const eur = (c: number | null) => (c === null ? '—' : euros(c, i18n.language));
  return (e: Explanation | undefined) => {
    if (!e) return '';
    const v = {
      place: e.place ?? '—',
      left: eur(e.moneyLeftCents),
      round: e.round ?? '—',
      price: eur(e.pricePerUnitCents),
      max: eur(e.maxPaymentCents),
      had: eur(e.supportersHadCents),
      payers: e.payers ?? 0,
      all: e.paidAllTheyHad ?? 0,
    };
    if (e.rule === 'equal-shares' && e.reason === 'funded') return t('pb.why.esFunded', v);
    if (e.rule === 'equal-shares' && e.reason === 'did-not-fit')
      return e.moneyLeftCents === null ? t('pb.why.esNotReached', v) : t('pb.why.esDidNotFit', v);
    if (e.reason === 'supporters-short')
      return e.round === null ? t('pb.why.supportersShortNoRound', v) : t('pb.why.supportersShort', v);
    return t(`pb.why.${e.reason}`, v);
  };
}

/**
 * The budget's counting as a chart: per idea, the money there was for it at its turn (greedy:
 * what was left; equal shares: what its supporters still had) against its cost. The table next to
 * it says the same in words and figures (the chart's text alternative).
 */
function FundingChart({ choices, tableId }: { choices: ChoiceResult[]; tableId: string }) {
  const { t, i18n } = useP();
  const label = useChoiceLabel();
  const rows = choices.filter((c) => c.costCents !== undefined && c.explanation);
  if (!rows.length) return null;
  const available = (c: ChoiceResult) => c.explanation!.supportersHadCents ?? c.explanation!.moneyLeftCents ?? 0;
  const max = Math.max(1, ...rows.map((c) => Math.max(c.costCents ?? 0, available(c))));
  const rowH = 26;
  const labelW = 34;
  const width = 320;
  const scale = (cents: number) => Math.max(0, ((width - labelW - 4) * cents) / max);
  return (
    <figure className="pv-chart">
      <figcaption id={`${tableId}-chart`}>{t('pb.chart.caption')}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${rows.length * rowH + 4}`}
        role="img"
        aria-labelledby={`${tableId}-chart`}
        aria-describedby={tableId}
        preserveAspectRatio="xMinYMin meet"
      >
        {rows.map((c, i) => {
          const y = i * rowH + 2;
          const name = `${label(c)}: ${t('pb.chart.cost')} ${euros(c.costCents ?? 0, i18n.language)}, ${t('pb.chart.available')} ${euros(available(c), i18n.language)}`;
          return (
            <g key={c.id}>
              <title>{name}</title>
              <text x={0} y={y + 15} className="pv-chart-label">
                {c.id}
              </text>
              <rect x={labelW} y={y} width={scale(available(c))} height={10} className="pv-chart-available" />
              <rect
                x={labelW}
                y={y + 11}
                width={scale(c.costCents ?? 0)}
                height={10}
                className={c.selected ? 'pv-chart-funded' : 'pv-chart-unfunded'}
              />
            </g>
          );
        })}
      </svg>
      <p className="pv-chart-legend">
        <span className="pv-chart-key pv-chart-available" aria-hidden="true" /> {t('pb.chart.availableKey')}{' '}
        <span className="pv-chart-key pv-chart-funded" aria-hidden="true" /> {t('pb.chart.fundedKey')}{' '}
        <span className="pv-chart-key pv-chart-unfunded" aria-hidden="true" /> {t('pb.chart.unfundedKey')}
      </p>
    </figure>
  );
}

/** Results of a closed vote: turnout, counts per choice (with bars), budget winners, the elected elder; downloads. */
export function ResultsView({ vote, results }: { vote: Vote; results: Results }) {
  const { t, i18n } = useP();
  const label = useChoiceLabel();
  const why = useWhy();
  const lang = i18n.language;
  const tu = results.turnout;
  const byPoints = ['cumulative', 'scoring', 'ordinal'].includes(vote.rules.budget?.method ?? '');
  const order = (q: Results['questions'][number]) =>
    [...q.choices].sort((a, b) => (vote.kind === 'poll' ? 0 : b.votes - a.votes || b.points - a.points));
  const dl = voteApi(vote.municipalityCode, vote.id);
  return (
    <section className="pv-results" aria-labelledby="pv-results-h">
      <h2 id="pv-results-h">{t('results.title')}</h2>
      <p>
        {results.status === 'published' && results.publishedAt
          ? t('results.published', { at: formatDate(results.publishedAt, lang, true) })
          : t('results.notYetPublic')}
      </p>
      <dl className="facts">
        <dt>{t('results.voters')}</dt>
        <dd>
          {tu.voters}
          {tu.electorateSize ? ` / ${tu.electorateSize} (${tu.percent ?? 0} %)` : ''}
        </dd>
        <dt>{t('results.channels')}</dt>
        <dd>
          {t('results.channelCounts', {
            internet: results.byChannel.internet,
            paper: results.byChannel.paper + results.byChannel.import,
          })}
        </dd>
        <dt>{t('results.ballots')}</dt>
        <dd>{results.ballots}</dd>
      </dl>
      {results.elder ? (
        <p className={`notice ${results.elder.status === 'elected' ? 'notice-success' : 'notice-warning'}`}>
          {results.elder.status === 'elected'
            ? t('results.elected', {
                name: results.questions[0]?.choices.find((c) => c.id === results.elder!.winnerChoiceId)?.label ?? '',
              })
            : t(`results.elder.${results.elder.status}`)}
          {results.elder.tie ? ` ${results.elder.tie.detail}` : ''}
        </p>
      ) : null}
      {results.questions.map((q) => (
        <div key={q.id} className="pv-result-question">
          <h3>
            {vote.kind === 'poll' ? q.text : vote.kind === 'elder' ? t('results.candidates') : t('results.ideas')}
          </h3>
          {vote.kind === 'budget' ? <FundingChart choices={order(q)} tableId={`pv-results-${q.id}`} /> : null}
          <TableWrap label={q.text}>
            <table id={`pv-results-${q.id}`}>
              <caption className="visually-hidden">{q.text}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('results.choice')}</th>
                  <th scope="col">{vote.kind === 'budget' && byPoints ? t('results.points') : t('results.votes')}</th>
                  <th scope="col">{t('results.share')}</th>
                  {vote.kind === 'budget' ? <th scope="col">{t('results.cost')}</th> : null}
                  {vote.kind !== 'poll' ? <th scope="col">{t('results.outcome')}</th> : null}
                  {vote.kind === 'budget' ? <th scope="col">{t('pb.why.title')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {order(q).map((c) => (
                  <tr key={c.id} className={c.selected ? 'pv-selected' : ''}>
                    <th scope="row">{label(c)}</th>
                    <td>{vote.kind === 'budget' && byPoints ? c.points : c.votes}</td>
                    <td>
                      <span className="pv-bar" aria-hidden="true">
                        <span style={{ width: `${Math.min(100, c.percent)}%` }} />
                      </span>{' '}
                      {c.percent} %
                    </td>
                    {vote.kind === 'budget' ? (
                      <td>{c.costCents !== undefined ? euros(c.costCents, lang) : ''}</td>
                    ) : null}
                    {vote.kind !== 'poll' ? (
                      <td>
                        {c.selected
                          ? c.pooled
                            ? t('results.fundedPool')
                            : vote.kind === 'elder'
                              ? t('results.winner')
                              : t('results.funded')
                          : '—'}
                      </td>
                    ) : null}
                    {vote.kind === 'budget' ? <td className="pv-why">{why(c.explanation)}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      ))}
      {results.budget ? (
        <>
          <h3>{t('results.districts')}</h3>
          <ul>
            {results.budget.districts.map((d) => (
              <li key={d.id}>
                {t('results.districtLine', {
                  name: d.name,
                  spent: euros(d.spentCents, lang),
                  budget: euros(d.budgetCents, lang),
                  voters: d.voters,
                })}
                {d.valid ? '' : ` ${t('results.districtInvalid', { min: d.minVoters })}`}
              </li>
            ))}
          </ul>
          {results.budget.pool ? (
            <p>
              {t('results.pool', {
                amount: euros(results.budget.pool.amountCents, lang),
                spent: euros(results.budget.pool.spentCents, lang),
              })}
            </p>
          ) : null}
          {results.budget.rule === 'equal-shares' ? (
            (results.budget.equalShares ?? []).map((es) => (
              <p className="help" key={es.districtId}>
                {t(`pb.esSummary.${results.budget!.utility === 'cardinality' ? 'cardinality' : 'cost'}`, {
                  voters: es.voters,
                  base: euros(es.baseShareCents, lang),
                  share: euros(es.shareCents, lang),
                  steps: es.steps,
                })}
              </p>
            ))
          ) : (
            <p className="help">{t('results.greedy', { variant: t(`greedy.${results.budget.greedy}`) })}</p>
          )}
        </>
      ) : null}
      {tu.bySettlement.length > 1 ? (
        <>
          <h3>{t('results.turnoutBySettlement')}</h3>
          <TableWrap label={t('results.turnoutBySettlement')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('results.settlement')}</th>
                  <th scope="col">{t('results.voters')}</th>
                </tr>
              </thead>
              <tbody>
                {tu.bySettlement.map((s) => (
                  <tr key={s.settlementCode ?? '-'}>
                    <th scope="row">{s.name ?? t('results.unknownSettlement')}</th>
                    <td>{s.voters}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
      <p className="pv-downloads">
        <a href={`${dl}/results.csv`} download>
          {t('results.csv')}
        </a>
        <a href={`${dl}/results.csv?part=turnout`} download>
          {t('results.csvTurnout')}
        </a>
        {vote.kind === 'budget' && (vote.rules.budget?.districts.length ?? 0) >= 1
          ? vote.rules.budget!.districts.map((d) => (
              <a key={d.id} href={`${dl}/results.pb?district=${d.id}`} download>
                {t('results.pabulib', { district: d.name })}
              </a>
            ))
          : null}
      </p>
    </section>
  );
}

/**
 * Before publishing: what each counting rule would fund with the same closed ballots, side by
 * side — the ideas that change against the vote's own rule, the money used and the share of
 * voters with at least one funded idea among their choices.
 */
export function RuleComparisonView({ vote, results }: { vote: Vote; results: Results }) {
  const { t, i18n } = useP();
  const label = useChoiceLabel();
  const cmp = useLoad(
    (signal) => api<RuleComparison>(`${voteApi(vote.municipalityCode, vote.id)}/results/compare`, { signal }),
    [vote.id],
  );
  const choices = new Map(results.questions.flatMap((q) => q.choices).map((c) => [c.id, c]));
  const names = (ids: number[]) => ids.map((id) => (choices.has(id) ? label(choices.get(id)!) : `#${id}`)).join('; ');
  return (
    <section className="pv-compare" aria-labelledby="pv-compare-h">
      <h2 id="pv-compare-h">{t('pb.compare.title')}</h2>
      <p>{t('pb.compare.help')}</p>
      {cmp.error ? <ErrorNotice error={cmp.error} /> : null}
      {cmp.data ? (
        <TableWrap label={t('pb.compare.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('pb.countingLabel')}</th>
                <th scope="col">{t('pb.compare.funded')}</th>
                <th scope="col">{t('pb.compare.spent')}</th>
                <th scope="col">{t('pb.compare.voters')}</th>
                <th scope="col">{t('pb.compare.added')}</th>
                <th scope="col">{t('pb.compare.removed')}</th>
              </tr>
            </thead>
            <tbody>
              {cmp.data.variants.map((v) => (
                <tr key={`${v.rule}-${v.greedy}-${v.utility}`} className={v.current ? 'pv-selected' : ''}>
                  <th scope="row">
                    {t(`pb.counting.${countingOf(v)}`)}
                    {v.current ? ` (${t('pb.compare.current')})` : ''}
                  </th>
                  <td>{v.winners.length}</td>
                  <td>{euros(v.spentCents, i18n.language)}</td>
                  <td>{v.votersWithFundedPercent} %</td>
                  <td>{v.current ? '—' : names(v.added) || '—'}</td>
                  <td>{v.current ? '—' : names(v.removed) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : cmp.error ? null : (
        <Loading />
      )}
    </section>
  );
}
