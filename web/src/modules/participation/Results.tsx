import { TableWrap, formatDate } from '../../components/ui';
import type { Results, Vote } from './api';
import { voteApi } from './api';
import { euros, useChoiceLabel, useP } from './shared';

/** Results of a closed vote: turnout, counts per choice (with bars), budget winners, the elected elder; downloads. */
export function ResultsView({ vote, results }: { vote: Vote; results: Results }) {
  const { t, i18n } = useP();
  const label = useChoiceLabel();
  const lang = i18n.language;
  const tu = results.turnout;
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
          <TableWrap label={q.text}>
            <table>
              <caption className="visually-hidden">{q.text}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('results.choice')}</th>
                  <th scope="col">
                    {vote.kind === 'budget' && vote.rules.budget?.method === 'cumulative'
                      ? t('results.points')
                      : t('results.votes')}
                  </th>
                  <th scope="col">{t('results.share')}</th>
                  {vote.kind === 'budget' ? <th scope="col">{t('results.cost')}</th> : null}
                  {vote.kind !== 'poll' ? <th scope="col">{t('results.outcome')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {[...q.choices]
                  .sort((a, b) => (vote.kind === 'poll' ? 0 : b.votes - a.votes || b.points - a.points))
                  .map((c) => (
                    <tr key={c.id} className={c.selected ? 'pv-selected' : ''}>
                      <th scope="row">{label(c)}</th>
                      <td>
                        {vote.kind === 'budget' && vote.rules.budget?.method === 'cumulative' ? c.points : c.votes}
                      </td>
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
          <p className="help">{t('results.greedy', { variant: t(`greedy.${results.budget.greedy}`) })}</p>
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
