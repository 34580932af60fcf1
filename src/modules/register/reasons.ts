import { defineReason } from '../../platform/http/problems';

/** Why an electorate or a voter list upload is refused (the web app words each code in the page's language). */
export const R_REGISTER = {
  chooseSettlement: defineReason('electorate-choose-settlement', 'choose at least one settlement unit'),
  settlementsOnlyInScope: defineReason(
    'electorate-settlements-only-in-scope',
    'settlement units are only chosen with scope "settlements"',
  ),
  foreignSettlements: defineReason<{ municipality: string; value: string }>(
    'electorate-foreign-settlements',
    (p) => `not settlement units of municipality ${p.municipality}: ${p.value}`,
  ),
  maxBelowMin: defineReason('electorate-max-age-below-min', 'must not be below the minimum age'),
  notADate: defineReason('electorate-not-a-date', 'is not a real date (YYYY-MM-DD)'),
  frozenNeedsReferenceDate: defineReason(
    'electorate-frozen-reference-date',
    'a frozen voter list is built from residence on the reference date; use live mode for residence at voting time',
  ),
  blankName: defineReason('electorate-blank-name', 'must not be blank'),
  notFrozen: defineReason('electorate-not-frozen', 'only an electorate in frozen mode has a voter list to freeze'),
  attachList: defineReason('register-attach-list', 'attach the list as a file'),
  attachExtract: defineReason('register-attach-extract', 'attach the extract as a file'),
};
