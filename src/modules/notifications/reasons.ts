import { defineReason } from '../../platform/http/problems';

/** Why a follow is refused (the web app words each code in the page's language). */
export const R_NOTIFICATIONS = {
  areaShape: defineReason<{ problem: string }>('follow-area-shape', (p) => p.problem),
  followLimit: defineReason<{ max: number }>(
    'follow-limit',
    (p) => `You follow ${p.max} areas already; remove one first`,
  ),
  notPlace: defineReason('follow-not-place', 'not a settlement unit or municipality (EHAK code)'),
  alreadyFollowed: defineReason<{ place: string }>(
    'follow-already',
    (p) => `You already follow ${p.place}; change how often instead`,
  ),
  nameArea: defineReason('follow-name-area', 'name the area (1–100 characters)'),
  areaOutside: defineReason('follow-area-outside', 'the area is not in any Estonian municipality'),
};
