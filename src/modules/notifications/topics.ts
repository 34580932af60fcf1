/**
 * What the platform tells people about. Every notification has one topic; a person chooses per
 * topic whether it appears in their notification centre and whether it is e-mailed (the defaults
 * below hold until they choose). Topics the law requires (`required`) cannot be switched off.
 * `urgent` topics are never held for the daily digest (a reminder that arrives after the event is
 * useless); everything else waits for it when the person chose the digest.
 */
export const TOPICS = {
  // Problem reports, to the reporter
  'reports.received': { group: 'reports', inApp: true, email: true },
  'reports.status': { group: 'reports', inApp: true, email: true },
  'reports.answered': { group: 'reports', inApp: true, email: true },
  'reports.closed': { group: 'reports', inApp: true, email: true },
  'reports.reopened': { group: 'reports', inApp: true, email: true },
  // New reports in an area the person follows (at once or daily: chosen per followed area)
  'reports.area': { group: 'reports', inApp: true, email: true },
  // Participation, to those who may take part
  'participation.vote-opened': { group: 'participation', inApp: true, email: true },
  'participation.vote-reminder': { group: 'participation', inApp: true, email: true, urgent: true },
  'participation.results': { group: 'participation', inApp: true, email: true },
  'participation.proposal-reviewed': { group: 'participation', inApp: true, email: true },
  // Council, to its members (the convocation is required: KOKS and the council's rules)
  'council.convocation': { group: 'council', inApp: true, email: true, required: true, urgent: true },
  'council.notice-warning': { group: 'council', inApp: true, email: true, required: true, urgent: true },
  'council.agenda-changed': { group: 'council', inApp: true, email: true, urgent: true },
  'council.minutes': { group: 'council', inApp: true, email: true },
  // Community events and training
  'community.registered': { group: 'community', inApp: true, email: true },
  'community.promoted': { group: 'community', inApp: true, email: true, urgent: true },
  'community.reminder': { group: 'community', inApp: true, email: true, urgent: true },
  'community.cancelled': { group: 'community', inApp: true, email: true, urgent: true },
  // Officials
  'officials.assigned': { group: 'officials', inApp: true, email: true },
  'officials.overdue': { group: 'officials', inApp: true, email: true },
  'officials.reopened': { group: 'officials', inApp: true, email: true },
  'officials.digest': { group: 'officials', inApp: false, email: true, urgent: true },
} as const satisfies Record<string, TopicSpec>;

export interface TopicSpec {
  group: 'reports' | 'participation' | 'council' | 'community' | 'officials';
  inApp: boolean;
  email: boolean;
  required?: boolean;
  urgent?: boolean;
}

export type Topic = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as Topic[];

export const topicSpec = (topic: string): TopicSpec | undefined =>
  (TOPICS as Record<string, TopicSpec>)[topic] ?? undefined;

export const isTopic = (topic: string): topic is Topic => topicSpec(topic) !== undefined;

/** Topics shown in the centre only when chosen (their default is off there). */
export const IN_APP_OFF_BY_DEFAULT: string[] = TOPIC_NAMES.filter((t) => !TOPICS[t].inApp);
export const EMAIL_OFF_BY_DEFAULT: string[] = TOPIC_NAMES.filter((t) => !TOPICS[t].email);
export const REQUIRED_TOPICS: string[] = TOPIC_NAMES.filter((t) => (TOPICS[t] as TopicSpec).required);
