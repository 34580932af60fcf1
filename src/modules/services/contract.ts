/**
 * What the services API answers, for the web app (which may import `contract.ts` files): the
 * types of the response schemas the routes declare (schemas.ts, responses.ts), so a page reads
 * the fields the server writes and a renamed field fails the web app's type check.
 */
import type { Static } from 'typebox';
import type * as S from './schemas';
import type * as Res from './responses';

export type Reference = Static<typeof Res.ReferenceSchema>;
export type ServiceSummary = Static<typeof S.ServiceSummary>;
export type ServiceView = Static<typeof S.ServiceSchema>;
export type ServiceData = Static<typeof S.ServiceData>;
export type ServiceVersion = Static<typeof S.VersionSchema>;
export type Divergence = Static<typeof Res.DivergenceSchema>;
export type Coverage = Static<typeof Res.CoverageSchema>;
export type CoverageMatrix = Static<typeof Res.CoverageMatrixSchema>;
export type Overlap = Static<typeof Res.OverlapSchema>;
export type AssessmentReport = Static<typeof Res.AssessmentReportSchema>;
export type SatisfactionRow = Static<typeof S.SatisfactionRow>;
export type LifeEventItem = Static<typeof Res.LifeEventListSchema>[number];
export type LifeEventPage = Static<typeof Res.LifeEventPageSchema>;
export type PersonalItem = Static<typeof S.PersonalItemSchema>;
export type OpenNow = Static<typeof S.OpenNowSchema>;
