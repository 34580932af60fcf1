import { defineReason } from '../../platform/http/problems';

/** Why the community module refuses (the web app words each code in the page's language). */
export const R_COMMUNITY = {
  endsBeforeStart: defineReason('event-ends-before-start', 'must be after startsAt'),
  meetingNeedsGroup: defineReason('event-meeting-needs-group', 'a training-group meeting names its group'),
  placeOrLink: defineReason('event-place-or-link', 'give a place or a link'),
  noSuchGroup: defineReason('event-no-such-group', 'no such training group'),
  cancelled: defineReason('event-cancelled', 'The event is cancelled'),
  started: defineReason('event-started', 'The event has started; registration is closed'),
  groupMembersOnly: defineReason('event-group-members-only', 'This meeting is for the members of its training group'),
  notCounty: defineReason('not-county', 'not an EHAK county code'),
  groupOfficialsOnly: defineReason('training-group-officials-only', 'training groups are for officials'),
  notRegistered: defineReason('event-not-registered', 'is not registered for this event'),
};
