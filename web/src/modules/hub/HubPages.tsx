import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TextArea,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';

interface Summary {
  slug: string;
  kind: string;
  visibility: string;
  status: string;
  topics: string[];
  eitsModules: string[];
  title: string;
  summary: string;
  snippet: string;
  helped: number;
  updatedAt: string;
}
interface Article extends Omit<Summary, 'snippet' | 'helped'> {
  body: string;
  version: number;
  tags: string[];
  attachments: { id: string; filename: string; sizeBytes: number; url: string }[];
  comments: { id: string; body: string; authorName: string; createdAt: string }[];
  helped: { count: number; mine: boolean };
  canEdit: boolean;
}

const KINDS = ['article', 'guide', 'template', 'standard_solution'];
const TOPICS = ['security', 'data', 'services', 'it_management'];

/** Text between « and » (the search match) shown as <mark>, safely. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/[«»]/);
  return (
    <p className="hub-snippet">{parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}</p>
  );
}

export function HubList() {
  const { t } = useTranslation('hub');
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const topic = params.get('topic') ?? '';
  const kind = params.get('kind') ?? '';
  const [text, setText] = useState(q);
  const list = useLoad(
    (signal) => {
      const s = new URLSearchParams();
      if (q) s.set('q', q);
      if (topic) s.set('topic', topic);
      if (kind) s.set('kind', kind);
      return api<Summary[]>(`/api/v1/hub/articles?${s}`, { signal });
    },
    [q, topic, kind, session.me?.authenticated],
  );
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set('q', text.trim());
  };
  const canWrite =
    session.me?.platformAdmin || session.me?.roles.some((r) => r.role === 'admin' || r.role === 'editor');
  return (
    <Page title={t('list.title')} lead={t('list.lead')}>
      {!session.isOfficial && !session.loading ? <Notice>{t('list.publicOnly')}</Notice> : null}
      <form className="form hub-search" role="search" onSubmit={submit}>
        <TextField
          label={t('list.search')}
          help={t('list.searchHelp')}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          name="q"
        />
        <div className="hub-filters">
          <SelectField label={t('list.topic')} value={topic} onChange={(e) => set('topic', e.target.value)}>
            <option value="">{t('list.all')}</option>
            {TOPICS.map((x) => (
              <option key={x} value={x}>
                {t(`topics.${x}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('list.kind')} value={kind} onChange={(e) => set('kind', e.target.value)}>
            <option value="">{t('list.all')}</option>
            {KINDS.map((x) => (
              <option key={x} value={x}>
                {t(`kinds.${x}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <button type="submit" className="button">
          {t('list.submit')}
        </button>
      </form>
      {canWrite ? (
        <p>
          <Link to="/teadmised/uus">{t('list.write')}</Link>
        </p>
      ) : null}
      <h2>{t('list.results')}</h2>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <>
          <p role="status">{t('list.count', { count: list.data.length })}</p>
          {list.data.length === 0 ? <p>{t('list.none')}</p> : null}
          <ul className="hub-results">
            {list.data.map((a) => (
              <li key={a.slug} className="card">
                <h3>
                  <Link to={`/teadmised/${a.slug}`}>{a.title}</Link>
                </h3>
                <p className="muted">
                  {t(`kinds.${a.kind}`)} · {a.topics.map((x) => t(`topics.${x}`)).join(', ')}
                  {a.visibility === 'public' ? ` · ${t('list.public')}` : ''}
                  {a.status === 'draft' ? ` · ${t('list.draft')}` : ''} · {t('list.helped', { count: a.helped })}
                </p>
                {a.snippet ? <Snippet text={a.snippet} /> : <p>{a.summary}</p>}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

export function ArticlePage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation('hub');
  const session = useSession();
  const a = useLoad(
    (signal) => api<Article>(`/api/v1/hub/articles/${slug}`, { signal }),
    [slug, session.me?.authenticated],
  );
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  if (a.loading) return <Loading />;
  if (a.error || !a.data) return <ErrorNotice error={a.error} onRetry={a.reload} />;
  const art = a.data;
  const helped = async (on: boolean) => {
    try {
      await api(`/api/v1/hub/articles/${slug}/helped`, { method: on ? 'PUT' : 'DELETE' });
      a.reload();
    } catch (err) {
      setError(err);
    }
  };
  const send = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api(`/api/v1/hub/articles/${slug}/comments`, { method: 'POST', body: { body: comment } });
      setComment('');
      a.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={art.title} lead={art.summary}>
      <p>
        <Link to="/teadmised">{t('article.back')}</Link>
        {art.canEdit ? (
          <>
            {' · '}
            <Link to={`/teadmised/${slug}/muuda`}>{t('article.edit')}</Link>
          </>
        ) : null}
      </p>
      <p className="muted">
        {t(`kinds.${art.kind}`)} ·{' '}
        {t('article.version', { version: art.version, date: formatDate(art.updatedAt, i18n.language) })}
        {art.eitsModules.length ? ` · ${t('article.modules')}: ${art.eitsModules.join(', ')}` : ''}
      </p>
      <div className="hub-body">
        {art.body.split(/\n\s*\n/).map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
      {art.attachments.length ? (
        <>
          <h2>{t('article.attachments')}</h2>
          <ul>
            {art.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.url}>{f.filename}</a> <span className="muted">({Math.ceil(f.sizeBytes / 1024)} kB)</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {session.isOfficial ? (
        <>
          <p>{t('article.helpedCount', { count: art.helped.count })}</p>
          <button
            type="button"
            className={art.helped.mine ? 'button-secondary' : 'button'}
            aria-pressed={art.helped.mine}
            onClick={() => void helped(!art.helped.mine)}
          >
            {art.helped.mine ? t('article.unhelp') : t('article.helped')}
          </button>
          <h2>{t('article.comments')}</h2>
          {art.comments.length === 0 ? <p>{t('article.noComments')}</p> : null}
          <ul className="hub-comments">
            {art.comments.map((c) => (
              <li key={c.id}>
                <p className="muted">
                  {c.authorName} · {formatDate(c.createdAt, i18n.language, true)}
                </p>
                <p>{c.body}</p>
              </li>
            ))}
          </ul>
          <form className="form" onSubmit={send}>
            <TextArea
              label={t('article.comment')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              required
              maxLength={4000}
              rows={3}
            />
            <button type="submit" className="button" disabled={!comment.trim()}>
              {t('article.send')}
            </button>
          </form>
        </>
      ) : null}
    </Page>
  );
}

export function ArticleEditor() {
  const { slug } = useParams();
  const { t } = useTranslation('hub');
  const session = useSession();
  const navigate = useNavigate();
  const existing = useLoad(
    (signal) => (slug ? api<Article>(`/api/v1/hub/articles/${slug}`, { signal }) : Promise.resolve(undefined)),
    [slug],
  );
  const [form, setForm] = useState<Record<string, string> | undefined>();
  const [error, setError] = useState<unknown>();
  const isElvlEditor =
    session.me?.platformAdmin ||
    session.me?.roles.some((r) => r.municipalityCode === '0000' && (r.role === 'editor' || r.role === 'admin'));
  const canWrite =
    session.me?.platformAdmin || session.me?.roles.some((r) => r.role === 'admin' || r.role === 'editor');
  if (existing.loading) return <Loading />;
  const a = existing.data;
  const f = form ?? {
    title: a?.title ?? '',
    summary: a?.summary ?? '',
    body: a?.body ?? '',
    kind: a?.kind ?? 'guide',
    visibility: a?.visibility ?? 'officials',
    topics: (a?.topics ?? ['security']).join(','),
    modules: (a?.eitsModules ?? []).join(', '),
    changeNote: '',
  };
  const set = (k: string, v: string) => setForm({ ...f, [k]: v });
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body = {
      title: f.title,
      summary: f.summary,
      body: f.body,
      kind: f.kind,
      visibility: f.visibility,
      topics: f.topics!.split(',').filter(Boolean),
      eitsModules: f
        .modules!.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      ...(slug ? { changeNote: f.changeNote } : {}),
    };
    try {
      const r = await api<{ slug: string }>(slug ? `/api/v1/hub/articles/${slug}` : '/api/v1/hub/articles', {
        method: slug ? 'PUT' : 'POST',
        body,
      });
      navigate(`/teadmised/${r.slug}`);
    } catch (err) {
      setError(err);
    }
  };
  const title = slug ? t('editor.editTitle') : t('editor.newTitle');
  if (!canWrite) {
    return (
      <Page title={title}>
        <Notice kind="warning">{t('editor.notAuthor')}</Notice>
      </Page>
    );
  }
  return (
    <Page title={title}>
      {error && !(error instanceof ApiError && error.errors.length) ? <ErrorNotice error={error} /> : null}
      <form className="form" onSubmit={save} noValidate>
        <TextField
          label={t('editor.title')}
          value={f.title}
          onChange={(e) => set('title', e.target.value)}
          required
          maxLength={200}
          error={fieldError('/body/title')}
        />
        <TextField
          label={t('editor.summary')}
          value={f.summary}
          onChange={(e) => set('summary', e.target.value)}
          maxLength={1000}
        />
        <TextArea
          label={t('editor.body')}
          help={t('editor.bodyHelp')}
          value={f.body}
          onChange={(e) => set('body', e.target.value)}
          rows={12}
          required
          error={fieldError('/body/body')}
        />
        <SelectField label={t('editor.kind')} value={f.kind} onChange={(e) => set('kind', e.target.value)}>
          {KINDS.map((x) => (
            <option key={x} value={x}>
              {t(`kinds.${x}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('editor.visibility')}
          value={f.visibility}
          onChange={(e) => set('visibility', e.target.value)}
        >
          <option value="officials">{t('editor.officials')}</option>
          {isElvlEditor ? <option value="public">{t('editor.public')}</option> : null}
        </SelectField>
        <SelectField
          label={t('editor.topics')}
          value={f.topics!.split(',')[0] ?? 'security'}
          onChange={(e) => set('topics', e.target.value)}
        >
          {TOPICS.map((x) => (
            <option key={x} value={x}>
              {t(`topics.${x}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('editor.modules')}
          help={t('editor.modulesHelp')}
          value={f.modules}
          onChange={(e) => set('modules', e.target.value)}
          error={fieldError('/body/eitsModules/0')}
        />
        {slug ? (
          <TextField
            label={t('editor.changeNote')}
            value={f.changeNote}
            onChange={(e) => set('changeNote', e.target.value)}
            maxLength={500}
          />
        ) : null}
        <button type="submit" className="button">
          {t('editor.save')}
        </button>
      </form>
    </Page>
  );
}
