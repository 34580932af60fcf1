import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextArea,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { councilApi, type Council, type SittingDetail, type SittingSummary } from './api';
import { NoticeWarning, RuleText, StatusBadge, sittingPath, useCouncilT } from './shared';

/** Officials (admins, editors) keep the composition and prepare sittings: agenda, documents, publication. */
export function ManagePage() {
  return (
    <RequireLogin>
      <Manage />
    </RequireLogin>
  );
}

const api1 = (code: string) => `/api/v1/municipalities/${code}`;

function useAction() {
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await fn();
      setMessage(ok);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const field = (pointer: string) => (error instanceof ApiError ? error.fieldError(pointer) : undefined);
  const feedback: ReactNode = (
    <>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error && !(error instanceof ApiError && error.errors.length) ? <ErrorNotice error={error} /> : null}
      {error instanceof ApiError && error.errors.length ? <Notice kind="error">{error.detail}</Notice> : null}
    </>
  );
  return { run, busy, field, feedback };
}

function Manage() {
  const { t } = useCouncilT();
  const { code = '' } = useParams();
  const session = useSession();
  const allowed = session.municipalitiesWith(['admin', 'editor']).some((x) => x === code || x === '*');
  const [tick, setTick] = useState(0);
  const council = useLoad((signal) => api<Council>(councilApi(code), { signal }).catch(() => null), [code, tick]);
  if (!allowed) {
    return (
      <Page title={t('manage.title')}>
        <Notice kind="warning">{t('manage.notAllowed')}</Notice>
      </Page>
    );
  }
  return (
    <Page title={t('manage.title')} lead={t('manage.lead')}>
      <p>
        <Link to={`/volikogu/${code}`}>{t('archive.back')}</Link>
      </p>
      {council.loading && council.data === undefined ? <Loading /> : null}
      {council.data === null ? <CreateCouncil code={code} done={() => setTick((n) => n + 1)} /> : null}
      {council.data ? (
        <>
          <Composition code={code} council={council.data} reload={() => setTick((n) => n + 1)} />
          <Sittings code={code} council={council.data} />
        </>
      ) : null}
    </Page>
  );
}

function CreateCouncil({ code, done }: { code: string; done: () => void }) {
  const { t } = useCouncilT();
  const a = useAction();
  const [name, setName] = useState('');
  const [seats, setSeats] = useState('21');
  const [termStart, setTermStart] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await a.run(
        () =>
          api(`${api1(code)}/councils`, {
            method: 'POST',
            body: { name: name.trim(), seats: Number(seats), termStart },
          }),
        t('manage.created'),
      )
    )
      done();
  };
  return (
    <section aria-labelledby="create-council">
      <h2 id="create-council">{t('manage.createCouncil')}</h2>
      {a.feedback}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('manage.councilName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={a.field('/body/name')}
          required
        />
        <TextField
          label={t('manage.seats')}
          help={t('manage.seatsHelp')}
          type="number"
          min={7}
          max={79}
          value={seats}
          onChange={(e) => setSeats(e.target.value)}
          error={a.field('/body/seats')}
          required
        />
        <TextField
          label={t('manage.termStart')}
          type="date"
          value={termStart}
          onChange={(e) => setTermStart(e.target.value)}
          error={a.field('/body/termStart')}
          required
        />
        <button type="submit" className="button" disabled={a.busy}>
          {t('manage.create')}
        </button>
      </form>
    </section>
  );
}

function Composition({ code, council, reload }: { code: string; council: Council; reload: () => void }) {
  const { t } = useCouncilT();
  const a = useAction();
  const [faction, setFaction] = useState('');
  const [idCode, setIdCode] = useState('');
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [kind, setKind] = useState<'elected' | 'substitute'>('elected');
  const [factionId, setFactionId] = useState('');
  const base = `${api1(code)}/councils/${council.id}`;
  const addFaction = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await a.run(
        () => api(`${base}/factions`, { method: 'POST', body: { name: faction.trim() } }),
        t('manage.factionAdded'),
      )
    ) {
      setFaction('');
      reload();
    }
  };
  const addMember = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      idCode: idCode.trim(),
      kind,
      ...(factionId ? { factionId } : {}),
      ...(givenName.trim() ? { givenName: givenName.trim() } : {}),
      ...(familyName.trim() ? { familyName: familyName.trim() } : {}),
    };
    if (await a.run(() => api(`${base}/members`, { method: 'POST', body }), t('manage.memberAdded'))) {
      setIdCode('');
      setGivenName('');
      setFamilyName('');
      reload();
    }
  };
  const act = (path: string, body: unknown, ok: string, method = 'POST') =>
    void a.run(() => api(`${base}/members/${path}`, { method, body }), ok).then((r) => r && reload());
  return (
    <section aria-labelledby="composition">
      <h2 id="composition">{t('manage.composition', { name: council.name })}</h2>
      <p>
        {t('home.compositionFacts', {
          seats: council.seats,
          acting: council.acting,
          needed: council.quorum.needed,
          termStart: council.termStart,
        })}
      </p>
      {a.feedback}
      <TableWrap label={t('manage.composition', { name: council.name })}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('member.name')}</th>
              <th scope="col">{t('member.faction')}</th>
              <th scope="col">{t('manage.mandate')}</th>
              <th scope="col">{t('chair.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {council.members
              .filter((m) => m.status !== 'ended')
              .map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.name}
                    {m.office ? ` (${t(`office.${m.office}`)})` : ''}
                  </td>
                  <td>{m.faction ?? '—'}</td>
                  <td>
                    {t(`kind.${m.kind}`)}, {t(`mandate.${m.status}`)}
                  </td>
                  <td className="council-inline">
                    {m.status === 'active' && m.office !== 'chair' ? (
                      <button
                        type="button"
                        className="button-secondary small"
                        disabled={a.busy}
                        aria-label={t('manage.makeChairLabel', { name: m.name })}
                        onClick={() => act(`${m.id}/office`, { office: 'chair' }, t('manage.officeSet'), 'PUT')}
                      >
                        {t('manage.makeChair')}
                      </button>
                    ) : null}
                    {m.status === 'active' && !m.office ? (
                      <button
                        type="button"
                        className="button-secondary small"
                        disabled={a.busy}
                        aria-label={t('manage.makeViceLabel', { name: m.name })}
                        onClick={() => act(`${m.id}/office`, { office: 'vice_chair' }, t('manage.officeSet'), 'PUT')}
                      >
                        {t('manage.makeVice')}
                      </button>
                    ) : null}
                    {m.status === 'active' && m.kind === 'elected' && !m.replacesMemberId ? (
                      <button
                        type="button"
                        className="button-secondary small"
                        disabled={a.busy}
                        aria-label={t('manage.suspendLabel', { name: m.name })}
                        onClick={() => act(`${m.id}/mandate`, { action: 'suspend' }, t('manage.suspended'))}
                      >
                        {t('manage.suspend')}
                      </button>
                    ) : null}
                    {m.status === 'suspended' ? (
                      <button
                        type="button"
                        className="button-secondary small"
                        disabled={a.busy}
                        aria-label={t('manage.restoreLabel', { name: m.name })}
                        onClick={() => act(`${m.id}/mandate`, { action: 'restore' }, t('manage.restored'))}
                      >
                        {t('manage.restore')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>{t('manage.addFaction')}</h3>
      <form className="form council-inline" onSubmit={addFaction} noValidate>
        <TextField
          label={t('manage.factionName')}
          value={faction}
          onChange={(e) => setFaction(e.target.value)}
          required
        />
        <button type="submit" className="button-secondary" disabled={a.busy}>
          {t('manage.add')}
        </button>
      </form>
      <h3>{t('manage.addMember')}</h3>
      <form className="form" onSubmit={addMember} noValidate>
        <TextField
          label={t('manage.idCode')}
          help={t('manage.idCodeHelp')}
          inputMode="numeric"
          maxLength={11}
          value={idCode}
          onChange={(e) => setIdCode(e.target.value)}
          error={a.field('/body/idCode')}
          required
          autoComplete="off"
        />
        <TextField
          label={t('manage.givenName')}
          value={givenName}
          onChange={(e) => setGivenName(e.target.value)}
          autoComplete="off"
        />
        <TextField
          label={t('manage.familyName')}
          value={familyName}
          onChange={(e) => setFamilyName(e.target.value)}
          autoComplete="off"
        />
        <SelectField
          label={t('manage.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as 'elected' | 'substitute')}
        >
          <option value="elected">{t('kind.elected')}</option>
          <option value="substitute">{t('kind.substitute')}</option>
        </SelectField>
        <SelectField
          label={t('member.faction')}
          value={factionId}
          onChange={(e) => setFactionId(e.target.value)}
          error={a.field('/body/factionId')}
        >
          <option value="">—</option>
          {council.factions.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button" disabled={a.busy}>
          {t('manage.add')}
        </button>
      </form>
    </section>
  );
}

function Sittings({ code, council }: { code: string; council: Council }) {
  const { t, i18n } = useCouncilT();
  const a = useAction();
  const [tick, setTick] = useState(0);
  const sittings = useLoad(
    (signal) => api<SittingSummary[]>(`${councilApi(code)}/sittings?councilId=${council.id}`, { signal }),
    [code, council.id, tick],
  );
  const officials = useLoad(
    (signal) =>
      api<{ personId: string; name: string; idCodeMasked: string }[]>(`${councilApi(code)}/officials`, { signal }),
    [code],
  );
  const [selected, setSelected] = useState<string>();
  const [title, setTitle] = useState('Volikogu korraline istung');
  const [format, setFormat] = useState<'in_person' | 'virtual' | 'hybrid'>('hybrid');
  const [startsAt, setStartsAt] = useState('');
  const [place, setPlace] = useState('');
  const [link, setLink] = useState('');
  const [secretaryId, setSecretaryId] = useState('');
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const when = startsAt ? new Date(startsAt).toISOString() : '';
    const body = {
      title: title.trim(),
      format,
      startsAt: when,
      ...(place.trim() ? { place: place.trim() } : {}),
      ...(link.trim() ? { link: link.trim() } : {}),
      ...(secretaryId ? { secretaryId } : {}),
    };
    if (
      await a.run(
        () => api(`${api1(code)}/councils/${council.id}/sittings`, { method: 'POST', body }),
        t('manage.sittingCreated'),
      )
    )
      setTick((n) => n + 1);
  };
  return (
    <section aria-labelledby="sittings">
      <h2 id="sittings">{t('manage.sittings')}</h2>
      {a.feedback}
      {sittings.data ? (
        <ul className="council-sittings">
          {sittings.data.map((s) => (
            <li key={s.id}>
              <Link to={sittingPath(code, s.id)}>{t('sitting.heading', { number: s.number, title: s.title })}</Link> —{' '}
              {formatDate(s.startsAt, i18n.language, true)} <StatusBadge status={s.status} />{' '}
              {['draft', 'published'].includes(s.status) ? (
                <button
                  type="button"
                  className="button-secondary small"
                  aria-label={t('manage.prepareLabel', { number: s.number })}
                  aria-expanded={selected === s.id}
                  onClick={() => setSelected(selected === s.id ? undefined : s.id)}
                >
                  {t('manage.prepare')}
                </button>
              ) : null}
              {selected === s.id ? (
                <PrepareSitting code={code} sittingId={s.id} onChange={() => setTick((n) => n + 1)} />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <h3>{t('manage.newSitting')}</h3>
      <form className="form" onSubmit={create} noValidate>
        <TextField
          label={t('manage.sittingTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={a.field('/body/title')}
          required
        />
        <SelectField
          label={t('sitting.format')}
          value={format}
          onChange={(e) => setFormat(e.target.value as typeof format)}
        >
          {(['in_person', 'virtual', 'hybrid'] as const).map((f) => (
            <option key={f} value={f}>
              {t(`format.${f}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('sitting.when')}
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          error={a.field('/body/startsAt')}
          required
        />
        <TextField
          label={t('sitting.place')}
          value={place}
          onChange={(e) => setPlace(e.target.value)}
          error={a.field('/body/place')}
        />
        <TextField
          label={t('sitting.link')}
          help={t('manage.linkHelp')}
          type="url"
          value={link}
          onChange={(e) => setLink(e.target.value)}
          error={a.field('/body/link')}
        />
        <SelectField
          label={t('sitting.secretary')}
          value={secretaryId}
          onChange={(e) => setSecretaryId(e.target.value)}
          error={a.field('/body/secretaryId')}
        >
          <option value="">—</option>
          {(officials.data ?? []).map((o) => (
            <option key={o.personId} value={o.personId}>
              {o.name} ({o.idCodeMasked})
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button" disabled={a.busy}>
          {t('manage.createSitting')}
        </button>
      </form>
    </section>
  );
}

function PrepareSitting({ code, sittingId, onChange }: { code: string; sittingId: string; onChange: () => void }) {
  const { t } = useCouncilT();
  const a = useAction();
  const [tick, setTick] = useState(0);
  const detail = useLoad(
    (signal) => api<SittingDetail>(`${councilApi(code)}/sittings/${sittingId}`, { signal }),
    [code, sittingId, tick],
  );
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<'decision' | 'election'>('decision');
  const [majority, setMajority] = useState('cast');
  const [draft, setDraft] = useState('');
  const [candidates, setCandidates] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const base = `${councilApi(code)}/sittings/${sittingId}`;
  const reload = () => {
    setTick((n) => n + 1);
    onChange();
  };
  const rule =
    majority === 'cast' || majority === 'composition'
      ? { kind: majority }
      : { kind: 'qualified', num: 2, den: 3, base: majority === 'q-cast' ? 'cast' : 'composition' };
  const addItem = async (e: FormEvent) => {
    e.preventDefault();
    const cands = candidates
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => ({ name }));
    const body = {
      title: title.trim(),
      kind,
      majority: rule,
      isPublic,
      ...(draft.trim() ? { draftDecision: draft.trim() } : {}),
      ...(kind === 'election' ? { candidates: cands } : {}),
    };
    if (await a.run(() => api(`${base}/items`, { method: 'POST', body }), t('manage.itemAdded'))) {
      setTitle('');
      setDraft('');
      setCandidates('');
      reload();
    }
  };
  const upload = async (itemId: string, form: HTMLFormElement) => {
    const data = new FormData(form);
    if (
      await a.run(() => api(`${base}/items/${itemId}/documents`, { method: 'POST', raw: data }), t('manage.uploaded'))
    ) {
      form.reset();
      reload();
    }
  };
  const d = detail.data;
  return (
    <div className="council-prepare">
      {a.feedback}
      {d ? (
        <>
          <ol>
            {d.items.map((i) => (
              <li key={i.id}>
                <strong>{i.title}</strong> — {i.kind === 'election' ? t('item.election') : t('item.decision')},{' '}
                <RuleText rule={i.majority} />
                {i.documents.length ? ` · ${t('manage.documents', { count: i.documents.length })}` : ''}
                <form
                  className="council-inline council-upload"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void upload(i.id, e.currentTarget);
                  }}
                >
                  <div className="field">
                    <label htmlFor={`doc-title-${i.id}`}>{t('manage.docTitle')}</label>
                    <input id={`doc-title-${i.id}`} name="title" maxLength={300} />
                  </div>
                  <div className="field">
                    <label htmlFor={`doc-file-${i.id}`}>{t('manage.docFile')}</label>
                    <input id={`doc-file-${i.id}`} name="file" type="file" accept="application/pdf,.pdf" required />
                  </div>
                  <button type="submit" className="button-secondary small" disabled={a.busy}>
                    {t('manage.upload')}
                  </button>
                </form>
              </li>
            ))}
          </ol>
          <NoticeWarning d={d} />
          {d.status === 'draft' ? (
            <button
              type="button"
              className="button"
              disabled={a.busy || d.items.length === 0}
              onClick={() =>
                void a
                  .run(
                    () => api(`${base}/status`, { method: 'POST', body: { action: 'publish' } }),
                    t('manage.published'),
                  )
                  .then((ok) => ok && reload())
              }
            >
              {t('manage.publish')}
            </button>
          ) : null}
        </>
      ) : (
        <Loading />
      )}
      <h4>{t('manage.addItem')}</h4>
      <form className="form" onSubmit={addItem} noValidate>
        <TextField
          label={t('manage.itemTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={a.field('/body/title')}
          required
        />
        <SelectField
          label={t('manage.itemKind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as 'decision' | 'election')}
        >
          <option value="decision">{t('item.decision')}</option>
          <option value="election">{t('item.election')}</option>
        </SelectField>
        <SelectField label={t('manage.majority')} value={majority} onChange={(e) => setMajority(e.target.value)}>
          <option value="cast">{t('rule.cast')}</option>
          <option value="composition">{t('rule.composition')}</option>
          <option value="q-composition">{t('rule.qualifiedComposition', { num: 2, den: 3 })}</option>
          <option value="q-cast">{t('rule.qualifiedCast', { num: 2, den: 3 })}</option>
        </SelectField>
        <TextArea label={t('item.draft')} value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} />
        {kind === 'election' ? (
          <TextArea
            label={t('manage.candidates')}
            help={t('manage.candidatesHelp')}
            value={candidates}
            onChange={(e) => setCandidates(e.target.value)}
            rows={3}
          />
        ) : null}
        <div className="field council-check">
          <input
            id={`public-${sittingId}`}
            type="checkbox"
            checked={isPublic}
            onChange={(e) => setIsPublic(e.target.checked)}
          />
          <label htmlFor={`public-${sittingId}`}>{t('manage.isPublic')}</label>
        </div>
        <button type="submit" className="button" disabled={a.busy}>
          {t('manage.addItem')}
        </button>
      </form>
    </div>
  );
}
