import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { api, ApiError } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, SelectField, TableWrap, TextField, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';

interface Money {
  net: number;
  vat: number;
  gross: number;
}
interface Breakdown {
  total: Money;
  byYear: Record<string, Money>;
}
interface Overview {
  plan: {
    id: string;
    title: string;
    source: string;
    vat: { accounts: number[]; rates: { fromYear: number; rateBp: number }[] };
  };
  measureActivities: Record<string, string>;
  accounts: Record<string, string>;
  initiatives: {
    code: string;
    name: string;
    problem: string;
    activities: Record<string, string>;
    expectedResult: string;
    implementer: string;
    partners: string[];
    status: string;
  }[];
  totals: {
    years: number[];
    total: Money;
    byYear: Record<string, Money>;
    byMeasureActivity: Record<string, Breakdown>;
    byAccount: Record<string, Breakdown>;
    byInitiative: Record<string, Breakdown>;
  };
  checks: {
    id: string;
    label: string;
    statedCents: number;
    computedCents: number;
    differenceCents: number;
    ok: boolean;
  }[];
  inconsistencies: number;
  actuals: {
    byInitiative: Record<string, { planned: Money; spent: Money; remainingGross: number; usedPercent: number | null }>;
  };
}

function useEuro() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'et' ? 'et-EE' : i18n.language === 'ru' ? 'ru-RU' : 'en-GB';
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  return (cents: number) => f.format(Math.round(cents / 100));
}

export function PlanPage() {
  return (
    <RequireLogin>
      <Plan />
    </RequireLogin>
  );
}

function Plan() {
  const { t } = useTranslation('programme');
  const eur = useEuro();
  const plans = useLoad((signal) => api<{ id: string }[]>('/api/v1/programme/plans', { signal }), []);
  const id = plans.data?.[0]?.id;
  const o = useLoad(
    (signal) => (id ? api<Overview>(`/api/v1/programme/plans/${id}`, { signal }) : Promise.resolve(undefined)),
    [id],
  );
  if (plans.loading || o.loading) return <Loading />;
  if (plans.error || o.error) return <ErrorNotice error={plans.error ?? o.error} />;
  if (!o.data) {
    return (
      <Page title={t('plan.title')}>
        <p>{t('plan.none')}</p>
      </Page>
    );
  }
  const d = o.data;
  const years = d.totals.years.map(String);
  const bad = d.checks.filter((c) => !c.ok);
  return (
    <Page title={d.plan.title}>
      <p className="muted">
        {t('plan.source')}: {d.plan.source}
      </p>
      <p>
        {t('plan.vatRule', {
          accounts: d.plan.vat.accounts.join(', '),
          rates: d.plan.vat.rates.map((r) => `${r.fromYear}: ${r.rateBp / 100} %`).join('; '),
        })}
      </p>
      <h2>{t('plan.checks')}</h2>
      {bad.length ? (
        <Notice kind="warning">{t('plan.checksBad', { bad: bad.length, count: d.checks.length })}</Notice>
      ) : (
        <Notice kind="success">{t('plan.checksOk', { count: d.checks.length })}</Notice>
      )}
      {bad.length ? (
        <TableWrap label={t('plan.checks')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('plan.figure')}</th>
                <th scope="col">{t('plan.stated')}</th>
                <th scope="col">{t('plan.computed')}</th>
                <th scope="col">{t('plan.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {bad.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.label}</th>
                  <td>{eur(c.statedCents)}</td>
                  <td>{eur(c.computedCents)}</td>
                  <td>{eur(c.differenceCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <h2>{t('plan.totals')}</h2>
      <TableWrap label={t('plan.totals')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('plan.year')}</th>
              <th scope="col">{t('plan.net')}</th>
              <th scope="col">{t('plan.vat')}</th>
              <th scope="col">{t('plan.gross')}</th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y}>
                <th scope="row">{y}</th>
                <td>{eur(d.totals.byYear[y]!.net)}</td>
                <td>{eur(d.totals.byYear[y]!.vat)}</td>
                <td>{eur(d.totals.byYear[y]!.gross)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('plan.total')}</th>
              <td>{eur(d.totals.total.net)}</td>
              <td>{eur(d.totals.total.vat)}</td>
              <td>{eur(d.totals.total.gross)}</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>
      <h2>{t('plan.byMeasure')}</h2>
      <Cut
        label={t('plan.byMeasure')}
        head={t('plan.measure')}
        years={years}
        rows={Object.entries(d.totals.byMeasureActivity).map(([k, b]) => [`${k}. ${d.measureActivities[k] ?? ''}`, b])}
        value={(m) => eur(m.gross)}
      />
      <h2>{t('plan.byAccount')}</h2>
      <Cut
        label={t('plan.byAccount')}
        head={t('plan.account')}
        years={years}
        rows={Object.entries(d.totals.byAccount).map(([k, b]) => [`${k} ${d.accounts[k] ?? ''}`, b])}
        value={(m) => eur(m.net)}
      />
      <h2>{t('plan.initiatives')}</h2>
      <Cut
        label={t('plan.initiatives')}
        head={t('plan.initiative')}
        years={years}
        rows={d.initiatives.map((i) => [
          `${i.code}. ${i.name}`,
          d.totals.byInitiative[i.code] ?? { total: { net: 0, vat: 0, gross: 0 }, byYear: {} },
        ])}
        value={(m) => eur(m.gross)}
      />
      <h2>{t('plan.actuals')}</h2>
      <TableWrap label={t('plan.actuals')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('plan.initiative')}</th>
              <th scope="col">{t('plan.planned')}</th>
              <th scope="col">{t('plan.spent')}</th>
              <th scope="col">{t('plan.remaining')}</th>
              <th scope="col">{t('plan.used')}</th>
            </tr>
          </thead>
          <tbody>
            {d.initiatives.map((i) => {
              const a = d.actuals.byInitiative[i.code];
              return (
                <tr key={i.code}>
                  <th scope="row">{i.code}</th>
                  <td>{eur(a?.planned.gross ?? 0)}</td>
                  <td>{eur(a?.spent.gross ?? 0)}</td>
                  <td>{eur(a?.remainingGross ?? 0)}</td>
                  <td>{a?.usedPercent ?? '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <SpendingForm planId={d.plan.id} initiatives={d.initiatives.map((i) => i.code)} onSaved={o.reload} />
      {d.initiatives.map((i) => (
        <section key={i.code} className="programme-initiative">
          <h3>
            {i.code}. {i.name}
          </h3>
          <p className="muted">
            {t('plan.status')}: {t(`plan.statuses.${i.status}`)} · {t('plan.implementer')}:{' '}
            {[i.implementer, ...i.partners].filter(Boolean).join(', ')}
          </p>
          <p>
            <strong>{t('plan.problem')}:</strong> {i.problem}
          </p>
          <p>
            <strong>{t('plan.activities')}:</strong>{' '}
            {Object.entries(i.activities)
              .map(([y, a]) => `${y}: ${a}`)
              .join(' ')}
          </p>
          <p>
            <strong>{t('plan.result')}:</strong> {i.expectedResult}
          </p>
        </section>
      ))}
    </Page>
  );
}

function Cut({
  label,
  head,
  years,
  rows,
  value,
}: {
  label: string;
  head: string;
  years: string[];
  rows: [string, Breakdown][];
  value: (m: Money) => string;
}) {
  const { t } = useTranslation('programme');
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {years.map((y) => (
              <th key={y} scope="col">
                {y}
              </th>
            ))}
            <th scope="col">{t('plan.total')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, b]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {years.map((y) => (
                <td key={y}>{value(b.byYear[y] ?? { net: 0, vat: 0, gross: 0 })}</td>
              ))}
              <td>{value(b.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** ELVL's editors enter actual spending (amounts in euros; VAT as invoiced). */
function SpendingForm({
  planId,
  initiatives,
  onSaved,
}: {
  planId: string;
  initiatives: string[];
  onSaved: () => void;
}) {
  const { t } = useTranslation('programme');
  const session = useSession();
  const editor =
    session.me?.platformAdmin ||
    session.me?.roles.some((r) => r.municipalityCode === '0000' && (r.role === 'editor' || r.role === 'admin'));
  const [f, setF] = useState({
    initiative: initiatives[0] ?? '',
    measureActivity: '1',
    account: '55',
    spentOn: '',
    amount: '',
    vat: '',
    description: '',
  });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  if (!editor) return null;
  const set = (k: keyof typeof f, v: string) => setF({ ...f, [k]: v });
  const cents = (v: string) => Math.round(Number(v.replace(',', '.').replace(/\s/g, '')) * 100);
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await api(`/api/v1/programme/plans/${planId}/spending`, {
        method: 'POST',
        body: {
          initiative: f.initiative,
          measureActivity: Number(f.measureActivity),
          account: Number(f.account),
          spentOn: f.spentOn,
          amountCents: cents(f.amount),
          vatCents: f.vat ? cents(f.vat) : 0,
          description: f.description,
        },
      });
      setDone(true);
      setF({ ...f, amount: '', vat: '', description: '' });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>{t('spending.title')}</h2>
      {done ? <Notice kind="success">{t('spending.saved')}</Notice> : null}
      {error && !(error instanceof ApiError && error.errors.length) ? <ErrorNotice error={error} /> : null}
      <form className="form" onSubmit={submit} noValidate>
        <SelectField
          label={t('plan.initiative')}
          value={f.initiative}
          onChange={(e) => set('initiative', e.target.value)}
        >
          {initiatives.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('plan.measure')}
          value={f.measureActivity}
          onChange={(e) => set('measureActivity', e.target.value)}
          error={fe('/body/measureActivity')}
        >
          {['1', '2', '3', '4'].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('plan.account')}
          value={f.account}
          onChange={(e) => set('account', e.target.value)}
          error={fe('/body/account')}
        >
          {['15', '50', '55'].map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('spending.date')}
          type="date"
          value={f.spentOn}
          onChange={(e) => set('spentOn', e.target.value)}
          required
          error={fe('/body/spentOn')}
        />
        <TextField
          label={t('spending.amount')}
          inputMode="decimal"
          value={f.amount}
          onChange={(e) => set('amount', e.target.value)}
          required
          error={fe('/body/amountCents')}
        />
        <TextField
          label={t('spending.vat')}
          inputMode="decimal"
          value={f.vat}
          onChange={(e) => set('vat', e.target.value)}
          error={fe('/body/vatCents')}
        />
        <TextField
          label={t('spending.description')}
          value={f.description}
          onChange={(e) => set('description', e.target.value)}
          required
          error={fe('/body/description')}
        />
        <button type="submit" className="button">
          {t('spending.save')}
        </button>
      </form>
    </section>
  );
}
