import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { notify, notifyAreaFollowers } from '../notifications';
import { reportParams } from './tellPeople';

/**
 * New reports are told about by a sweep rather than in their own transaction: the common intake
 * is one autocommitted function call (migration 0401), and a report is only worth telling once it
 * has committed anyway. Every report starts `alerts_pending`; this job (every minute) takes them in
 * batches, tells the reporter ("received") and the followers of the report's settlement unit,
 * municipality or drawn area, and clears the flag — all in one transaction, so each report is
 * told exactly once, and a report that never committed never.
 */
export const ALERTS_JOB = 'reports.alerts';
const BATCH = 200;

export async function sendReportAlerts(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
      const rows = await trx
        .selectFrom('report')
        .select([
          'municipality_code',
          'id',
          'category_code',
          'settlement_code',
          'lat',
          'lon',
          'description',
          'reporter_person_id',
          'hidden',
        ])
        .where('alerts_pending', '=', true)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!rows.length) return 0;
      const codes = [...new Set(rows.flatMap((r) => [r.settlement_code, r.municipality_code]))].filter(
        (c): c is string => Boolean(c),
      );
      const places = new Map(
        (await trx.selectFrom('place').select(['code', 'name']).where('code', 'in', codes).execute()).map((p) => [
          p.code,
          p.name,
        ]),
      );
      for (const r of rows) {
        const base = await reportParams(ctx, trx, { ...r, id: Number(r.id) });
        const link = `/teated/${r.id}`;
        if (r.reporter_person_id)
          await notify(ctx, trx, {
            to: r.reporter_person_id,
            topic: 'reports.received',
            municipalityCode: r.municipality_code,
            params: base,
            link,
            dedupeKey: `report-received:${r.id}`,
          });
        if (r.hidden) continue;
        const place = (r.settlement_code && places.get(r.settlement_code)) || places.get(r.municipality_code) || '';
        await notifyAreaFollowers(ctx, trx, {
          topic: 'reports.area',
          municipalityCode: r.municipality_code,
          placeCodes: [r.settlement_code, r.municipality_code].filter((c): c is string => Boolean(c)),
          point: { lat: r.lat, lon: r.lon },
          except: r.reporter_person_id,
          params: { ...base, place, description: r.description.slice(0, 300) },
          areaName: (f) => f.name ?? (f.placeCode ? places.get(f.placeCode) : undefined) ?? place,
          link,
          dedupeKey: `report-area:${r.id}`,
        });
      }
      await trx
        .updateTable('report')
        .set({ alerts_pending: false })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
