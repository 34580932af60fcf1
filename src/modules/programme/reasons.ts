import { defineReason } from '../../platform/http/problems';

/** Why a programme spending record is refused (the web app words each code in the page's language). */
export const R_PROGRAMME = {
  outsidePlanYears: defineReason<{ first: number; last: number }>(
    'programme-outside-plan-years',
    (p) => `is outside the plan's years ${p.first}–${p.last}`,
  ),
  personnelNoVat: defineReason('programme-personnel-no-vat', 'personnel costs (account 50) carry no VAT'),
};
