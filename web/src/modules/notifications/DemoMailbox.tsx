import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Page, TableWrap, TextField, formatDate, useLoad } from '../../components/ui';

interface Summary {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
}

/**
 * The demo mailbox: what the platform sent to the local mail catcher (demo mode and
 * development). Anyone may read it — the demo population is synthetic, like the demo login.
 */
export function DemoMailboxPage() {
  const { t, i18n } = useTranslation('notifications');
  const [search, setSearch] = useSearchParams();
  const to = search.get('to') ?? '';
  const [filter, setFilter] = useState(to);
  const list = useLoad(
    (signal) =>
      api<{ received: number; messages: Summary[] }>(`/api/v1/demo/mail${to ? `?to=${encodeURIComponent(to)}` : ''}`, {
        signal,
      }),
    [to],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch(filter.trim() ? { to: filter.trim() } : {});
  };
  return (
    <Page title={t('demo.title')} lead={t('demo.lead')}>
      <form className="form form-inline" onSubmit={submit} role="search">
        <TextField label={t('demo.filter')} type="email" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="submit">{t('demo.show')}</button>
      </form>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data ? <p>{t('demo.received', { count: list.data.received })}</p> : null}
      {list.data && list.data.messages.length === 0 ? <p>{t('demo.none')}</p> : null}
      {list.data?.messages.length ? (
        <TableWrap label={t('demo.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('demo.at')}</th>
                <th scope="col">{t('demo.to')}</th>
                <th scope="col">{t('demo.subject')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.messages.map((m) => (
                <tr key={m.id}>
                  <td>{formatDate(m.receivedAt, i18n.language, true)}</td>
                  <td>{m.to.join(', ')}</td>
                  <td>
                    <Link to={`/demo-post/${m.id}`}>{m.subject || '—'}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}

interface Full extends Summary {
  messageId: string | null;
  text: string;
  hasHtml: boolean;
  headers: Record<string, string>;
}

export function DemoMessagePage() {
  const { t, i18n } = useTranslation('notifications');
  const { id } = useParams();
  const mail = useLoad((signal) => api<Full>(`/api/v1/demo/mail/${id}`, { signal }), [id]);
  if (mail.loading && !mail.data) return <Loading />;
  if (mail.error) return <ErrorNotice error={mail.error} />;
  const m = mail.data!;
  const links = [...m.text.matchAll(/https?:\/\/[^\s>]+/g)].map((x) => x[0]);
  const shown = ['from', 'to', 'date', 'list-unsubscribe', 'list-unsubscribe-post', 'content-language', 'message-id'];
  return (
    <Page title={m.subject || '—'}>
      <p>
        <Link to="/demo-post">{t('demo.back')}</Link>
      </p>
      <dl className="facts">
        <dt>{t('demo.at')}</dt>
        <dd>{formatDate(m.receivedAt, i18n.language, true)}</dd>
        <dt>{t('demo.to')}</dt>
        <dd>{m.to.join(', ')}</dd>
      </dl>
      {links.length ? (
        <>
          <h2>{t('demo.links')}</h2>
          <ul className="mail-links">
            {links.map((l, i) => (
              <li key={i}>
                <a href={l}>{l}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('demo.text')}</h2>
      <pre className="mail-text">{m.text}</pre>
      {m.hasHtml ? (
        <>
          <h2>{t('demo.html')}</h2>
          <iframe
            className="mail-html"
            title={t('demo.htmlFrame')}
            src={`/api/v1/demo/mail/${m.id}/html`}
            sandbox="allow-popups allow-popups-to-escape-sandbox"
          />
        </>
      ) : null}
      <h2>{t('demo.headers')}</h2>
      <dl className="facts mail-headers">
        {shown
          .filter((h) => m.headers[h])
          .map((h) => (
            <div key={h}>
              <dt>{h}</dt>
              <dd>{m.headers[h]}</dd>
            </div>
          ))}
      </dl>
    </Page>
  );
}
