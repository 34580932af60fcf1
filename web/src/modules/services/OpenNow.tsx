import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { nowUrl } from '../../app/now';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, formatDate, useLoad } from '../../components/ui';
import { useLang } from './shared';
import type { OpenNow, PersonalItem } from '../../../../src/modules/services/contract';

type Item = PersonalItem;
type Now = OpenNow;
type Kinds = OpenNow['open'];

/** Links within the app go through the router (no reload); the API gives absolute URLs. */
function ItemLink({ item }: { item: Item }) {
  // In-app links stay in the app; the survey page is served by the server (it can be framed
  // anywhere), so it is a full navigation like any outside link.
  const inApp =
    item.url.startsWith(window.location.origin) && !item.url.startsWith(`${window.location.origin}/survey/`);
  const path = inApp ? item.url.slice(window.location.origin.length) : null;
  const lang = item.untranslated ? 'et' : undefined;
  return path ? (
    <Link to={path} lang={lang}>
      {item.title}
    </Link>
  ) : (
    <a href={item.url} lang={lang}>
      {item.title}
    </a>
  );
}

/**
 * "What is open for me now" (issue 17), on the home page and "Minu vald": for a logged-in
 * resident the votes they can take part in (and which they voted in), surveys waiting, their
 * reports with status and events they registered for; for everybody what is open in the chosen
 * municipality (votes, live and coming council sittings). One request (`/api/v1/now`).
 */
export function OpenNow({ personal = true }: { personal?: boolean }) {
  const { t, i18n } = useTranslation('services');
  const lang = useLang();
  const session = useSession();
  const m = useMunicipality();
  const code = m.selected || null;
  const now = useLoad(
    (signal) => (session.loading ? Promise.resolve(undefined) : api<Now>(nowUrl(lang, code), { signal })),
    [lang, code, session.loading, session.me?.authenticated],
  );
  const d = now.data;
  const when = (i: Item) =>
    i.kind === 'sitting'
      ? i.status === 'live'
        ? null
        : formatDate(i.at!, i18n.language, true)
      : i.due && i.kind !== 'report'
        ? i.kind === 'survey'
          ? t('minu.answerBy', { date: formatDate(i.due, i18n.language) })
          : t('now.until', { date: formatDate(i.due, i18n.language, true) })
        : null;
  const list = (items: Item[], showPlace: boolean) => (
    <ul className="svc-list">
      {items.map((i) => {
        const w = when(i);
        return (
          <li key={`${i.kind}:${i.id}`}>
            <ItemLink item={i} />
            {i.untranslated ? <span className="untranslated-mark"> ({t('common:untranslated.short')})</span> : null}
            {showPlace && i.municipalityCode !== '0000' ? (
              <span className="muted"> · {m.nameOf(i.municipalityCode)}</span>
            ) : null}
            {i.kind !== 'survey' && i.status ? (
              <>
                {' '}
                <span
                  className={`svc-state${i.status === 'voted' || i.status === 'registered' ? ' svc-state-done' : ''}${i.status === 'live' ? ' svc-state-live' : ''}`}
                >
                  {t(`minu.state.${i.status}`, { defaultValue: i.status })}
                </span>
              </>
            ) : null}
            {w ? <div className="muted">{w}</div> : null}
          </li>
        );
      })}
    </ul>
  );
  const section = (kinds: Kinds | null | undefined, kind: string, title: string, empty: string, showPlace = true) => {
    const k = kinds?.[kind];
    return (
      <section key={kind} aria-label={title}>
        <h2>{title}</h2>
        {!k ? (
          <p className="muted">{t('minu.notYet')}</p>
        ) : k.error ? (
          <Notice kind="warning">{t('minu.unavailable')}</Notice>
        ) : k.items.length === 0 ? (
          <p>{empty}</p>
        ) : (
          list(k.items, showPlace)
        )}
      </section>
    );
  };
  if (now.loading && !d) return <Loading />;
  if (now.error) return <ErrorNotice error={now.error} onRetry={now.reload} />;
  if (!d) return null;
  const mineVotes = new Set((d.mine?.vote?.items ?? []).map((v) => v.id));
  const openHere: Kinds = {
    ...d.open,
    ...(d.open.vote ? { vote: { ...d.open.vote, items: d.open.vote.items.filter((v) => !mineVotes.has(v.id)) } } : {}),
  };
  const place = code ? m.nameOf(code) : '';
  return (
    <div className="open-now">
      {personal && d.mine ? (
        <div className="svc-two">
          {section(d.mine, 'vote', t('minu.votes'), t('now.noVotes'))}
          {section(d.mine, 'survey', t('minu.surveys'), t('minu.noSurveys'))}
          {section(d.mine, 'report', t('minu.reports'), t('minu.noItems'))}
          {section(d.mine, 'event', t('now.events'), t('now.noEvents'), false)}
        </div>
      ) : null}
      {code ? (
        <div className="svc-two">
          {section(
            openHere,
            'vote',
            d.mine ? t('now.otherVotesIn', { name: place }) : t('now.votesIn', { name: place }),
            t('now.noOpenVotes'),
            false,
          )}
          {section(openHere, 'sitting', t('now.sittingsIn', { name: place }), t('now.noSittings'), false)}
        </div>
      ) : (
        <p>{t('now.chooseMunicipality')}</p>
      )}
    </div>
  );
}
