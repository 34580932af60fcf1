/**
 * Reference data of the service catalogue: the code lists every service uses (KOKS §6 fields,
 * target groups, types, channels, outputs, statuses), the life and business events (the EU list
 * plus Estonia's), the state services that municipal services link to, and the principles of the
 * service standard. Labels in Estonian, Russian and English; codes are stable and appear in the
 * API, the CPSV-AP export and the database.
 */
export type Lang = 'et' | 'ru' | 'en';
export type Label = { et: string; ru: string; en: string };
export const LANGS: readonly Lang[] = ['et', 'ru', 'en'];

/** Municipal tasks of the Local Government Organisation Act (KOKS) §6, as service fields. */
export const FIELDS = {
  'social-assistance': {
    et: 'Sotsiaalabi ja -teenused',
    ru: 'Социальная помощь и услуги',
    en: 'Social assistance and services',
  },
  'elderly-care': { et: 'Eakate hoolekanne', ru: 'Попечение о пожилых', en: 'Elderly care' },
  'child-protection': {
    et: 'Lastekaitse ja perede toetamine',
    ru: 'Защита детей и поддержка семей',
    en: 'Child protection and family support',
  },
  'youth-work': { et: 'Noorsootöö', ru: 'Работа с молодёжью', en: 'Youth work' },
  education: {
    et: 'Haridus (koolid, lasteaiad)',
    ru: 'Образование (школы, детские сады)',
    en: 'Education (schools, kindergartens)',
  },
  'culture-sport-libraries': {
    et: 'Kultuur, sport ja raamatukogud',
    ru: 'Культура, спорт и библиотеки',
    en: 'Culture, sport and libraries',
  },
  'housing-utilities': {
    et: 'Elamu- ja kommunaalmajandus',
    ru: 'Жилищно-коммунальное хозяйство',
    en: 'Housing and utilities',
  },
  'water-sewerage': {
    et: 'Veevarustus ja kanalisatsioon',
    ru: 'Водоснабжение и канализация',
    en: 'Water supply and sewerage',
  },
  'public-tidiness': { et: 'Heakord', ru: 'Благоустройство', en: 'Public tidiness' },
  waste: { et: 'Jäätmehooldus', ru: 'Обращение с отходами', en: 'Waste management' },
  'spatial-planning': {
    et: 'Ruumiline planeerimine ja ehitus',
    ru: 'Планирование и строительство',
    en: 'Spatial planning and building',
  },
  'public-transport': {
    et: 'Kohalik ühistransport',
    ru: 'Местный общественный транспорт',
    en: 'Local public transport',
  },
  roads: { et: 'Teede ja tänavate korrashoid', ru: 'Содержание дорог и улиц', en: 'Roads and streets' },
  'population-records': {
    et: 'Rahvastikuarvestus ja perekonnaseis',
    ru: 'Учёт населения и гражданское состояние',
    en: 'Population records and civil status',
  },
  'business-permits': { et: 'Ettevõtlus ja load', ru: 'Предпринимательство и разрешения', en: 'Business and permits' },
  'public-order': {
    et: 'Avalik kord ja turvalisus',
    ru: 'Общественный порядок и безопасность',
    en: 'Public order and safety',
  },
} as const satisfies Record<string, Label>;
export type Field = keyof typeof FIELDS;

export const TARGET_GROUPS = {
  residents: { et: 'Elanikud', ru: 'Жители', en: 'Residents' },
  families: { et: 'Lastega pered', ru: 'Семьи с детьми', en: 'Families with children' },
  children: { et: 'Lapsed', ru: 'Дети', en: 'Children' },
  youth: { et: 'Noored', ru: 'Молодёжь', en: 'Young people' },
  elderly: { et: 'Eakad', ru: 'Пожилые', en: 'Older people' },
  disabled: { et: 'Puudega inimesed', ru: 'Люди с инвалидностью', en: 'People with disabilities' },
  'low-income': { et: 'Toimetulekuraskustes inimesed', ru: 'Малообеспеченные', en: 'People on low income' },
  'property-owners': { et: 'Kinnisasja omanikud', ru: 'Владельцы недвижимости', en: 'Property owners' },
  businesses: { et: 'Ettevõtjad', ru: 'Предприниматели', en: 'Businesses' },
  organisations: { et: 'Mittetulundusühingud', ru: 'Некоммерческие организации', en: 'Non-profit organisations' },
} as const satisfies Record<string, Label>;

export const SERVICE_TYPES = {
  benefit: { et: 'Toetus', ru: 'Пособие', en: 'Benefit' },
  care: { et: 'Hoolekandeteenus', ru: 'Услуга попечения', en: 'Care service' },
  permit: { et: 'Luba või kooskõlastus', ru: 'Разрешение или согласование', en: 'Permit or approval' },
  registration: { et: 'Registreerimine', ru: 'Регистрация', en: 'Registration' },
  place: { et: 'Koht asutuses', ru: 'Место в учреждении', en: 'Place in an institution' },
  counselling: { et: 'Nõustamine', ru: 'Консультирование', en: 'Counselling' },
  information: { et: 'Teave', ru: 'Информация', en: 'Information' },
  facility: { et: 'Rajatise või ruumi kasutus', ru: 'Пользование объектом', en: 'Use of a facility' },
} as const satisfies Record<string, Label>;

/** Channel types; CPSV-AP's channel type concept is published as `<base>/channel-type/<code>`. */
export const CHANNEL_TYPES = {
  'e-service': { et: 'E-teenus (iseteenindus)', ru: 'Э-услуга (самообслуживание)', en: 'E-service (self-service)' },
  homepage: { et: 'Veebileht', ru: 'Веб-сайт', en: 'Website' },
  email: { et: 'E-post', ru: 'Эл. почта', en: 'E-mail' },
  telephone: { et: 'Telefon', ru: 'Телефон', en: 'Telephone' },
  'service-desk': { et: 'Teenindussaal', ru: 'Бюро обслуживания', en: 'Service desk' },
  'mobile-app': { et: 'Mobiilirakendus', ru: 'Мобильное приложение', en: 'Mobile app' },
  post: { et: 'Post', ru: 'Почта', en: 'Post' },
  'home-visit': { et: 'Kodukülastus', ru: 'Визит на дом', en: 'Home visit' },
} as const satisfies Record<string, Label>;
export type ChannelType = keyof typeof CHANNEL_TYPES;

/** Output types of CPSV-AP. */
export const OUTPUT_TYPES = {
  declaration: { et: 'Otsus või teatis', ru: 'Решение или уведомление', en: 'Declaration' },
  'physical-object': { et: 'Füüsiline ese', ru: 'Физический предмет', en: 'Physical object' },
  code: { et: 'Kood või number', ru: 'Код или номер', en: 'Code' },
  'financial-obligation': { et: 'Rahaline kohustus', ru: 'Финансовое обязательство', en: 'Financial obligation' },
  'financial-benefit': { et: 'Rahaline hüve', ru: 'Финансовая выгода', en: 'Financial benefit' },
  recognition: { et: 'Tunnustus', ru: 'Признание', en: 'Recognition' },
  permit: { et: 'Luba', ru: 'Разрешение', en: 'Permit' },
} as const satisfies Record<string, Label>;

export const STATUSES = {
  'being-created': { et: 'Loomisel', ru: 'Создаётся', en: 'Being created' },
  active: { et: 'Kasutusel', ru: 'Действует', en: 'Active' },
  'needs-change': { et: 'Vajab muutmist', ru: 'Требует изменения', en: 'Needs change' },
  archived: { et: 'Arhiveeritud', ru: 'В архиве', en: 'Archived' },
} as const satisfies Record<string, Label>;
export type ServiceStatus = keyof typeof STATUSES;

export const FEE_TYPES = {
  free: { et: 'Tasuta', ru: 'Бесплатно', en: 'Free' },
  'service-fee': { et: 'Teenustasu', ru: 'Плата за услугу', en: 'Service fee' },
  'state-fee': { et: 'Riigilõiv', ru: 'Госпошлина', en: 'State fee' },
} as const satisfies Record<string, Label>;

/** How a municipal service relates to a state service. */
export const STATE_RELATIONS = {
  related: { et: 'Seotud', ru: 'Связана', en: 'Related' },
  'depends-on': { et: 'Eeldab riigi teenust', ru: 'Зависит от госуслуги', en: 'Depends on the state service' },
  duplicates: { et: 'Kattub riigi teenusega', ru: 'Дублирует госуслугу', en: 'Duplicates the state service' },
} as const satisfies Record<string, Label>;
export type StateRelation = keyof typeof STATE_RELATIONS;

/**
 * State services that municipal services and life events point to. Names and providers are the
 * real ones; the ids are this platform's keys (riigiteenused.ee has no stable public ids we could
 * verify here), and the links go to the provider's public site.
 */
export interface StateService {
  id: string;
  name: Label;
  provider: string;
  url: string;
}
export const STATE_SERVICES: StateService[] = [
  {
    id: 'rr-birth-registration',
    name: { et: 'Sünni registreerimine', ru: 'Регистрация рождения', en: 'Registration of a birth' },
    provider: 'Siseministeerium',
    url: 'https://www.eesti.ee/',
  },
  {
    id: 'ska-family-benefits',
    name: { et: 'Peretoetused', ru: 'Семейные пособия', en: 'Family benefits' },
    provider: 'Sotsiaalkindlustusamet',
    url: 'https://www.sotsiaalkindlustusamet.ee/',
  },
  {
    id: 'ska-parental-benefit',
    name: { et: 'Vanemahüvitis', ru: 'Родительское пособие', en: 'Parental benefit' },
    provider: 'Sotsiaalkindlustusamet',
    url: 'https://www.sotsiaalkindlustusamet.ee/',
  },
  {
    id: 'rr-residence-notice',
    name: { et: 'Elukoha teate esitamine', ru: 'Подача уведомления о месте жительства', en: 'Notice of residence' },
    provider: 'Siseministeerium',
    url: 'https://www.eesti.ee/',
  },
  {
    id: 'ppa-identity-documents',
    name: {
      et: 'Isikut tõendavate dokumentide taotlemine',
      ru: 'Ходатайство о документах, удостоверяющих личность',
      en: 'Applying for identity documents',
    },
    provider: 'Politsei- ja Piirivalveamet',
    url: 'https://www.politsei.ee/',
  },
  {
    id: 'rr-death-registration',
    name: { et: 'Surma registreerimine', ru: 'Регистрация смерти', en: 'Registration of a death' },
    provider: 'Siseministeerium',
    url: 'https://www.eesti.ee/',
  },
  {
    id: 'ska-survivor-pension',
    name: { et: 'Toitjakaotuspension', ru: 'Пенсия по потере кормильца', en: "Survivor's pension" },
    provider: 'Sotsiaalkindlustusamet',
    url: 'https://www.sotsiaalkindlustusamet.ee/',
  },
  {
    id: 'ska-old-age-pension',
    name: { et: 'Vanaduspension', ru: 'Пенсия по старости', en: 'Old-age pension' },
    provider: 'Sotsiaalkindlustusamet',
    url: 'https://www.sotsiaalkindlustusamet.ee/',
  },
  {
    id: 'ska-disability-assessment',
    name: {
      et: 'Puude raskusastme tuvastamine',
      ru: 'Установление степени инвалидности',
      en: 'Assessment of disability',
    },
    provider: 'Sotsiaalkindlustusamet',
    url: 'https://www.sotsiaalkindlustusamet.ee/',
  },
  {
    id: 'tk-unemployment-registration',
    name: { et: 'Töötuna arvele võtmine', ru: 'Регистрация безработным', en: 'Registering as unemployed' },
    provider: 'Eesti Töötukassa',
    url: 'https://www.tootukassa.ee/',
  },
  {
    id: 'tk-work-ability',
    name: { et: 'Töövõime hindamine', ru: 'Оценка трудоспособности', en: 'Assessment of work ability' },
    provider: 'Eesti Töötukassa',
    url: 'https://www.tootukassa.ee/',
  },
  {
    id: 'rik-company-registration',
    name: { et: 'Ettevõtte asutamine', ru: 'Учреждение предприятия', en: 'Founding a company' },
    provider: 'Registrite ja Infosüsteemide Keskus',
    url: 'https://www.rik.ee/',
  },
  {
    id: 'ta-driving-licence',
    name: { et: 'Juhiloa taotlemine', ru: 'Получение водительских прав', en: 'Applying for a driving licence' },
    provider: 'Transpordiamet',
    url: 'https://www.transpordiamet.ee/',
  },
  {
    id: 'kra-conscription',
    name: { et: 'Ajateenistusse asumine', ru: 'Прохождение срочной службы', en: 'Conscript service' },
    provider: 'Kaitseressursside Amet',
    url: 'https://www.kaitseressursid.ee/',
  },
  {
    id: 'ppa-residence-permit',
    name: { et: 'Elamisloa taotlemine', ru: 'Ходатайство о виде на жительство', en: 'Applying for a residence permit' },
    provider: 'Politsei- ja Piirivalveamet',
    url: 'https://www.politsei.ee/',
  },
  {
    id: 'ins-welcoming-programme',
    name: { et: 'Kohanemisprogramm', ru: 'Программа адаптации', en: 'Welcoming programme' },
    provider: 'Integratsiooni Sihtasutus',
    url: 'https://www.integratsioon.ee/',
  },
  {
    id: 'rr-marriage',
    name: { et: 'Abielu sõlmimine', ru: 'Заключение брака', en: 'Contracting a marriage' },
    provider: 'Siseministeerium',
    url: 'https://www.eesti.ee/',
  },
  {
    id: 'hk-health-insurance',
    name: { et: 'Ravikindlustus', ru: 'Медицинское страхование', en: 'Health insurance' },
    provider: 'Tervisekassa',
    url: 'https://www.tervisekassa.ee/',
  },
  {
    id: 'emta-tax-return',
    name: { et: 'Tuludeklaratsioon', ru: 'Декларация о доходах', en: 'Income tax return' },
    provider: 'Maksu- ja Tolliamet',
    url: 'https://www.emta.ee/',
  },
  {
    id: 'hm-school-admission',
    name: {
      et: 'Gümnaasiumi ja kutsekooli vastuvõtt',
      ru: 'Приём в гимназию и профессиональную школу',
      en: 'Admission to upper-secondary and vocational school',
    },
    provider: 'Haridus- ja Teadusministeerium',
    url: 'https://www.hm.ee/',
  },
];
export const stateServiceById = new Map(STATE_SERVICES.map((s) => [s.id, s]));

/**
 * Life events: the EU list (CPSV-AP / Single Digital Gateway) plus Estonia's own life-event
 * services. Each has ordered steps; a step names the state services that belong to it, and
 * municipal services join a step through their `lifeEvents[].step`.
 */
export interface LifeEventStep {
  title: Label;
  stateServices: string[];
}
export interface LifeEvent {
  code: string;
  kind: 'life' | 'business';
  origin: 'eu' | 'ee' | 'eu+ee';
  name: Label;
  description: Label;
  steps: LifeEventStep[];
}

const step = (et: string, ru: string, en: string, stateServices: string[] = []): LifeEventStep => ({
  title: { et, ru, en },
  stateServices,
});

export const LIFE_EVENTS: LifeEvent[] = [
  {
    code: 'having-a-child',
    kind: 'life',
    origin: 'eu+ee',
    name: { et: 'Lapse sünd', ru: 'Рождение ребёнка', en: 'Having a child' },
    description: {
      et: 'Mida teha, kui perre sünnib laps: registreerimine, toetused, lasteaed.',
      ru: 'Что делать, когда в семье рождается ребёнок: регистрация, пособия, детский сад.',
      en: 'What to do when a child is born: registration, benefits, kindergarten.',
    },
    steps: [
      step('Sünni registreerimine', 'Регистрация рождения', 'Register the birth', ['rr-birth-registration']),
      step('Toetused ja hüvitised', 'Пособия и компенсации', 'Benefits and allowances', [
        'ska-family-benefits',
        'ska-parental-benefit',
      ]),
      step('Tervis ja kindlustus', 'Здоровье и страхование', 'Health and insurance', ['hk-health-insurance']),
      step('Lastehoid ja lasteaed', 'Присмотр за детьми и детский сад', 'Childcare and kindergarten'),
    ],
  },
  {
    code: 'becoming-a-caretaker',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Lähedase hooldamine', ru: 'Уход за близким', en: 'Becoming a caretaker' },
    description: {
      et: 'Kui lähedane vajab hooldust: hindamine, hooldaja, teenused kodus ja asutuses.',
      ru: 'Если близкому нужен уход: оценка, опекун, услуги на дому и в учреждении.',
      en: 'When someone close needs care: assessment, caregiver, services at home and in care homes.',
    },
    steps: [
      step('Abivajaduse hindamine', 'Оценка потребности в помощи', 'Assessing the need for help', [
        'ska-disability-assessment',
      ]),
      step('Hooldus kodus', 'Уход на дому', 'Care at home'),
      step('Hooldus asutuses', 'Уход в учреждении', 'Care in an institution'),
    ],
  },
  {
    code: 'starting-education',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Kooli minek', ru: 'Начало учёбы', en: 'Starting education' },
    description: {
      et: 'Lasteaiast gümnaasiumini: kohad, transport, toitlustus, huviharidus.',
      ru: 'От детского сада до гимназии: места, транспорт, питание, кружки.',
      en: 'From kindergarten to upper-secondary school: places, transport, meals, hobby education.',
    },
    steps: [
      step('Lasteaed', 'Детский сад', 'Kindergarten'),
      step('Kool', 'Школа', 'School', ['hm-school-admission']),
      step('Transport ja toitlustus', 'Транспорт и питание', 'Transport and meals'),
      step('Huviharidus', 'Дополнительное образование', 'Hobby education'),
    ],
  },
  {
    code: 'looking-for-a-job',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Töö otsimine', ru: 'Поиск работы', en: 'Looking for a job' },
    description: {
      et: 'Töö leidmise tugi riigilt ja vallalt või linnalt.',
      ru: 'Поддержка в поиске работы от государства и самоуправления.',
      en: 'Support for finding work from the state and the municipality.',
    },
    steps: [
      step('Töötukassa abi', 'Помощь кассы по безработице', 'Help from the Unemployment Insurance Fund', [
        'tk-unemployment-registration',
      ]),
      step('Kohalik tugi', 'Местная поддержка', 'Local support'),
    ],
  },
  {
    code: 'losing-a-job',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Töö kaotamine', ru: 'Потеря работы', en: 'Losing a job' },
    description: {
      et: 'Sissetulek ja toimetulek töö kaotamisel.',
      ru: 'Доход и помощь при потере работы.',
      en: 'Income and coping after losing a job.',
    },
    steps: [
      step('Töötuna arvele', 'Регистрация безработным', 'Register as unemployed', ['tk-unemployment-registration']),
      step('Toimetulek', 'Помощь в затруднительном положении', 'Making ends meet'),
    ],
  },
  {
    code: 'looking-for-a-place-to-live',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Eluaseme otsimine', ru: 'Поиск жилья', en: 'Looking for a place to live' },
    description: {
      et: 'Munitsipaaleluruumid ja eluasemega seotud abi.',
      ru: 'Муниципальное жильё и помощь с жильём.',
      en: 'Municipal housing and help with housing.',
    },
    steps: [step('Eluruum', 'Жильё', 'A dwelling'), step('Kommunaalteenused', 'Коммунальные услуги', 'Utilities')],
  },
  {
    code: 'moving',
    kind: 'life',
    origin: 'ee',
    name: { et: 'Kolimine', ru: 'Переезд', en: 'Moving' },
    description: {
      et: 'Uude elukohta kolides: elukoha registreerimine, kommunaalid, jäätmed, lasteaed ja kool.',
      ru: 'При переезде: регистрация места жительства, коммунальные услуги, отходы, детский сад и школа.',
      en: 'Moving home: registering the residence, utilities, waste, kindergarten and school.',
    },
    steps: [
      step('Elukoha registreerimine', 'Регистрация места жительства', 'Register your residence', [
        'rr-residence-notice',
      ]),
      step('Kodu ja kommunaalteenused', 'Дом и коммунальные услуги', 'Home and utilities'),
      step(
        'Lasteaed ja kool uues kohas',
        'Детский сад и школа на новом месте',
        'Kindergarten and school in the new place',
      ),
      step('Liikumine', 'Передвижение', 'Getting around'),
    ],
  },
  {
    code: 'changing-relationship-status',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Perekonnaseisu muutus', ru: 'Изменение семейного положения', en: 'Changing relationship status' },
    description: {
      et: 'Abiellumine, lahutus ja nimemuutus.',
      ru: 'Брак, развод и смена имени.',
      en: 'Marriage, divorce and change of name.',
    },
    steps: [
      step('Abielu', 'Брак', 'Marriage', ['rr-marriage']),
      step('Dokumendid', 'Документы', 'Documents', ['ppa-identity-documents']),
    ],
  },
  {
    code: 'getting-married',
    kind: 'life',
    origin: 'ee',
    name: { et: 'Abiellumine', ru: 'Вступление в брак', en: 'Getting married' },
    description: {
      et: 'Abielu sõlmimine ja sellega seotud toimingud.',
      ru: 'Заключение брака и связанные действия.',
      en: 'Contracting a marriage and what follows.',
    },
    steps: [
      step('Abielu sõlmimine', 'Заключение брака', 'Contracting the marriage', ['rr-marriage']),
      step('Pärast abiellumist', 'После заключения брака', 'After the wedding', ['ppa-identity-documents']),
    ],
  },
  {
    code: 'driving-a-vehicle',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Sõidukiga liiklemine', ru: 'Вождение транспортного средства', en: 'Driving a vehicle' },
    description: {
      et: 'Juhiload ja parkimine.',
      ru: 'Водительские права и парковка.',
      en: 'Driving licences and parking.',
    },
    steps: [
      step('Juhiluba', 'Водительские права', 'Driving licence', ['ta-driving-licence']),
      step('Parkimine', 'Парковка', 'Parking'),
    ],
  },
  {
    code: 'travelling-abroad',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Välisreis', ru: 'Поездка за границу', en: 'Travelling abroad' },
    description: { et: 'Reisidokumendid.', ru: 'Проездные документы.', en: 'Travel documents.' },
    steps: [step('Reisidokument', 'Проездной документ', 'Travel document', ['ppa-identity-documents'])],
  },
  {
    code: 'moving-to-from-country',
    kind: 'life',
    origin: 'eu',
    name: {
      et: 'Riiki elama asumine või lahkumine',
      ru: 'Переезд в страну или из страны',
      en: 'Moving to or from the country',
    },
    description: {
      et: 'Elama asumine Eestisse või Eestist lahkumine.',
      ru: 'Переезд в Эстонию или из Эстонии.',
      en: 'Moving to or leaving Estonia.',
    },
    steps: [
      step('Elamisõigus', 'Право на проживание', 'Right of residence', ['ppa-residence-permit']),
      step('Elukoht', 'Место жительства', 'Residence', ['rr-residence-notice']),
    ],
  },
  {
    code: 'adapting-to-estonia',
    kind: 'life',
    origin: 'ee',
    name: { et: 'Eestiga kohanemine', ru: 'Адаптация в Эстонии', en: 'Adapting to Estonia' },
    description: {
      et: 'Uussisserändaja esimesed sammud: elukoht, keeleõpe, kohalikud teenused.',
      ru: 'Первые шаги нового иммигранта: место жительства, изучение языка, местные услуги.',
      en: "A newcomer's first steps: residence, language learning, local services.",
    },
    steps: [
      step('Elamisluba ja elukoht', 'Вид на жительство и место жительства', 'Residence permit and address', [
        'ppa-residence-permit',
        'rr-residence-notice',
      ]),
      step('Kohanemine', 'Адаптация', 'Settling in', ['ins-welcoming-programme']),
      step('Kohalikud teenused', 'Местные услуги', 'Local services'),
    ],
  },
  {
    code: 'military-service',
    kind: 'life',
    origin: 'eu+ee',
    name: { et: 'Ajateenistus', ru: 'Срочная служба', en: 'Military service' },
    description: {
      et: 'Ajateenistusse minek ja toetused.',
      ru: 'Поступление на срочную службу и пособия.',
      en: 'Going into conscript service and support.',
    },
    steps: [
      step('Ajateenistus', 'Срочная служба', 'Conscript service', ['kra-conscription']),
      step('Toetus perele', 'Поддержка семьи', 'Support for the family'),
    ],
  },
  {
    code: 'emergency-health-problem',
    kind: 'life',
    origin: 'eu',
    name: {
      et: 'Terviseprobleem või hädaolukord',
      ru: 'Проблема со здоровьем или чрезвычайная ситуация',
      en: 'Emergency or health problem',
    },
    description: {
      et: 'Abi haiguse, puude või õnnetuse korral.',
      ru: 'Помощь при болезни, инвалидности или несчастном случае.',
      en: 'Help after illness, disability or an accident.',
    },
    steps: [
      step('Hindamine', 'Оценка', 'Assessment', ['ska-disability-assessment', 'tk-work-ability']),
      step('Abi ja teenused', 'Помощь и услуги', 'Help and services'),
    ],
  },
  {
    code: 'facing-a-crime',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Kuriteo ohvriks langemine', ru: 'Столкновение с преступлением', en: 'Facing a crime' },
    description: {
      et: 'Ohvriabi ja kohalik tugi.',
      ru: 'Помощь жертвам и местная поддержка.',
      en: 'Victim support and local help.',
    },
    steps: [step('Tugi', 'Поддержка', 'Support')],
  },
  {
    code: 'retirement',
    kind: 'life',
    origin: 'eu',
    name: { et: 'Pensionile jäämine', ru: 'Выход на пенсию', en: 'Retirement' },
    description: {
      et: 'Pension ja eakate teenused.',
      ru: 'Пенсия и услуги для пожилых.',
      en: 'Pension and services for older people.',
    },
    steps: [
      step('Pension', 'Пенсия', 'Pension', ['ska-old-age-pension']),
      step('Eakate teenused', 'Услуги для пожилых', 'Services for older people'),
    ],
  },
  {
    code: 'death-of-a-relative',
    kind: 'life',
    origin: 'eu+ee',
    name: { et: 'Lähedase surm', ru: 'Смерть близкого', en: 'Death of a relative' },
    description: {
      et: 'Surma registreerimine, matused, toetused ja pärand.',
      ru: 'Регистрация смерти, похороны, пособия и наследство.',
      en: 'Registering the death, the funeral, benefits and inheritance.',
    },
    steps: [
      step('Surma registreerimine', 'Регистрация смерти', 'Register the death', ['rr-death-registration']),
      step('Matused', 'Похороны', 'The funeral'),
      step('Toetused lähedastele', 'Пособия для близких', 'Support for the family', ['ska-survivor-pension']),
    ],
  },
  {
    code: 'starting-a-business',
    kind: 'business',
    origin: 'eu',
    name: { et: 'Ettevõtte alustamine', ru: 'Начало бизнеса', en: 'Starting a business' },
    description: {
      et: 'Ettevõtte asutamine ja kohalikud load.',
      ru: 'Учреждение предприятия и местные разрешения.',
      en: 'Founding a company and local permits.',
    },
    steps: [
      step('Asutamine', 'Учреждение', 'Founding', ['rik-company-registration']),
      step('Kohalikud load', 'Местные разрешения', 'Local permits'),
    ],
  },
  {
    code: 'running-a-business',
    kind: 'business',
    origin: 'eu',
    name: { et: 'Ettevõtte tegutsemine', ru: 'Ведение бизнеса', en: 'Running a business' },
    description: {
      et: 'Load, reklaam, ehitus ja maksud.',
      ru: 'Разрешения, реклама, строительство и налоги.',
      en: 'Permits, advertising, building and taxes.',
    },
    steps: [
      step('Load ja teated', 'Разрешения и уведомления', 'Permits and notices'),
      step('Maksud', 'Налоги', 'Taxes', ['emta-tax-return']),
    ],
  },
  {
    code: 'closing-a-business',
    kind: 'business',
    origin: 'eu',
    name: { et: 'Ettevõtte lõpetamine', ru: 'Закрытие бизнеса', en: 'Closing a business' },
    description: {
      et: 'Tegevuse lõpetamine ja lubade lõpetamine.',
      ru: 'Прекращение деятельности и разрешений.',
      en: 'Winding up and ending permits.',
    },
    steps: [step('Lõpetamine', 'Прекращение', 'Winding up')],
  },
];
export const lifeEventByCode = new Map(LIFE_EVENTS.map((e) => [e.code, e]));

/**
 * The service standard's principles (after the Estonian public-service standard, teenusstandard),
 * each a yes / partly / no question answered with evidence. Codes are stable.
 */
export const STANDARD_PRINCIPLES = [
  {
    code: 'user-centred',
    name: { et: 'Kasutajakeskne', ru: 'Ориентирована на пользователя', en: 'User-centred' },
    question: {
      et: 'Teenus on kavandatud kasutajate vajadustest lähtudes ja kasutajatega testitud.',
      ru: 'Услуга спроектирована исходя из потребностей пользователей и протестирована с ними.',
      en: 'The service is designed from users’ needs and tested with users.',
    },
  },
  {
    code: 'digital-by-default',
    name: { et: 'Digitaalne vaikimisi', ru: 'Цифровая по умолчанию', en: 'Digital by default' },
    question: {
      et: 'Teenust saab algusest lõpuni kasutada e-kanalis.',
      ru: 'Услугой можно воспользоваться от начала до конца в электронном канале.',
      en: 'The service can be used end to end online.',
    },
  },
  {
    code: 'once-only',
    name: { et: 'Ühekordsuse põhimõte', ru: 'Принцип однократности', en: 'Once only' },
    question: {
      et: 'Kasutajalt ei küsita andmeid, mis on riigil või vallal juba olemas.',
      ru: 'У пользователя не запрашивают данные, которые уже есть у государства или самоуправления.',
      en: 'Users are not asked for data the state or municipality already holds.',
    },
  },
  {
    code: 'proactive',
    name: { et: 'Proaktiivne', ru: 'Проактивная', en: 'Proactive' },
    question: {
      et: 'Teenust pakutakse ise, kui sündmus on teada (kus see on võimalik).',
      ru: 'Услуга предлагается сама, когда событие известно (где это возможно).',
      en: 'The service is offered without asking when the event is known (where possible).',
    },
  },
  {
    code: 'accessible',
    name: { et: 'Ligipääsetav', ru: 'Доступная', en: 'Accessible' },
    question: {
      et: 'Kanalid vastavad ligipääsetavusnõuetele (WCAG 2.1 AA) ja teenust saab kasutada eesti, vene ja inglise keeles.',
      ru: 'Каналы соответствуют требованиям доступности (WCAG 2.1 AA), услуга доступна на эстонском, русском и английском.',
      en: 'Channels meet accessibility requirements (WCAG 2.1 AA) and the service works in Estonian, Russian and English.',
    },
  },
  {
    code: 'clear-information',
    name: { et: 'Selge teave', ru: 'Понятная информация', en: 'Clear information' },
    question: {
      et: 'Tingimused, tasud, tähtajad ja õiguslik alus on avaldatud selges keeles.',
      ru: 'Условия, платы, сроки и правовая основа опубликованы понятным языком.',
      en: 'Conditions, fees, deadlines and the legal basis are published in plain language.',
    },
  },
  {
    code: 'measured',
    name: { et: 'Mõõdetud', ru: 'Измеряемая', en: 'Measured' },
    question: {
      et: 'Kasutamist, kulusid ja rahulolu mõõdetakse vähemalt kord aastas.',
      ru: 'Использование, затраты и удовлетворённость измеряются не реже раза в год.',
      en: 'Use, cost and satisfaction are measured at least yearly.',
    },
  },
  {
    code: 'owned',
    name: { et: 'Omanik on teada', ru: 'Есть владелец', en: 'Has an owner' },
    question: {
      et: 'Teenusel on nimeline omanik, kes vastutab arenduse eest.',
      ru: 'У услуги есть названный владелец, отвечающий за развитие.',
      en: 'The service has a named owner responsible for improving it.',
    },
  },
  {
    code: 'secure',
    name: { et: 'Turvaline', ru: 'Безопасная', en: 'Secure' },
    question: {
      et: 'Isikuandmeid töödeldakse minimaalselt ja turvaliselt (E-ITS).',
      ru: 'Персональные данные обрабатываются минимально и безопасно (E-ITS).',
      en: 'Personal data is processed minimally and securely (E-ITS).',
    },
  },
  {
    code: 'improved',
    name: { et: 'Pidevalt parendatav', ru: 'Постоянно улучшаемая', en: 'Continuously improved' },
    question: {
      et: 'Tagasiside põhjal tehakse parendusi ja need avaldatakse.',
      ru: 'По отзывам вносятся улучшения, и они публикуются.',
      en: 'Improvements are made from feedback and published.',
    },
  },
] as const;
export type PrincipleCode = (typeof STANDARD_PRINCIPLES)[number]['code'];

/** Satisfaction index thresholds of the municipal quality portal: basic / advanced / exemplary. */
export const SATISFACTION_LEVELS = [
  { level: 'exemplary', min: 4 },
  { level: 'advanced', min: 3.5 },
  { level: 'basic', min: 3 },
] as const;
export type SatisfactionLevel = 'exemplary' | 'advanced' | 'basic' | 'below-basic';

/** Picks a label in the language asked for, falling back to Estonian. */
export function pick(text: Partial<Record<Lang, string>> | undefined, lang: Lang): string {
  return text?.[lang] || text?.et || '';
}
