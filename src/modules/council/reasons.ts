import { defineReason } from '../../platform/http/problems';

/** Why a council or a member is refused (the web app words each code in the page's language). */
export const R_COUNCIL = {
  quorumShare: defineReason(
    'council-quorum-share',
    'the quorum share must be at least 1/2 and less than 1 (more than num/den of the seats must be present)',
  ),
  termEndAfterStart: defineReason('council-term-end-after-start', 'must be after the start of the term'),
  substituteNeedsFaction: defineReason(
    'council-substitute-needs-faction',
    'a substitute belongs to the list (faction) whose seats they may take',
  ),
  noSuchFaction: defineReason('council-no-such-faction', 'no such faction in this council'),
};
