import type { Lang } from './reference';

/**
 * The satisfaction survey as a small server-rendered page that works without JavaScript, inside
 * an iframe on any website (its routes are `embeddable`), at a service desk through a link or QR
 * code, and from "Minu vald". Texts in Estonian, Russian and English.
 */
export const SURVEY_TEXT = {
  et: {
    title: 'Tagasiside teenusele',
    heading: (s: string) => `Kuidas jäite rahule teenusega „${s}“?`,
    intro: (m: string) => `Küsitluse korraldab ${m}. Vastamine võtab alla minuti.`,
    language: 'Keel',
    score: 'Kui rahul olite teenusega?',
    scores: ['väga rahulolematu', 'rahulolematu', 'nii ja naa', 'rahul', 'väga rahul'],
    effort: 'Kui lihtne oli teenust kasutada? (valikuline)',
    efforts: ['väga keeruline', 'keeruline', 'nii ja naa', 'lihtne', 'väga lihtne'],
    comment: 'Mida peaksime paremini tegema? (valikuline)',
    commentHelp: 'Palun ärge kirjutage siia isikuandmeid. Kuni 1000 märki.',
    required: 'kohustuslik',
    submit: 'Saada vastus',
    privacy: 'Vastus on anonüümne: me ei salvesta teie nime, isikukoodi ega IP-aadressi.',
    thanks: 'Aitäh! Teie vastus on salvestatud.',
    thanksMore: 'Tagasiside aitab teenust parandada.',
    errorTitle: 'Vastust ei saanud salvestada',
    missingScore: 'Palun valige hinnang 1 kuni 5.',
    notFound: 'Seda teenust ei leitud või see ei ole kasutusel.',
    tokenUsed: 'Selle küsitluse lingiga on juba vastatud. Iga teenuse osutamise kohta saab vastata üks kord.',
    tokenExpired: 'Selle küsitluse link on aegunud.',
    tokenUnknown: 'Küsitluse link ei ole kehtiv.',
    rateLimited: 'Sellelt aadressilt on lühikese aja jooksul tulnud liiga palju vastuseid. Proovige hiljem uuesti.',
    again: 'Tagasi küsitluse juurde',
    toService: 'Teenuse leht',
    toMinuVald: 'Minu vald: mis on teile praegu avatud',
  },
  ru: {
    title: 'Отзыв об услуге',
    heading: (s: string) => `Насколько вы довольны услугой «${s}»?`,
    intro: (m: string) => `Опрос проводит ${m}. Ответ займёт меньше минуты.`,
    language: 'Язык',
    score: 'Насколько вы довольны услугой?',
    scores: ['совсем не доволен', 'не доволен', 'так себе', 'доволен', 'очень доволен'],
    effort: 'Насколько легко было воспользоваться услугой? (по желанию)',
    efforts: ['очень сложно', 'сложно', 'так себе', 'легко', 'очень легко'],
    comment: 'Что нам следует улучшить? (по желанию)',
    commentHelp: 'Пожалуйста, не пишите здесь персональные данные. До 1000 знаков.',
    required: 'обязательно',
    submit: 'Отправить ответ',
    privacy: 'Ответ анонимный: мы не сохраняем ваше имя, личный код или IP-адрес.',
    thanks: 'Спасибо! Ваш ответ сохранён.',
    thanksMore: 'Отзывы помогают улучшать услугу.',
    errorTitle: 'Не удалось сохранить ответ',
    missingScore: 'Пожалуйста, выберите оценку от 1 до 5.',
    notFound: 'Эта услуга не найдена или не используется.',
    tokenUsed: 'По этой ссылке уже ответили. На каждое оказание услуги можно ответить один раз.',
    tokenExpired: 'Срок действия ссылки на опрос истёк.',
    tokenUnknown: 'Ссылка на опрос недействительна.',
    rateLimited: 'С этого адреса пришло слишком много ответов за короткое время. Попробуйте позже.',
    again: 'Вернуться к опросу',
    toService: 'Страница услуги',
    toMinuVald: 'Моя волость: что сейчас открыто для вас',
  },
  en: {
    title: 'Service feedback',
    heading: (s: string) => `How satisfied were you with “${s}”?`,
    intro: (m: string) => `This survey is run by ${m}. It takes less than a minute.`,
    language: 'Language',
    score: 'How satisfied were you with the service?',
    scores: ['very dissatisfied', 'dissatisfied', 'neither', 'satisfied', 'very satisfied'],
    effort: 'How easy was it to use the service? (optional)',
    efforts: ['very hard', 'hard', 'neither', 'easy', 'very easy'],
    comment: 'What should we do better? (optional)',
    commentHelp: 'Please do not write personal data here. Up to 1,000 characters.',
    required: 'required',
    submit: 'Send answer',
    privacy: 'Your answer is anonymous: we do not store your name, personal ID code or IP address.',
    thanks: 'Thank you! Your answer has been recorded.',
    thanksMore: 'Feedback helps to improve the service.',
    errorTitle: 'Your answer could not be recorded',
    missingScore: 'Please choose a rating from 1 to 5.',
    notFound: 'This service was not found or is not in use.',
    tokenUsed: 'This survey link has already been answered. Each delivery of a service is answered once.',
    tokenExpired: 'This survey link has expired.',
    tokenUnknown: 'This survey link is not valid.',
    rateLimited: 'Too many answers came from this address in a short time. Please try again later.',
    again: 'Back to the survey',
    toService: 'The service page',
    toMinuVald: 'My municipality: what is open for you now',
  },
} as const;
export type SurveyText = (typeof SURVEY_TEXT)[Lang];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SurveyPageParams {
  lang: Lang;
  municipalityName: string;
  serviceName: string;
  /** Form target (path + query). */
  action: string;
  /** Hidden fields carried through the form (channel, source, token). */
  hidden: Record<string, string>;
  /** Language links: lang → URL. */
  languages: Record<Lang, string>;
  error?: string;
  values?: { score?: number; effort?: number; comment?: string };
}

function shell(lang: Lang, title: string, body: string) {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/survey/assets/survey.css">
</head>
<body>
<main class="survey">
${body}
</main>
<script src="/survey/assets/frame.js"></script>
</body>
</html>`;
}

const LANG_NAMES: Record<Lang, string> = { et: 'Eesti', ru: 'Русский', en: 'English' };

function languageNav(p: { lang: Lang; languages: Record<Lang, string> }) {
  const t = SURVEY_TEXT[p.lang];
  const links = (Object.keys(LANG_NAMES) as Lang[])
    .map((l) =>
      l === p.lang
        ? `<li><a href="${esc(p.languages[l])}" lang="${l}" aria-current="true">${LANG_NAMES[l]}</a></li>`
        : `<li><a href="${esc(p.languages[l])}" lang="${l}" hreflang="${l}">${LANG_NAMES[l]}</a></li>`,
    )
    .join('');
  return `<nav aria-label="${esc(t.language)}"><ul class="langs">${links}</ul></nav>`;
}

function scale(
  name: string,
  legend: string,
  labels: readonly string[],
  required: string | null,
  checked: number | undefined,
) {
  const options = labels
    .map((label, i) => {
      const v = i + 1;
      return `<li><input type="radio" id="${name}-${v}" name="${name}" value="${v}"${checked === v ? ' checked' : ''}${required && v === 1 ? ' required' : ''}><label for="${name}-${v}"><span class="num">${v}</span> ${esc(label)}</label></li>`;
    })
    .join('');
  return `<fieldset><legend>${esc(legend)}${required ? ` <span class="req">(${esc(required)})</span>` : ''}</legend><ul class="scale">${options}</ul></fieldset>`;
}

export function renderSurvey(p: SurveyPageParams): string {
  const t = SURVEY_TEXT[p.lang];
  const hidden = Object.entries(p.hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const body = `${languageNav(p)}
<h1>${esc(t.heading(p.serviceName))}</h1>
<p class="intro">${esc(t.intro(p.municipalityName))}</p>
${p.error ? `<div class="error" role="alert"><p>${esc(p.error)}</p></div>` : ''}
<form method="post" action="${esc(p.action)}">
${hidden}
${scale('score', t.score, t.scores, t.required, p.values?.score)}
${scale('effort', t.effort, t.efforts, null, p.values?.effort)}
<div class="field">
<label for="comment">${esc(t.comment)}</label>
<p id="comment-help" class="help">${esc(t.commentHelp)}</p>
<textarea id="comment" name="comment" rows="3" maxlength="1000" aria-describedby="comment-help">${esc(p.values?.comment ?? '')}</textarea>
</div>
<button type="submit">${esc(t.submit)}</button>
</form>
<p class="privacy">${esc(t.privacy)}</p>`;
  return shell(p.lang, `${t.title} · ${p.serviceName}`, body);
}

export function renderMessage(p: {
  lang: Lang;
  languages: Record<Lang, string>;
  heading: string;
  text: string;
  kind: 'ok' | 'error';
  back?: string;
  /** Where to go on from a confirmation (not inside another site's frame). */
  onward?: { href: string; label: string }[];
}): string {
  const t = SURVEY_TEXT[p.lang];
  const body = `${languageNav(p)}
<h1>${esc(p.heading)}</h1>
<div class="${p.kind === 'ok' ? 'ok' : 'error'}" role="${p.kind === 'ok' ? 'status' : 'alert'}"><p>${esc(p.text)}</p></div>
${p.back ? `<p><a href="${esc(p.back)}">${esc(t.again)}</a></p>` : ''}
${p.onward?.length ? `<ul class="onward">${p.onward.map((o) => `<li><a href="${esc(o.href)}">${esc(o.label)}</a></li>`).join('')}</ul>` : ''}`;
  return shell(p.lang, p.heading, body);
}

export const SURVEY_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#fff}
.survey{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.5rem 0}
.onward{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.langs{list-style:none;margin:0;padding:0;display:flex;gap:.75rem;justify-content:flex-end}
a{color:#0a4a8a}
a:focus,input:focus,textarea:focus,button:focus{outline:3px solid #f2a900;outline-offset:2px}
fieldset{border:1px solid #767676;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.req{font-weight:400;color:#5a5a5a}
.scale{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5rem,1fr));gap:.5rem}
.scale li{display:flex;align-items:center;gap:.4rem}
.scale input{width:1.4rem;height:1.4rem;margin:0}
.scale label{cursor:pointer}
.num{display:inline-block;min-width:1.2rem;font-weight:700}
.field{margin:1rem 0}
.field label{display:block;font-weight:600}
.help{margin:.2rem 0;color:#4a4a4a;font-size:.9rem}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}
button{font:inherit;font-weight:600;background:#0a4a8a;color:#fff;border:0;border-radius:6px;padding:.7rem 1.4rem;cursor:pointer;min-height:44px}
.privacy{font-size:.85rem;color:#4a4a4a}
.error{border-left:5px solid #b00020;background:#fdecee;padding:.5rem 1rem;margin:1rem 0}
.ok{border-left:5px solid #1b6e20;background:#eaf5ea;padding:.5rem 1rem;margin:1rem 0}
`;

/** Runs inside the survey page: tells the embedding page (embed.js) how tall the survey is. */
export const FRAME_JS = `(function(){
  if (window.parent === window) return;
  function send(){ window.parent.postMessage({ type: 'kov-survey-height', height: document.documentElement.scrollHeight }, '*'); }
  window.addEventListener('load', send);
  window.addEventListener('resize', send);
  send();
})();
`;

/**
 * The one-line embed: `<script src="https://…/survey/embed.js" data-municipality="0793"
 * data-service="<uuid>" data-channel="homepage" data-lang="et" async></script>` puts the survey
 * in an iframe right after the script tag and keeps its height fitted.
 */
export const EMBED_JS = `(function(){
  var TITLES = { et: 'Tagasiside teenusele', ru: 'Отзыв об услуге', en: 'Service feedback' };
  var scripts = document.querySelectorAll('script[data-municipality][data-service]');
  for (var i = 0; i < scripts.length; i++) {
    var s = scripts[i];
    if (s.getAttribute('data-kov-survey-done')) continue;
    s.setAttribute('data-kov-survey-done', '1');
    mount(s);
  }
  function mount(s){
    var origin = new URL(s.src, document.baseURI).origin;
    var lang = s.getAttribute('data-lang') || (document.documentElement.lang || 'et').slice(0, 2);
    if (!TITLES[lang]) lang = 'et';
    var q = 'embed=1&source=embed&channel=' + encodeURIComponent(s.getAttribute('data-channel') || 'homepage') + '&lang=' + lang;
    var f = document.createElement('iframe');
    f.src = origin + '/survey/' + encodeURIComponent(s.getAttribute('data-municipality')) + '/' + encodeURIComponent(s.getAttribute('data-service')) + '?' + q;
    f.title = s.getAttribute('data-title') || TITLES[lang];
    f.setAttribute('style', 'display:block;width:100%;max-width:42rem;border:0;height:34rem');
    s.parentNode.insertBefore(f, s.nextSibling);
    window.addEventListener('message', function(e){
      if (e.source === f.contentWindow && e.origin === origin && e.data && e.data.type === 'kov-survey-height' && e.data.height > 0) f.style.height = Math.min(e.data.height + 4, 3000) + 'px';
    });
  }
})();
`;
