import type { ServiceData } from './schemas';
import type { Field } from './reference';

/**
 * ELVL's national templates: about 40 common municipal services that follow from the Local
 * Government Organisation Act (KOKS) and the laws it points to. They are seeded into tenant
 * '0000' and maintained there by ELVL; municipalities adopt and adapt them.
 *
 * The legal references are indicative (act and section as commonly cited; links use Riigi
 * Teataja's short-name addresses) and are for ELVL's lawyers to confirm before publication.
 */
const RT = (short: string) => `https://www.riigiteataja.ee/akt/${short}`;
const law = {
  KOKS: ['Kohaliku omavalitsuse korralduse seadus', 'KOKS'],
  SHS: ['Sotsiaalhoolekande seadus', 'SHS'],
  PGS: ['Põhikooli- ja gümnaasiumiseadus', 'PGS'],
  KELS: ['Koolieelse lasteasutuse seadus', 'KELS'],
  HHS: ['Huviharidusseadus', 'HHS'],
  NTS: ['Noorsootöö seadus', 'NTS'],
  RRS: ['Rahvastikuregistri seadus', 'RRS'],
  PKTS: ['Perekonnaseisutoimingute seadus', 'PKTS'],
  UVVKS: ['Ühisveevärgi ja -kanalisatsiooni seadus', 'ÜVVKS'],
  JaatS: ['Jäätmeseadus', 'JäätS'],
  LKS: ['Looduskaitseseadus', 'LKS'],
  EhS: ['Ehitusseadustik', 'EhS'],
  PlanS: ['Planeerimisseadus', 'PlanS'],
  UTS: ['Ühistranspordiseadus', 'ÜTS'],
  LS: ['Liiklusseadus', 'LS'],
  RaamS: ['Rahvaraamatukogu seadus', 'RaRS'],
  KorS: ['Korrakaitseseadus', 'KorS'],
  KaubTS: ['Kaubandustegevuse seadus', 'KaubTS'],
  RekS: ['Reklaamiseadus', 'RekS'],
} as const;
type LawKey = keyof typeof law;
const ref = (k: LawKey, section: string) => ({ law: law[k][0], section, url: RT(law[k][1]) });

interface T {
  id: string;
  field: Field;
  type: ServiceData['serviceType'];
  name: [string, string, string];
  desc: [string, string];
  groups: ServiceData['targetGroups'];
  channels: ServiceData['channels'][number]['type'][];
  fee?: ServiceData['feeType'];
  legal: [LawKey, string][];
  events?: [string, number?][];
  state?: ServiceData['stateServices'];
  evidence?: string[];
  outputs?: ServiceData['outputs'];
  requirements?: string[];
  processing?: string;
}

const TEMPLATES: T[] = [
  // Social assistance and services
  {
    id: 'ELVL-001',
    field: 'social-assistance',
    type: 'benefit',
    name: ['Toimetulekutoetus', 'Пособие по прожиточному минимуму', 'Subsistence benefit'],
    desc: [
      'Toetus, kui pere sissetulek pärast eluasemekulude tasumist jääb alla toimetulekupiiri.',
      'Benefit when a household’s income after housing costs is below the subsistence level.',
    ],
    groups: ['low-income', 'families'],
    channels: ['e-service', 'service-desk'],
    legal: [['SHS', '§ 131']],
    events: [['losing-a-job', 2]],
    evidence: ['Eluasemekulusid tõendavad dokumendid', 'Sissetulekuid tõendavad dokumendid'],
    outputs: [
      { name: 'Otsus toetuse määramise kohta', type: 'declaration' },
      { name: 'Toimetulekutoetus', type: 'financial-benefit' },
    ],
    requirements: ['Taotleja elukoht on rahvastikuregistri järgi vallas või linnas'],
    processing: 'P10D',
    state: [
      {
        id: 'tk-unemployment-registration',
        name: 'Töötuna arvele võtmine',
        url: 'https://www.tootukassa.ee/',
        relation: 'related',
      },
    ],
  },
  {
    id: 'ELVL-002',
    field: 'social-assistance',
    type: 'benefit',
    name: ['Vajaduspõhine peretoetus', 'Семейное пособие по нуждаемости', 'Needs-based family benefit'],
    desc: [
      'Lisatoetus toimetulekutoetust saavale lastega perele.',
      'Extra benefit for a family with children that receives the subsistence benefit.',
    ],
    groups: ['families', 'low-income'],
    channels: ['e-service', 'service-desk'],
    legal: [['SHS', '§ 133¹']],
    events: [['having-a-child', 2]],
    outputs: [{ name: 'Vajaduspõhine peretoetus', type: 'financial-benefit' }],
    state: [
      {
        id: 'ska-family-benefits',
        name: 'Peretoetused',
        url: 'https://www.sotsiaalkindlustusamet.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-003',
    field: 'child-protection',
    type: 'benefit',
    name: ['Sünnitoetus', 'Пособие при рождении ребёнка', 'Birth allowance'],
    desc: ['Omavalitsuse ühekordne toetus lapse sünni puhul.', 'A one-off municipal allowance when a child is born.'],
    groups: ['families'],
    channels: ['e-service', 'service-desk'],
    legal: [['KOKS', '§ 6 lg 1']],
    events: [['having-a-child', 2]],
    evidence: ['Lapse sünniandmed (rahvastikuregistrist, taotlejalt ei küsita)'],
    outputs: [{ name: 'Sünnitoetus', type: 'financial-benefit' }],
    requirements: ['Vähemalt ühe vanema elukoht on vallas või linnas'],
    processing: 'P14D',
    state: [
      {
        id: 'rr-birth-registration',
        name: 'Sünni registreerimine',
        url: 'https://www.eesti.ee/',
        relation: 'depends-on',
      },
      {
        id: 'ska-family-benefits',
        name: 'Peretoetused',
        url: 'https://www.sotsiaalkindlustusamet.ee/',
        relation: 'related',
      },
    ],
  },
  {
    id: 'ELVL-004',
    field: 'social-assistance',
    type: 'benefit',
    name: ['Matusetoetus', 'Пособие на похороны', 'Funeral allowance'],
    desc: [
      'Toetus matuse korraldajale vallas või linnas elanud inimese matmiseks.',
      'Allowance to whoever arranges the funeral of a resident.',
    ],
    groups: ['residents'],
    channels: ['e-service', 'service-desk'],
    legal: [['KOKS', '§ 6 lg 1']],
    events: [['death-of-a-relative', 2]],
    outputs: [{ name: 'Matusetoetus', type: 'financial-benefit' }],
    processing: 'P10D',
    state: [
      {
        id: 'rr-death-registration',
        name: 'Surma registreerimine',
        url: 'https://www.eesti.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-005',
    field: 'elderly-care',
    type: 'care',
    name: ['Koduteenus', 'Услуга на дому', 'Home care service'],
    desc: [
      'Abi igapäevatoimingutes kodus inimesele, kes ei tule iseseisvalt toime.',
      'Help with daily tasks at home for a person who cannot manage alone.',
    ],
    groups: ['elderly', 'disabled'],
    channels: ['telephone', 'service-desk', 'home-visit'],
    fee: 'service-fee',
    legal: [['SHS', '§ 16']],
    events: [
      ['becoming-a-caretaker', 2],
      ['retirement', 2],
    ],
    outputs: [{ name: 'Koduteenuse leping', type: 'declaration' }],
  },
  {
    id: 'ELVL-006',
    field: 'elderly-care',
    type: 'care',
    name: ['Üldhooldusteenus väljaspool kodu', 'Общий уход вне дома', 'Residential care'],
    desc: [
      'Ööpäevaringne hooldus hooldekodus, kui kodus hakkama saamine pole võimalik.',
      'Round-the-clock care in a care home when living at home is no longer possible.',
    ],
    groups: ['elderly', 'disabled'],
    channels: ['service-desk', 'telephone'],
    fee: 'service-fee',
    legal: [['SHS', '§ 20']],
    events: [
      ['becoming-a-caretaker', 3],
      ['retirement', 2],
    ],
    outputs: [{ name: 'Otsus hooldekohta suunamise kohta', type: 'declaration' }],
  },
  {
    id: 'ELVL-007',
    field: 'social-assistance',
    type: 'care',
    name: ['Tugiisikuteenus', 'Услуга опорного лица', 'Support person service'],
    desc: [
      'Tugiisik aitab inimest või peret toime tulla ja iseseisvust suurendada.',
      'A support person helps a person or family to cope and become more independent.',
    ],
    groups: ['families', 'disabled', 'youth'],
    channels: ['service-desk', 'telephone'],
    legal: [['SHS', '§ 23']],
    events: [['emergency-health-problem', 2]],
    outputs: [{ name: 'Otsus teenuse osutamise kohta', type: 'declaration' }],
  },
  {
    id: 'ELVL-008',
    field: 'social-assistance',
    type: 'care',
    name: ['Isikliku abistaja teenus', 'Услуга личного помощника', 'Personal assistant service'],
    desc: [
      'Abistaja puudega täisealisele igapäevaelus, tööl ja õppimisel.',
      'An assistant for an adult with a disability in daily life, work and study.',
    ],
    groups: ['disabled'],
    channels: ['service-desk', 'e-service'],
    legal: [['SHS', '§ 22']],
    events: [['emergency-health-problem', 2]],
    state: [
      {
        id: 'ska-disability-assessment',
        name: 'Puude raskusastme tuvastamine',
        url: 'https://www.sotsiaalkindlustusamet.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-009',
    field: 'social-assistance',
    type: 'care',
    name: ['Sotsiaaltransporditeenus', 'Социальный транспорт', 'Social transport'],
    desc: [
      'Sõidu korraldamine inimesele, kes ei saa puude või terviseseisundi tõttu ühistransporti kasutada.',
      'Transport for a person who cannot use public transport because of disability or health.',
    ],
    groups: ['disabled', 'elderly'],
    channels: ['telephone', 'e-service'],
    fee: 'service-fee',
    legal: [['SHS', '§ 39']],
    events: [['emergency-health-problem', 2]],
  },
  {
    id: 'ELVL-010',
    field: 'housing-utilities',
    type: 'care',
    name: ['Eluruumi tagamine', 'Обеспечение жильём', 'Provision of a dwelling'],
    desc: [
      'Eluruum inimesele, kes ei ole suuteline ise endale eluruumi tagama.',
      'A dwelling for a person unable to provide one for themselves.',
    ],
    groups: ['low-income', 'families', 'disabled'],
    channels: ['service-desk'],
    legal: [['SHS', '§ 41']],
    events: [['looking-for-a-place-to-live', 1]],
  },
  {
    id: 'ELVL-011',
    field: 'social-assistance',
    type: 'counselling',
    name: ['Võlanõustamisteenus', 'Консультирование по долгам', 'Debt counselling'],
    desc: [
      'Nõustamine võlgade korrastamiseks ja majandusliku toimetuleku parandamiseks.',
      'Counselling to sort out debts and improve financial coping.',
    ],
    groups: ['low-income'],
    channels: ['service-desk', 'telephone'],
    legal: [['SHS', '§ 44']],
    events: [['losing-a-job', 2]],
  },
  {
    id: 'ELVL-012',
    field: 'child-protection',
    type: 'care',
    name: ['Lapsehoiuteenus', 'Услуга по уходу за ребёнком', 'Childcare service'],
    desc: [
      'Lapsehoid, mis toetab vanema töötamist või raske puudega lapse hooldust.',
      'Childcare that supports parents’ work or the care of a child with a severe disability.',
    ],
    groups: ['families', 'children'],
    channels: ['e-service', 'service-desk'],
    fee: 'service-fee',
    legal: [['SHS', '§ 45']],
    events: [['having-a-child', 4]],
  },
  {
    id: 'ELVL-013',
    field: 'elderly-care',
    type: 'care',
    name: ['Hooldaja määramine ja hooldajatoetus', 'Назначение опекуна и пособие', 'Caregiver and caregiver allowance'],
    desc: [
      'Hooldaja määramine raske puudega täisealisele ja hooldajale toetuse maksmine.',
      'Appointing a caregiver for an adult with a severe disability and paying the caregiver an allowance.',
    ],
    groups: ['disabled', 'elderly', 'families'],
    channels: ['service-desk', 'e-service'],
    legal: [['SHS', '§ 26']],
    events: [['becoming-a-caretaker', 2]],
    outputs: [{ name: 'Hooldajatoetus', type: 'financial-benefit' }],
    state: [
      {
        id: 'ska-disability-assessment',
        name: 'Puude raskusastme tuvastamine',
        url: 'https://www.sotsiaalkindlustusamet.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-014',
    field: 'elderly-care',
    type: 'facility',
    name: ['Eakate päevakeskus', 'Дневной центр для пожилых', 'Day centre for older people'],
    desc: [
      'Päevased tegevused, toitlustus ja seltskond eakatele.',
      'Daytime activities, meals and company for older people.',
    ],
    groups: ['elderly'],
    channels: ['service-desk', 'telephone'],
    legal: [['SHS', '§ 14']],
    events: [['retirement', 2]],
  },
  // Education and youth
  {
    id: 'ELVL-015',
    field: 'education',
    type: 'place',
    name: ['Lasteaiakoha taotlemine', 'Заявление на место в детском саду', 'Applying for a kindergarten place'],
    desc: [
      'Koht munitsipaallasteaias lapsele vanuses 1,5–7 aastat.',
      'A place in a municipal kindergarten for a child aged 1.5 to 7.',
    ],
    groups: ['families', 'children'],
    channels: ['e-service', 'service-desk'],
    fee: 'service-fee',
    legal: [['KELS', '§ 10']],
    events: [
      ['having-a-child', 4],
      ['starting-education', 1],
      ['moving', 3],
    ],
    evidence: ['Lapse ja vanema elukoht (rahvastikuregistrist)'],
    outputs: [{ name: 'Lasteaiakoha pakkumine', type: 'declaration' }],
  },
  {
    id: 'ELVL-016',
    field: 'education',
    type: 'place',
    name: ['Elukohajärgse kooli määramine', 'Назначение школы по месту жительства', 'Assigning a school place'],
    desc: [
      'Koolikohustuslikule lapsele elukohajärgse põhikooli määramine.',
      'Assigning a school near home to a child of compulsory school age.',
    ],
    groups: ['families', 'children'],
    channels: ['e-service', 'service-desk'],
    legal: [['PGS', '§ 10']],
    events: [
      ['starting-education', 2],
      ['moving', 3],
    ],
    outputs: [{ name: 'Koolikoha otsus', type: 'declaration' }],
  },
  {
    id: 'ELVL-017',
    field: 'education',
    type: 'benefit',
    name: ['Õpilase sõidukulude hüvitamine', 'Компенсация проезда учащимся', 'Pupils’ travel costs'],
    desc: [
      'Koolisõidu korraldamine või sõidukulude hüvitamine, kui kool on kodust kaugel.',
      'School transport, or travel costs paid, when school is far from home.',
    ],
    groups: ['children', 'families'],
    channels: ['e-service'],
    legal: [['PGS', '§ 11']],
    events: [['starting-education', 3]],
  },
  {
    id: 'ELVL-018',
    field: 'education',
    type: 'benefit',
    name: ['Koolilõuna', 'Школьный обед', 'School meals'],
    desc: [
      'Tasuta koolilõuna põhikooli ja gümnaasiumi õpilastele.',
      'Free school lunch for pupils of basic and upper-secondary schools.',
    ],
    groups: ['children'],
    channels: ['homepage'],
    legal: [['PGS', '§ 37']],
    events: [['starting-education', 3]],
  },
  {
    id: 'ELVL-019',
    field: 'education',
    type: 'benefit',
    name: ['Huvihariduse ja huvitegevuse toetus', 'Поддержка дополнительного образования', 'Hobby education support'],
    desc: [
      'Osalustasu soodustus või toetus huvikoolides ja -ringides.',
      'Reduced fees or support for hobby schools and clubs.',
    ],
    groups: ['children', 'youth'],
    channels: ['e-service'],
    legal: [['HHS', '§ 3']],
    events: [['starting-education', 4]],
  },
  {
    id: 'ELVL-020',
    field: 'youth-work',
    type: 'facility',
    name: ['Avatud noortekeskus', 'Открытый молодёжный центр', 'Open youth centre'],
    desc: [
      'Vaba aja veetmise ja arenguvõimalused noortele vanuses 7–26.',
      'Leisure and development opportunities for young people aged 7 to 26.',
    ],
    groups: ['youth'],
    channels: ['service-desk', 'homepage'],
    legal: [['NTS', '§ 8']],
    events: [['starting-education', 4]],
  },
  {
    id: 'ELVL-021',
    field: 'education',
    type: 'benefit',
    name: ['Kooliminekutoetus', 'Пособие к началу учёбы', 'School starter allowance'],
    desc: [
      'Ühekordne toetus esimesse klassi mineva lapse perele.',
      'A one-off allowance for the family of a child starting first grade.',
    ],
    groups: ['families', 'children'],
    channels: ['e-service'],
    legal: [['KOKS', '§ 6 lg 1']],
    events: [['starting-education', 2]],
    outputs: [{ name: 'Kooliminekutoetus', type: 'financial-benefit' }],
  },
  // Population records and civil status
  {
    id: 'ELVL-022',
    field: 'population-records',
    type: 'registration',
    name: ['Elukoha registreerimine', 'Регистрация места жительства', 'Registering a residence'],
    desc: [
      'Elukoha andmete kandmine rahvastikuregistrisse vallas või linnas.',
      'Entering a residence address in the population register.',
    ],
    groups: ['residents'],
    channels: ['e-service', 'service-desk', 'email'],
    legal: [['RRS', '§ 44']],
    events: [
      ['moving', 1],
      ['moving-to-from-country', 2],
      ['adapting-to-estonia', 1],
    ],
    evidence: ['Eluruumi omaniku nõusolek, kui taotleja ei ole omanik'],
    outputs: [{ name: 'Rahvastikuregistri kanne', type: 'code' }],
    processing: 'P10D',
    state: [
      {
        id: 'rr-residence-notice',
        name: 'Elukoha teate esitamine',
        url: 'https://www.eesti.ee/',
        relation: 'duplicates',
      },
    ],
  },
  {
    id: 'ELVL-023',
    field: 'population-records',
    type: 'registration',
    name: ['Sünni registreerimine', 'Регистрация рождения', 'Registering a birth'],
    desc: [
      'Lapse sünni registreerimine ja sünnitõendi väljastamine.',
      'Registering a child’s birth and issuing a birth certificate.',
    ],
    groups: ['families'],
    channels: ['service-desk'],
    legal: [['PKTS', '§ 22']],
    events: [['having-a-child', 1]],
    outputs: [{ name: 'Sünnikanne', type: 'code' }],
    state: [
      {
        id: 'rr-birth-registration',
        name: 'Sünni registreerimine',
        url: 'https://www.eesti.ee/',
        relation: 'duplicates',
      },
    ],
  },
  {
    id: 'ELVL-024',
    field: 'population-records',
    type: 'registration',
    name: ['Surma registreerimine', 'Регистрация смерти', 'Registering a death'],
    desc: [
      'Surma registreerimine ja surmatõendi väljastamine.',
      'Registering a death and issuing a death certificate.',
    ],
    groups: ['residents'],
    channels: ['service-desk'],
    legal: [['PKTS', '§ 57']],
    events: [['death-of-a-relative', 1]],
    state: [
      {
        id: 'rr-death-registration',
        name: 'Surma registreerimine',
        url: 'https://www.eesti.ee/',
        relation: 'duplicates',
      },
    ],
  },
  {
    id: 'ELVL-025',
    field: 'population-records',
    type: 'registration',
    name: ['Abielu sõlmimine', 'Заключение брака', 'Marriage ceremony'],
    desc: [
      'Abielu sõlmimine valla või linna perekonnaseisuametnikul.',
      'Contracting a marriage with the municipality’s registrar.',
    ],
    groups: ['residents'],
    channels: ['service-desk', 'e-service'],
    fee: 'state-fee',
    legal: [['PKTS', '§ 25']],
    events: [
      ['getting-married', 1],
      ['changing-relationship-status', 1],
    ],
    state: [{ id: 'rr-marriage', name: 'Abielu sõlmimine', url: 'https://www.eesti.ee/', relation: 'duplicates' }],
  },
  // Housing, water, waste, tidiness
  {
    id: 'ELVL-026',
    field: 'housing-utilities',
    type: 'place',
    name: ['Munitsipaaleluruumi üürimine', 'Аренда муниципального жилья', 'Renting municipal housing'],
    desc: [
      'Valla või linna eluruumi üürile andmine ootejärjekorra alusel.',
      'Renting a municipal dwelling from the waiting list.',
    ],
    groups: ['residents', 'low-income'],
    channels: ['service-desk', 'e-service'],
    fee: 'service-fee',
    legal: [['KOKS', '§ 6 lg 1']],
    events: [['looking-for-a-place-to-live', 1]],
  },
  {
    id: 'ELVL-027',
    field: 'water-sewerage',
    type: 'permit',
    name: [
      'Ühisveevärgi ja -kanalisatsiooniga liitumine',
      'Подключение к водопроводу и канализации',
      'Connecting to public water and sewerage',
    ],
    desc: [
      'Kinnistu liitmine ühisveevärgi ja -kanalisatsiooniga.',
      'Connecting a property to public water supply and sewerage.',
    ],
    groups: ['property-owners'],
    channels: ['e-service', 'email'],
    fee: 'service-fee',
    legal: [['UVVKS', '§ 8']],
    events: [['moving', 2]],
  },
  {
    id: 'ELVL-028',
    field: 'waste',
    type: 'permit',
    name: [
      'Korraldatud jäätmeveost vabastamine',
      'Освобождение от организованного вывоза отходов',
      'Exemption from organised waste collection',
    ],
    desc: [
      'Ajutine vabastus, kui kinnistul ei elata või seda ei kasutata.',
      'A temporary exemption when nobody lives at or uses the property.',
    ],
    groups: ['property-owners'],
    channels: ['e-service', 'email'],
    legal: [['JaatS', '§ 69']],
    events: [['moving', 2]],
  },
  {
    id: 'ELVL-029',
    field: 'waste',
    type: 'registration',
    name: ['Jäätmevaldaja registreerimine', 'Регистрация владельца отходов', 'Registering as a waste holder'],
    desc: ['Kinnistu liitmine korraldatud jäätmeveoga.', 'Joining the property to organised waste collection.'],
    groups: ['property-owners'],
    channels: ['e-service'],
    legal: [['JaatS', '§ 66']],
    events: [['moving', 2]],
  },
  {
    id: 'ELVL-030',
    field: 'public-tidiness',
    type: 'registration',
    name: ['Lemmiklooma registreerimine', 'Регистрация домашнего животного', 'Registering a pet'],
    desc: ['Koera või kassi kandmine lemmikloomaregistrisse.', 'Entering a dog or cat in the pet register.'],
    groups: ['residents'],
    channels: ['e-service', 'service-desk'],
    legal: [['KOKS', '§ 22 lg 1 p 36¹']],
    events: [['moving', 2]],
  },
  {
    id: 'ELVL-031',
    field: 'public-tidiness',
    type: 'permit',
    name: ['Raieluba', 'Разрешение на рубку', 'Tree-felling permit'],
    desc: ['Luba puu raiumiseks tiheasustusalal.', 'A permit to fell a tree in a built-up area.'],
    groups: ['property-owners'],
    channels: ['e-service', 'email'],
    legal: [['LKS', '§ 45']],
  },
  // Planning and building
  {
    id: 'ELVL-032',
    field: 'spatial-planning',
    type: 'permit',
    name: ['Ehitusluba', 'Разрешение на строительство', 'Building permit'],
    desc: [
      'Luba hoone ehitamiseks, laiendamiseks või lammutamiseks.',
      'A permit to build, extend or demolish a building.',
    ],
    groups: ['property-owners', 'businesses'],
    channels: ['e-service'],
    fee: 'state-fee',
    legal: [['EhS', '§ 37']],
    events: [['running-a-business', 1]],
    outputs: [{ name: 'Ehitusluba', type: 'permit' }],
    processing: 'P30D',
  },
  {
    id: 'ELVL-033',
    field: 'spatial-planning',
    type: 'permit',
    name: ['Kasutusluba', 'Разрешение на эксплуатацию', 'Occupancy permit'],
    desc: ['Luba valminud ehitise kasutamiseks.', 'A permit to use a finished building.'],
    groups: ['property-owners', 'businesses'],
    channels: ['e-service'],
    fee: 'state-fee',
    legal: [['EhS', '§ 50']],
    outputs: [{ name: 'Kasutusluba', type: 'permit' }],
    processing: 'P30D',
  },
  {
    id: 'ELVL-034',
    field: 'spatial-planning',
    type: 'permit',
    name: ['Projekteerimistingimused', 'Условия проектирования', 'Design conditions'],
    desc: [
      'Tingimused ehitusprojekti koostamiseks, kui detailplaneeringut pole.',
      'Conditions for a building design where there is no detailed plan.',
    ],
    groups: ['property-owners', 'businesses'],
    channels: ['e-service'],
    fee: 'state-fee',
    legal: [['EhS', '§ 26']],
    processing: 'P30D',
  },
  {
    id: 'ELVL-035',
    field: 'spatial-planning',
    type: 'permit',
    name: ['Detailplaneeringu algatamine', 'Инициирование детальной планировки', 'Initiating a detailed plan'],
    desc: ['Taotlus detailplaneeringu koostamise algatamiseks.', 'Applying for a detailed plan to be initiated.'],
    groups: ['property-owners', 'businesses'],
    channels: ['e-service', 'email'],
    legal: [['PlanS', '§ 128']],
  },
  {
    id: 'ELVL-036',
    field: 'roads',
    type: 'permit',
    name: ['Kaevetööde luba', 'Разрешение на земляные работы', 'Excavation permit'],
    desc: ['Luba kaevetöödeks avalikus ruumis.', 'A permit for excavation work in public space.'],
    groups: ['businesses', 'property-owners'],
    channels: ['e-service'],
    legal: [['KOKS', '§ 6 lg 1']],
    events: [['running-a-business', 1]],
  },
  // Transport and roads
  {
    id: 'ELVL-037',
    field: 'roads',
    type: 'permit',
    name: ['Elaniku parkimisluba', 'Разрешение на парковку для жителя', 'Resident parking permit'],
    desc: [
      'Parkimisluba oma elukoha lähedal tasulisel parkimisalal.',
      'A permit to park near home in a paid parking zone.',
    ],
    groups: ['residents'],
    channels: ['e-service'],
    fee: 'service-fee',
    legal: [['LS', '§ 2']],
    events: [
      ['driving-a-vehicle', 2],
      ['moving', 4],
    ],
  },
  {
    id: 'ELVL-038',
    field: 'public-transport',
    type: 'benefit',
    name: [
      'Tasuta sõit kohalikus ühistranspordis',
      'Бесплатный проезд в местном транспорте',
      'Free local public transport',
    ],
    desc: [
      'Tasuta sõiduõigus elanikule, kelle elukoht on registreeritud vallas või linnas.',
      'Free travel for residents registered in the municipality.',
    ],
    groups: ['residents'],
    channels: ['homepage'],
    legal: [['UTS', '§ 34']],
    events: [['moving', 4]],
    state: [
      {
        id: 'rr-residence-notice',
        name: 'Elukoha teate esitamine',
        url: 'https://www.eesti.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-039',
    field: 'roads',
    type: 'permit',
    name: [
      'Ajutise liikluskorralduse kooskõlastus',
      'Согласование временной организации движения',
      'Temporary traffic arrangement',
    ],
    desc: [
      'Tänava ajutise sulgemise või liikluse ümberkorraldamise kooskõlastus.',
      'Approval to close a street or change traffic temporarily.',
    ],
    groups: ['businesses', 'organisations'],
    channels: ['e-service', 'email'],
    legal: [['LS', '§ 2']],
    events: [['running-a-business', 1]],
  },
  // Culture, public order, business
  {
    id: 'ELVL-040',
    field: 'culture-sport-libraries',
    type: 'registration',
    name: ['Raamatukogu lugejaks registreerimine', 'Регистрация читателем библиотеки', 'Joining the public library'],
    desc: ['Lugejaks registreerimine rahvaraamatukogus.', 'Registering as a reader at the public library.'],
    groups: ['residents'],
    channels: ['service-desk', 'e-service'],
    legal: [['RaamS', '§ 14']],
    events: [
      ['moving', 4],
      ['adapting-to-estonia', 3],
    ],
  },
  {
    id: 'ELVL-041',
    field: 'public-order',
    type: 'permit',
    name: [
      'Avaliku ürituse korraldamise luba',
      'Разрешение на проведение публичного мероприятия',
      'Public event permit',
    ],
    desc: [
      'Luba avaliku ürituse korraldamiseks valla või linna territooriumil.',
      'A permit to hold a public event in the municipality.',
    ],
    groups: ['organisations', 'businesses'],
    channels: ['e-service'],
    legal: [['KorS', '§ 58']],
    events: [['running-a-business', 1]],
  },
  {
    id: 'ELVL-042',
    field: 'business-permits',
    type: 'permit',
    name: ['Välikaubanduse luba', 'Разрешение на уличную торговлю', 'Street trading permit'],
    desc: ['Luba kaubelda avalikus kohas või turul.', 'A permit to trade in a public place or market.'],
    groups: ['businesses'],
    channels: ['e-service'],
    fee: 'state-fee',
    legal: [['KaubTS', '§ 16']],
    events: [
      ['starting-a-business', 2],
      ['running-a-business', 1],
    ],
    state: [
      {
        id: 'rik-company-registration',
        name: 'Ettevõtte asutamine',
        url: 'https://www.rik.ee/',
        relation: 'depends-on',
      },
    ],
  },
  {
    id: 'ELVL-043',
    field: 'business-permits',
    type: 'permit',
    name: ['Reklaamiluba', 'Разрешение на рекламу', 'Advertising permit'],
    desc: ['Luba välireklaami paigaldamiseks.', 'A permit to put up outdoor advertising.'],
    groups: ['businesses'],
    channels: ['e-service'],
    fee: 'service-fee',
    legal: [['RekS', '§ 14']],
    events: [['running-a-business', 1]],
  },
];

export const TEMPLATE_COUNT = TEMPLATES.length;

/** The templates as service data, in identifier order. */
export function nationalTemplates(): { identifier: string; data: ServiceData }[] {
  return TEMPLATES.map((t) => ({
    identifier: t.id,
    data: {
      name: { et: t.name[0], ru: t.name[1], en: t.name[2] },
      description: { et: t.desc[0], en: t.desc[1] },
      targetGroups: t.groups,
      field: t.field,
      serviceType: t.type,
      competentAuthority: 'Valla- või linnavalitsus',
      channels: t.channels.map((type) => ({
        type,
        address:
          type === 'e-service'
            ? 'https://iseteenindus.example.ee/'
            : type === 'homepage'
              ? 'https://www.example.ee/'
              : type === 'email'
                ? 'info@example.ee'
                : type === 'telephone'
                  ? '+372 000 0000'
                  : 'Valla- või linnavalitsuse teenindussaal',
        ...(type === 'service-desk' ? { openingHours: 'E–N 8.30–16.30, R 8.30–14.00' } : {}),
        ...(t.processing ? { processingTime: t.processing } : {}),
      })),
      feeType: t.fee ?? 'free',
      costs: [],
      evidence: t.evidence ?? [],
      outputs: t.outputs ?? [],
      legalBasis: t.legal.map(([k, s]) => ref(k, s)),
      requirements: t.requirements ?? [],
      lifeEvents: (t.events ?? []).map(([code, step]) => (step ? { code, step } : { code })),
      stateServices: t.state ?? [],
      owner: { name: 'ELVL teenuste võrgustik', email: 'teenused@elvl.ee' },
    },
  }));
}
