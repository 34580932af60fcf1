import type { Lang } from './contract';

/**
 * The words of every notification in Estonian, Russian and English. A template turns a
 * notification's parameters into a message: subject (also the centre's title), paragraphs, an
 * optional list (an agenda, a digest) and the action (a link). `render.ts` lays it out as plain
 * text and HTML; the notification centre shows the same subject and paragraphs. Parameters are
 * what the calling module stored — names of places, categories and votes, never a personal ID code.
 */
export interface Message {
  subject: string;
  paragraphs: string[];
  list?: { text: string; url?: string | undefined; sub?: { text: string; url?: string | undefined }[] }[];
  action?: { label: string; url: string };
}

export type Params = Record<string, unknown>;
type L3 = Record<Lang, string>;

export interface RenderHelpers {
  /** An absolute address of a path of the platform. */
  url(path: string): string;
  date(iso: unknown, withTime?: boolean): string;
  /** A value in three languages (`{ et, ru, en }`) or a plain string. */
  pick(v: unknown): string;
  /** The notification's own link (absolute), if any. */
  link: string | undefined;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export const STATUS_NAMES: Record<string, L3> = {
  open: { et: 'avatud', ru: 'открыто', en: 'open' },
  investigating: { et: 'uurimisel', ru: 'изучается', en: 'investigating' },
  in_progress: { et: 'töös', ru: 'в работе', en: 'in progress' },
  action_scheduled: { et: 'töö planeeritud', ru: 'работа запланирована', en: 'action scheduled' },
  fixed: { et: 'lahendatud', ru: 'решено', en: 'fixed' },
  closed: { et: 'suletud', ru: 'закрыто', en: 'closed' },
  duplicate: { et: 'topelt', ru: 'дубликат', en: 'duplicate' },
  not_responsible: { et: 'ei ole meie pädevuses', ru: 'не в нашей компетенции', en: 'not our responsibility' },
  no_further_action: { et: 'edasisi toiminguid ei tule', ru: 'дальнейших действий не будет', en: 'no further action' },
  internal_referral: { et: 'edastatud', ru: 'передано', en: 'referred' },
};

const status = (s: unknown, lang: Lang) => STATUS_NAMES[str(s)]?.[lang] ?? str(s);

type Template = (p: Params, lang: Lang, h: RenderHelpers) => Message;

const reportRef = (p: Params, h: RenderHelpers) => `${h.pick(p.category)} #${str(p.reportId)}`;
const quote = (t: unknown) => (t ? [`„${str(t)}”`] : []);

const L = <T>(lang: Lang, v: Record<Lang, T>): T => v[lang];

export const TEMPLATES: Record<string, Template> = {
  'reports.received': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teade ${reportRef(p, h)} on kätte saadud`,
      ru: `Сообщение ${reportRef(p, h)} получено`,
      en: `Report ${reportRef(p, h)} received`,
    }),
    paragraphs: [
      L(lang, {
        et: `Aitäh! ${h.pick(p.municipality)} sai teie teate kätte ja annab teada, kui selle olek muutub.`,
        ru: `Спасибо! ${h.pick(p.municipality)} получило ваше сообщение и сообщит, когда его статус изменится.`,
        en: `Thank you! ${h.pick(p.municipality)} received your report and will tell you when its status changes.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata teadet', ru: 'Открыть сообщение', en: 'View the report' }), url: h.link }
      : undefined,
  }),
  'reports.status': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teade ${reportRef(p, h)}: ${status(p.status, lang)}`,
      ru: `Сообщение ${reportRef(p, h)}: ${status(p.status, lang)}`,
      en: `Report ${reportRef(p, h)}: ${status(p.status, lang)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Teie teate olek on nüüd „${status(p.status, lang)}”.`,
        ru: `Статус вашего сообщения теперь «${status(p.status, lang)}».`,
        en: `The status of your report is now "${status(p.status, lang)}".`,
      }),
      ...quote(p.text),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata teadet', ru: 'Открыть сообщение', en: 'View the report' }), url: h.link }
      : undefined,
  }),
  'reports.answered': (p, lang, h) => ({
    subject: L(lang, {
      et: `Vastus teatele ${reportRef(p, h)}`,
      ru: `Ответ на сообщение ${reportRef(p, h)}`,
      en: `An answer to report ${reportRef(p, h)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `${h.pick(p.municipality)} vastas teie teatele:`,
        ru: `${h.pick(p.municipality)} ответило на ваше сообщение:`,
        en: `${h.pick(p.municipality)} answered your report:`,
      }),
      ...quote(p.text),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata teadet', ru: 'Открыть сообщение', en: 'View the report' }), url: h.link }
      : undefined,
  }),
  'reports.closed': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teade ${reportRef(p, h)} on lahendatud — kuidas läks?`,
      ru: `Сообщение ${reportRef(p, h)} решено — как всё прошло?`,
      en: `Report ${reportRef(p, h)} is closed — how did it go?`,
    }),
    paragraphs: [
      L(lang, {
        et: `Teie teate olek on „${status(p.status, lang)}”.`,
        ru: `Статус вашего сообщения: «${status(p.status, lang)}».`,
        en: `Your report is now "${status(p.status, lang)}".`,
      }),
      ...quote(p.text),
      L(lang, {
        et: 'Palun andke teada, kas probleem sai lahendatud. Kui ei saanud, saate teate samal lehel uuesti avada.',
        ru: 'Пожалуйста, сообщите, решена ли проблема. Если нет, на той же странице сообщение можно открыть снова.',
        en: 'Please tell us whether the problem was solved. If it was not, you can reopen the report on the same page.',
      }),
    ],
    action: {
      label: L(lang, { et: 'Hinda lahendust', ru: 'Оценить решение', en: 'Rate the solution' }),
      url: p.surveyPath ? h.url(str(p.surveyPath)) : (h.link ?? h.url('/teated')),
    },
  }),
  'reports.reopened': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teade ${reportRef(p, h)} avati uuesti`,
      ru: `Сообщение ${reportRef(p, h)} открыто снова`,
      en: `Report ${reportRef(p, h)} was reopened`,
    }),
    paragraphs: [
      L(lang, {
        et: `${h.pick(p.municipality)} avas teie teate uuesti ja jätkab selle menetlemist.`,
        ru: `${h.pick(p.municipality)} снова открыло ваше сообщение и продолжает работу с ним.`,
        en: `${h.pick(p.municipality)} reopened your report and continues to handle it.`,
      }),
      ...quote(p.text),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata teadet', ru: 'Открыть сообщение', en: 'View the report' }), url: h.link }
      : undefined,
  }),
  'reports.area': (p, lang, h) => ({
    subject: L(lang, {
      et: `Uus teade: ${h.pick(p.category)} — ${h.pick(p.place)}`,
      ru: `Новое сообщение: ${h.pick(p.category)} — ${h.pick(p.place)}`,
      en: `New report: ${h.pick(p.category)} — ${h.pick(p.place)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Piirkonnas, mida jälgite (${h.pick(p.area)}), teatati probleemist:`,
        ru: `В районе, за которым вы следите (${h.pick(p.area)}), сообщили о проблеме:`,
        en: `A problem was reported in an area you follow (${h.pick(p.area)}):`,
      }),
      ...quote(p.description),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata teadet', ru: 'Открыть сообщение', en: 'View the report' }), url: h.link }
      : undefined,
  }),
  'participation.vote-opened': (p, lang, h) => ({
    subject: L(lang, {
      et: `Hääletus on avatud: ${str(p.title)}`,
      ru: `Голосование открыто: ${str(p.title)}`,
      en: `Voting is open: ${str(p.title)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `${h.pick(p.municipality)} ootab teie häält. Hääletada saab kuni ${h.date(p.closesAt, true)}.`,
        ru: `${h.pick(p.municipality)} ждёт вашего голоса. Голосовать можно до ${h.date(p.closesAt, true)}.`,
        en: `${h.pick(p.municipality)} is waiting for your vote. Voting is open until ${h.date(p.closesAt, true)}.`,
      }),
    ],
    action: h.link ? { label: L(lang, { et: 'Hääleta', ru: 'Голосовать', en: 'Vote' }), url: h.link } : undefined,
  }),
  // Said the same way whether or not the person voted: the mail itself must not state it.
  'participation.vote-reminder': (p, lang, h) => ({
    subject: L(lang, {
      et: `Hääletus lõpeb peagi: ${str(p.title)}`,
      ru: `Голосование скоро закончится: ${str(p.title)}`,
      en: `Voting closes soon: ${str(p.title)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Hääletus „${str(p.title)}” lõpeb ${h.date(p.closesAt, true)}. Veel on aega oma hääl anda.`,
        ru: `Голосование «${str(p.title)}» заканчивается ${h.date(p.closesAt, true)}. Ещё есть время проголосовать.`,
        en: `The vote "${str(p.title)}" closes on ${h.date(p.closesAt, true)}. There is still time to take part.`,
      }),
    ],
    action: h.link ? { label: L(lang, { et: 'Hääleta', ru: 'Голосовать', en: 'Vote' }), url: h.link } : undefined,
  }),
  'participation.results': (p, lang, h) => ({
    subject: L(lang, {
      et: `Tulemused: ${str(p.title)}`,
      ru: `Результаты: ${str(p.title)}`,
      en: `Results: ${str(p.title)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Hääletuse „${str(p.title)}” tulemused on avaldatud.`,
        ru: `Результаты голосования «${str(p.title)}» опубликованы.`,
        en: `The results of the vote "${str(p.title)}" have been published.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata tulemusi', ru: 'Посмотреть результаты', en: 'See the results' }), url: h.link }
      : undefined,
  }),
  'participation.proposal-reviewed': (p, lang, h) => {
    const outcome = str(p.outcome);
    const word = L(lang, {
      et:
        { feasible: 'teostatavaks', infeasible: 'mitteteostatavaks', merged: 'teise ideega liidetuks' }[outcome] ??
        { approved: 'kinnitatud', rejected: 'tagasi lükatud' }[outcome] ??
        outcome,
      ru:
        { feasible: 'осуществимой', infeasible: 'неосуществимой', merged: 'объединённой с другой идеей' }[outcome] ??
        { approved: 'утверждена', rejected: 'отклонена' }[outcome] ??
        outcome,
      en:
        { feasible: 'feasible', infeasible: 'not feasible', merged: 'merged with another idea' }[outcome] ??
        { approved: 'approved', rejected: 'rejected' }[outcome] ??
        outcome,
    });
    const idea = p.kind !== 'candidate';
    return {
      subject: L(lang, {
        et: idea ? `Teie idee „${str(p.title)}” vaadati läbi` : `Teie kandidatuur vaadati läbi`,
        ru: idea ? `Ваша идея «${str(p.title)}» рассмотрена` : 'Ваша кандидатура рассмотрена',
        en: idea ? `Your idea "${str(p.title)}" was reviewed` : 'Your candidacy was reviewed',
      }),
      paragraphs: [
        L(lang, {
          et: idea
            ? `„${str(p.voteTitle)}”: idee hinnati ${word}.`
            : `„${str(p.voteTitle)}”: teie kandidatuur on ${word}.`,
          ru: idea
            ? `«${str(p.voteTitle)}»: идея признана ${word}.`
            : `«${str(p.voteTitle)}»: ваша кандидатура ${word}.`,
          en: idea
            ? `"${str(p.voteTitle)}": the idea was found ${word}.`
            : `"${str(p.voteTitle)}": your candidacy was ${word}.`,
        }),
        ...quote(p.reason),
      ],
      action: h.link ? { label: L(lang, { et: 'Vaata', ru: 'Открыть', en: 'View' }), url: h.link } : undefined,
    };
  },
  'council.convocation': (p, lang, h) => {
    const items = (Array.isArray(p.items) ? p.items : []) as {
      position: number;
      title: string;
      documents?: { title: string; path: string }[];
    }[];
    const where = [str(p.place), p.videoLink ? str(p.videoLink) : ''].filter(Boolean).join(' / ');
    return {
      subject: L(lang, {
        et: `Kutse: ${str(p.council)} ${str(p.number)}. istung ${h.date(p.startsAt, true)}`,
        ru: `Созыв: ${str(p.council)}, заседание № ${str(p.number)}, ${h.date(p.startsAt, true)}`,
        en: `Convocation: ${str(p.council)}, sitting no. ${str(p.number)}, ${h.date(p.startsAt, true)}`,
      }),
      paragraphs: [
        L(lang, {
          et: `${str(p.council)} ${str(p.number)}. istung „${str(p.title)}” toimub ${h.date(p.startsAt, true)}${where ? `, ${where}` : ''}.`,
          ru: `Заседание № ${str(p.number)} «${str(p.title)}» (${str(p.council)}) состоится ${h.date(p.startsAt, true)}${where ? `, ${where}` : ''}.`,
          en: `Sitting no. ${str(p.number)} "${str(p.title)}" of ${str(p.council)} takes place on ${h.date(p.startsAt, true)}${where ? `, ${where}` : ''}.`,
        }),
        L(lang, { et: 'Päevakord:', ru: 'Повестка:', en: 'Agenda:' }),
      ],
      list: items.map((i) => ({
        text: `${i.position}. ${i.title}`,
        sub: (i.documents ?? []).map((d) => ({ text: d.title, url: h.url(d.path) })),
      })),
      action: h.link
        ? { label: L(lang, { et: 'Istungi leht', ru: 'Страница заседания', en: 'The sitting' }), url: h.link }
        : undefined,
    };
  },
  'council.notice-warning': (p, lang, h) => ({
    subject: L(lang, {
      et: `Hoiatus: ${str(p.number)}. istungi etteteatamise tähtaeg ei ole täidetav`,
      ru: `Предупреждение: срок уведомления о заседании № ${str(p.number)} не соблюдается`,
      en: `Warning: the notice period of sitting no. ${str(p.number)} cannot be met`,
    }),
    paragraphs: [
      L(lang, {
        et: `${str(p.council)} kodukord nõuab istungi kutset vähemalt ${str(p.noticeDays)} päeva enne istungit. Istung „${str(p.title)}” algab ${h.date(p.startsAt, true)}; kutse saadeti ${h.date(p.sentAt, true)}.`,
        ru: `Регламент (${str(p.council)}) требует созыва не менее чем за ${str(p.noticeDays)} дн. до заседания. Заседание «${str(p.title)}» начнётся ${h.date(p.startsAt, true)}; созыв отправлен ${h.date(p.sentAt, true)}.`,
        en: `The rules of ${str(p.council)} require the convocation at least ${str(p.noticeDays)} days before a sitting. The sitting "${str(p.title)}" starts on ${h.date(p.startsAt, true)}; the convocation was sent on ${h.date(p.sentAt, true)}.`,
      }),
      L(lang, {
        et: 'Kaaluge istungi edasilükkamist või põhjendage erakorralist kokkukutsumist.',
        ru: 'Рассмотрите перенос заседания или обоснуйте внеочередной созыв.',
        en: 'Consider moving the sitting, or record why it is convened at short notice.',
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Istungi leht', ru: 'Страница заседания', en: 'The sitting' }), url: h.link }
      : undefined,
  }),
  'council.agenda-changed': (p, lang, h) => ({
    subject: L(lang, {
      et: `${str(p.number)}. istungi päevakord muutus`,
      ru: `Повестка заседания № ${str(p.number)} изменилась`,
      en: `The agenda of sitting no. ${str(p.number)} changed`,
    }),
    paragraphs: [
      L(lang, {
        et: `${str(p.council)} ${str(p.number)}. istungi („${str(p.title)}”, ${h.date(p.startsAt, true)}) päevakord või andmed muutusid${p.item ? `: „${str(p.item)}”` : ''}.`,
        ru: `Повестка или данные заседания № ${str(p.number)} («${str(p.title)}», ${h.date(p.startsAt, true)}) изменились${p.item ? `: «${str(p.item)}»` : ''}.`,
        en: `The agenda or details of sitting no. ${str(p.number)} ("${str(p.title)}", ${h.date(p.startsAt, true)}) changed${p.item ? `: "${str(p.item)}"` : ''}.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Vaata päevakorda', ru: 'Открыть повестку', en: 'See the agenda' }), url: h.link }
      : undefined,
  }),
  'council.minutes': (p, lang, h) => ({
    subject: L(lang, {
      et: `${str(p.number)}. istungi protokoll on saadaval`,
      ru: `Протокол заседания № ${str(p.number)} доступен`,
      en: `The minutes of sitting no. ${str(p.number)} are available`,
    }),
    paragraphs: [
      L(lang, {
        et: `${str(p.council)} ${str(p.number)}. istungi („${str(p.title)}”) protokoll on allkirjastatud.`,
        ru: `Протокол заседания № ${str(p.number)} («${str(p.title)}», ${str(p.council)}) подписан.`,
        en: `The minutes of sitting no. ${str(p.number)} ("${str(p.title)}") of ${str(p.council)} have been signed.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Loe protokolli', ru: 'Читать протокол', en: 'Read the minutes' }), url: h.link }
      : undefined,
  }),
  'community.registered': (p, lang, h) => {
    const waitlisted = p.status === 'waitlisted';
    return {
      subject: waitlisted
        ? L(lang, {
            et: `Olete ootejärjekorras: ${str(p.title)}`,
            ru: `Вы в списке ожидания: ${str(p.title)}`,
            en: `You are on the waiting list: ${str(p.title)}`,
          })
        : L(lang, {
            et: `Registreerumine kinnitatud: ${str(p.title)}`,
            ru: `Регистрация подтверждена: ${str(p.title)}`,
            en: `Registration confirmed: ${str(p.title)}`,
          }),
      paragraphs: [
        waitlisted
          ? L(lang, {
              et: `Üritus „${str(p.title)}” (${h.date(p.startsAt, true)}) on täis. Olete ootejärjekorras ${str(p.position)}. kohal; anname teada, kui koht vabaneb.`,
              ru: `Мероприятие «${str(p.title)}» (${h.date(p.startsAt, true)}) заполнено. Вы ${str(p.position)}-й в списке ожидания; мы сообщим, если место освободится.`,
              en: `The event "${str(p.title)}" (${h.date(p.startsAt, true)}) is full. You are number ${str(p.position)} on the waiting list; we will tell you if a place frees up.`,
            })
          : L(lang, {
              et: `Olete registreeritud üritusele „${str(p.title)}”, mis toimub ${h.date(p.startsAt, true)}.`,
              ru: `Вы зарегистрированы на мероприятие «${str(p.title)}», которое состоится ${h.date(p.startsAt, true)}.`,
              en: `You are registered for "${str(p.title)}", on ${h.date(p.startsAt, true)}.`,
            }),
      ],
      action: h.link
        ? { label: L(lang, { et: 'Ürituse leht', ru: 'Страница мероприятия', en: 'The event' }), url: h.link }
        : undefined,
    };
  },
  'community.promoted': (p, lang, h) => ({
    subject: L(lang, {
      et: `Saite koha: ${str(p.title)}`,
      ru: `Вы получили место: ${str(p.title)}`,
      en: `You got a place: ${str(p.title)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Ürituse „${str(p.title)}” (${h.date(p.startsAt, true)}) ootejärjekorrast vabanes teile koht. Kui te ei saa osaleda, tühistage registreerumine, et koht läheks järgmisele.`,
        ru: `Для вас освободилось место на мероприятии «${str(p.title)}» (${h.date(p.startsAt, true)}). Если не сможете прийти, отмените регистрацию, чтобы место досталось следующему.`,
        en: `A place on "${str(p.title)}" (${h.date(p.startsAt, true)}) freed up for you. If you cannot come, cancel your registration so that the next person gets it.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ürituse leht', ru: 'Страница мероприятия', en: 'The event' }), url: h.link }
      : undefined,
  }),
  'community.reminder': (p, lang, h) => ({
    subject: L(lang, {
      et: `Meeldetuletus: ${str(p.title)} ${h.date(p.startsAt, true)}`,
      ru: `Напоминание: ${str(p.title)} ${h.date(p.startsAt, true)}`,
      en: `Reminder: ${str(p.title)} on ${h.date(p.startsAt, true)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Üritus „${str(p.title)}” algab ${h.date(p.startsAt, true)}.${p.location ? ` Koht: ${str(p.location)}.` : ''}`,
        ru: `Мероприятие «${str(p.title)}» начнётся ${h.date(p.startsAt, true)}.${p.location ? ` Место: ${str(p.location)}.` : ''}`,
        en: `The event "${str(p.title)}" starts on ${h.date(p.startsAt, true)}.${p.location ? ` Place: ${str(p.location)}.` : ''}`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ürituse leht', ru: 'Страница мероприятия', en: 'The event' }), url: h.link }
      : undefined,
  }),
  'community.cancelled': (p, lang, h) => ({
    subject: L(lang, {
      et: `Üritus jääb ära: ${str(p.title)}`,
      ru: `Мероприятие отменено: ${str(p.title)}`,
      en: `Event cancelled: ${str(p.title)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Kahjuks jääb üritus „${str(p.title)}” (${h.date(p.startsAt, true)}) ära.`,
        ru: `К сожалению, мероприятие «${str(p.title)}» (${h.date(p.startsAt, true)}) отменено.`,
        en: `Unfortunately the event "${str(p.title)}" (${h.date(p.startsAt, true)}) is cancelled.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ürituste kalender', ru: 'Календарь мероприятий', en: 'Events' }), url: h.link }
      : undefined,
  }),
  'officials.assigned': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teile määrati teade ${reportRef(p, h)}`,
      ru: `Вам назначено сообщение ${reportRef(p, h)}`,
      en: `Report ${reportRef(p, h)} was assigned to you`,
    }),
    paragraphs: [
      L(lang, {
        et: `${h.pick(p.municipality)}: teade ${reportRef(p, h)}${p.dueAt ? `, tähtaeg ${h.date(p.dueAt)}` : ''}.`,
        ru: `${h.pick(p.municipality)}: сообщение ${reportRef(p, h)}${p.dueAt ? `, срок ${h.date(p.dueAt)}` : ''}.`,
        en: `${h.pick(p.municipality)}: report ${reportRef(p, h)}${p.dueAt ? `, due ${h.date(p.dueAt)}` : ''}.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ava teade', ru: 'Открыть сообщение', en: 'Open the report' }), url: h.link }
      : undefined,
  }),
  'officials.overdue': (p, lang, h) => ({
    subject: L(lang, {
      et: `Tähtaeg ületatud: teade ${reportRef(p, h)}`,
      ru: `Срок истёк: сообщение ${reportRef(p, h)}`,
      en: `Past its deadline: report ${reportRef(p, h)}`,
    }),
    paragraphs: [
      L(lang, {
        et: `Teate ${reportRef(p, h)} tähtaeg oli ${h.date(p.dueAt, true)} ja see ei ole veel lahendatud.`,
        ru: `Срок сообщения ${reportRef(p, h)} истёк ${h.date(p.dueAt, true)}, а оно ещё не решено.`,
        en: `Report ${reportRef(p, h)} was due on ${h.date(p.dueAt, true)} and is not closed yet.`,
      }),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ava teade', ru: 'Открыть сообщение', en: 'Open the report' }), url: h.link }
      : undefined,
  }),
  'officials.reopened': (p, lang, h) => ({
    subject: L(lang, {
      et: `Teataja avas teate ${reportRef(p, h)} uuesti`,
      ru: `Автор снова открыл сообщение ${reportRef(p, h)}`,
      en: `The reporter reopened report ${reportRef(p, h)}`,
    }),
    paragraphs: [
      L(lang, {
        et: 'Teataja sõnul ei ole probleem lahendatud.',
        ru: 'По словам автора, проблема не решена.',
        en: 'The reporter says the problem is not solved.',
      }),
      ...quote(p.text),
    ],
    action: h.link
      ? { label: L(lang, { et: 'Ava teade', ru: 'Открыть сообщение', en: 'Open the report' }), url: h.link }
      : undefined,
  }),
  'officials.digest': (p, lang, h) => {
    const items = (Array.isArray(p.items) ? p.items : []) as {
      reportId: number;
      category: unknown;
      status: string;
      dueAt: string | null;
      overdue: boolean;
    }[];
    return {
      subject: L(lang, {
        et: `Töölaud ${h.date(p.day)}: ${str(p.assigned)} teid ootavat teadet, ${str(p.overdue)} üle tähtaja`,
        ru: `Рабочая очередь ${h.date(p.day)}: ${str(p.assigned)} ждут вас, ${str(p.overdue)} просрочено`,
        en: `Work queue ${h.date(p.day)}: ${str(p.assigned)} waiting for you, ${str(p.overdue)} overdue`,
      }),
      paragraphs: [
        L(lang, {
          et: `${h.pick(p.municipality)}: teile määratud lahendamata teateid ${str(p.assigned)} (neist üle tähtaja ${str(p.overdue)}); määramata teateid ${str(p.unassigned)}; eile laekus ${str(p.newYesterday)} uut teadet.`,
          ru: `${h.pick(p.municipality)}: назначенных вам открытых сообщений ${str(p.assigned)} (просрочено ${str(p.overdue)}); без исполнителя ${str(p.unassigned)}; вчера поступило ${str(p.newYesterday)}.`,
          en: `${h.pick(p.municipality)}: ${str(p.assigned)} open reports assigned to you (${str(p.overdue)} overdue); ${str(p.unassigned)} unassigned; ${str(p.newYesterday)} new yesterday.`,
        }),
      ],
      list: items.map((i) => ({
        text: `${h.pick(i.category)} #${i.reportId} — ${status(i.status, lang)}${i.dueAt ? ` (${L(lang, { et: 'tähtaeg', ru: 'срок', en: 'due' })} ${h.date(i.dueAt)})` : ''}${i.overdue ? ' ⚠' : ''}`,
        url: h.url(`/teated/${i.reportId}`),
      })),
      action: {
        label: L(lang, { et: 'Ava töölaud', ru: 'Открыть рабочую очередь', en: 'Open the work queue' }),
        url: h.url('/teated/haldus'),
      },
    };
  },
};

export const STRINGS = {
  digestSubject: {
    et: (n: number) => `Teie igapäevane kokkuvõte: ${n} teavitus${n === 1 ? '' : 't'}`,
    ru: (n: number) => `Ваша ежедневная сводка: уведомлений — ${n}`,
    en: (n: number) => `Your daily digest: ${n} notification${n === 1 ? '' : 's'}`,
  },
  digestIntro: {
    et: 'Eile ja täna öösel kogunenud teavitused:',
    ru: 'Уведомления за прошедшие сутки:',
    en: 'Notifications of the past day:',
  },
  digestMore: {
    et: (n: number) => `… ja veel ${n}. Kõik on teavituste keskuses.`,
    ru: (n: number) => `… и ещё ${n}. Все — в центре уведомлений.`,
    en: (n: number) => `… and ${n} more. All are in the notification centre.`,
  },
  verifySubject: {
    et: 'Kinnitage oma e-posti aadress',
    ru: 'Подтвердите свой адрес электронной почты',
    en: 'Confirm your e-mail address',
  },
  verifyBody: {
    et: (hours: number) =>
      `Keegi (loodetavasti teie) soovib saada KOV platvormi teavitusi sellele aadressile. Kinnitamiseks avage link ${hours} tunni jooksul. Kui see polnud teie, ei pea te midagi tegema.`,
    ru: (hours: number) =>
      `Кто-то (надеемся, вы) хочет получать уведомления платформы KOV на этот адрес. Для подтверждения откройте ссылку в течение ${hours} часов. Если это были не вы, ничего делать не нужно.`,
    en: (hours: number) =>
      `Someone (we hope you) wants to receive notifications of the KOV platform at this address. Open the link within ${hours} hours to confirm. If it was not you, there is nothing to do.`,
  },
  verifyAction: { et: 'Kinnitan aadressi', ru: 'Подтвердить адрес', en: 'Confirm the address' },
  footerWhy: {
    et: 'Saite selle kirja, sest olete KOV platvormil teavitused sisse lülitanud.',
    ru: 'Вы получили это письмо, потому что включили уведомления на платформе KOV.',
    en: 'You received this because you turned notifications on in the KOV platform.',
  },
  footerSettings: { et: 'Teavituste seaded', ru: 'Настройки уведомлений', en: 'Notification settings' },
  footerUnsubscribe: {
    et: (topic: string) => `Loobu kirjadest teemal „${topic}”`,
    ru: (topic: string) => `Отказаться от писем на тему «${topic}»`,
    en: (topic: string) => `Unsubscribe from "${topic}" e-mails`,
  },
  footerRequired: {
    et: 'Seda teadet nõuab seadus; sellest ei saa loobuda.',
    ru: 'Это уведомление требуется по закону; от него нельзя отказаться.',
    en: 'This notice is required by law and cannot be switched off.',
  },
  platform: { et: 'KOV platvorm', ru: 'Платформа KOV', en: 'KOV platform' },
} satisfies Record<string, Record<Lang, unknown>>;
