/**
 * What the notifications API answers, shared by the server and the web app (the web app may
 * import `contract.ts` files): the shapes of the notification centre, the settings and followed
 * areas, and the names of the topics in the three languages (used by e-mails and pages alike).
 */
export type Lang = 'et' | 'ru' | 'en';

export interface NotificationItem {
  id: number;
  topic: string;
  title: string;
  text: string;
  /** A path of the platform, e.g. /teated/1001. */
  link: string | null;
  municipalityCode: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  unread: number;
}

export interface TopicSetting {
  topic: string;
  group: string;
  inApp: boolean;
  email: boolean;
  required: boolean;
}

export interface NotificationSettings {
  language: Lang;
  digest: 'off' | 'daily';
  email: string | null;
  emailVerifiedAt: string | null;
  /** The address stopped accepting mail: nothing is sent until it is verified again. */
  emailBouncedAt: string | null;
  pendingEmail: string | null;
  pendingExpiresAt: string | null;
  /** Whether this platform sends e-mail at all (an SMTP relay is configured). */
  emailAvailable: boolean;
  topics: TopicSetting[];
}

export interface Follow {
  id: string;
  municipalityCode: string;
  /** A settlement unit or municipality (EHAK code), or null for a drawn area. */
  placeCode: string | null;
  placeName: string | null;
  name: string | null;
  /** GeoJSON Polygon (WGS84) of a drawn area. */
  area: { type: 'Polygon'; coordinates: [number, number][][] } | null;
  frequency: 'instant' | 'daily';
  createdAt: string;
}

export type FollowInput =
  | { placeCode: string; frequency: 'instant' | 'daily' }
  | { area: { type: 'Polygon'; coordinates: [number, number][][] }; name: string; frequency: 'instant' | 'daily' };

export const TOPIC_GROUP_LABELS: Record<string, Record<Lang, string>> = {
  reports: { et: 'Probleemiteated', ru: 'Сообщения о проблемах', en: 'Problem reports' },
  participation: { et: 'Osalemine', ru: 'Участие', en: 'Participation' },
  council: { et: 'Volikogu', ru: 'Совет', en: 'Council' },
  community: { et: 'Üritused ja koolitus', ru: 'Мероприятия и обучение', en: 'Events and training' },
  officials: { et: 'Ametnikule', ru: 'Для служащих', en: 'For officials' },
};

export const TOPIC_LABELS: Record<string, Record<Lang, string>> = {
  'reports.received': {
    et: 'Minu teade on kätte saadud',
    ru: 'Моё сообщение получено',
    en: 'My report was received',
  },
  'reports.status': {
    et: 'Minu teate olek muutus',
    ru: 'Изменился статус моего сообщения',
    en: 'The status of my report changed',
  },
  'reports.answered': {
    et: 'Minu teatele vastati',
    ru: 'На моё сообщение ответили',
    en: 'My report was answered',
  },
  'reports.closed': {
    et: 'Minu teade lahendati (koos tagasiside lingiga)',
    ru: 'Моё сообщение решено (со ссылкой на отзыв)',
    en: 'My report was closed (with the feedback link)',
  },
  'reports.reopened': {
    et: 'Minu teade avati uuesti',
    ru: 'Моё сообщение открыто снова',
    en: 'My report was reopened',
  },
  'reports.area': {
    et: 'Uued teated piirkonnas, mida jälgin',
    ru: 'Новые сообщения в районе, за которым я слежу',
    en: 'New reports in an area I follow',
  },
  'participation.vote-opened': {
    et: 'Algas hääletus, milles saan osaleda',
    ru: 'Открылось голосование, в котором я могу участвовать',
    en: 'A vote I may take part in opened',
  },
  'participation.vote-reminder': {
    et: 'Meeldetuletus enne hääletuse lõppu, kui ma pole hääletanud',
    ru: 'Напоминание до конца голосования, если я не голосовал(а)',
    en: 'A reminder before a vote closes, if I have not voted',
  },
  'participation.results': {
    et: 'Hääletuse tulemused avaldati',
    ru: 'Опубликованы результаты голосования',
    en: 'Results of a vote were published',
  },
  'participation.proposal-reviewed': {
    et: 'Minu idee või kandidatuur vaadati läbi',
    ru: 'Моя идея или кандидатура рассмотрена',
    en: 'My idea or candidacy was reviewed',
  },
  'council.convocation': {
    et: 'Volikogu istungi kutse koos päevakorra ja dokumentidega',
    ru: 'Созыв заседания совета с повесткой и документами',
    en: 'Convocation of a council sitting with its agenda and documents',
  },
  'council.notice-warning': {
    et: 'Hoiatus: istungi etteteatamise tähtaeg ei ole täidetav',
    ru: 'Предупреждение: срок уведомления о заседании не соблюдается',
    en: 'Warning: the notice period of a sitting cannot be met',
  },
  'council.agenda-changed': {
    et: 'Istungi päevakord muutus',
    ru: 'Изменилась повестка заседания',
    en: 'The agenda of a sitting changed',
  },
  'council.minutes': {
    et: 'Istungi protokoll on saadaval',
    ru: 'Протокол заседания доступен',
    en: 'The minutes of a sitting are available',
  },
  'community.registered': {
    et: 'Registreerumine üritusele',
    ru: 'Регистрация на мероприятие',
    en: 'Registration for an event',
  },
  'community.promoted': {
    et: 'Sain ootejärjekorrast koha',
    ru: 'Я получил(а) место из списка ожидания',
    en: 'I got a place from the waiting list',
  },
  'community.reminder': {
    et: 'Meeldetuletus enne üritust',
    ru: 'Напоминание перед мероприятием',
    en: 'A reminder before an event',
  },
  'community.cancelled': { et: 'Üritus jäi ära', ru: 'Мероприятие отменено', en: 'An event was cancelled' },
  'officials.assigned': {
    et: 'Mulle määrati teade',
    ru: 'Мне назначено сообщение',
    en: 'A report was assigned to me',
  },
  'officials.overdue': {
    et: 'Teade on ületanud tähtaja',
    ru: 'Сообщение просрочено',
    en: 'A report is past its deadline',
  },
  'officials.reopened': {
    et: 'Teataja avas minu menetletava teate uuesti',
    ru: 'Автор снова открыл сообщение, которое я веду',
    en: 'A reporter reopened a report I handle',
  },
  'officials.digest': {
    et: 'Igapäevane ülevaade töölauast',
    ru: 'Ежедневная сводка рабочей очереди',
    en: 'Daily digest of my work queue',
  },
};
