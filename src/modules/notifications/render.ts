import { maskIdCodesIn } from '../../platform/identity/personalIdCode';
import { TOPIC_LABELS, type Lang } from './contract';
import { STRINGS, TEMPLATES, type Message, type Params, type RenderHelpers } from './templates';

/**
 * Lays a message out as plain text and HTML (one layout for every topic), in the recipient's
 * language. Every string passes `maskIdCodesIn`: whatever a module put into the parameters, no
 * personal ID code leaves in a message.
 */
const LOCALES: Record<Lang, string> = { et: 'et-EE', ru: 'ru-RU', en: 'en-GB' };

export function helpers(publicUrl: string, lang: Lang, link: string | null | undefined): RenderHelpers {
  const url = (p: string) => (/^https?:\/\//.test(p) ? p : `${publicUrl}${p.startsWith('/') ? '' : '/'}${p}`);
  return {
    url,
    link: link ? url(link) : undefined,
    date(iso, withTime = false) {
      const d = new Date(String(iso ?? ''));
      if (Number.isNaN(d.getTime())) return String(iso ?? '');
      return new Intl.DateTimeFormat(LOCALES[lang], {
        dateStyle: 'long',
        ...(withTime ? { timeStyle: 'short' } : {}),
        timeZone: 'Europe/Tallinn',
      }).format(d);
    },
    pick(v) {
      if (v && typeof v === 'object') {
        const o = v as Partial<Record<Lang, unknown>>;
        return String(o[lang] ?? o.et ?? '');
      }
      return v === undefined || v === null ? '' : String(v);
    },
  };
}

const masked = (m: Message): Message => ({
  subject: maskIdCodesIn(m.subject),
  paragraphs: m.paragraphs.map(maskIdCodesIn),
  ...(m.list
    ? {
        list: m.list.map((i) => ({
          text: maskIdCodesIn(i.text),
          url: i.url,
          ...(i.sub ? { sub: i.sub.map((s) => ({ text: maskIdCodesIn(s.text), url: s.url })) } : {}),
        })),
      }
    : {}),
  ...(m.action ? { action: { label: maskIdCodesIn(m.action.label), url: m.action.url } } : {}),
});

/** The message of one notification (the centre shows its subject and paragraphs). */
export function renderMessage(
  publicUrl: string,
  n: { topic: string; params: Params; link: string | null },
  lang: Lang,
): Message {
  const template = TEMPLATES[n.topic];
  const h = helpers(publicUrl, lang, n.link);
  if (!template) return { subject: n.topic, paragraphs: [] };
  return masked(template(n.params, lang, h));
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface Footer {
  settingsUrl: string;
  /** The one-click unsubscribe page of this topic; absent for required notices and system mail. */
  unsubscribeUrl?: string | undefined;
  topic?: string | undefined;
  required?: boolean;
  /** Verification mail: no "why you receive this". */
  system?: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function textOf(m: Message): string[] {
  const lines: string[] = [];
  for (const p of m.paragraphs) lines.push(p, '');
  for (const i of m.list ?? []) {
    lines.push(`  • ${i.text}${i.url ? ` <${i.url}>` : ''}`);
    for (const s of i.sub ?? []) lines.push(`      – ${s.text}${s.url ? ` <${s.url}>` : ''}`);
  }
  if (m.list?.length) lines.push('');
  if (m.action) lines.push(`${m.action.label}: ${m.action.url}`, '');
  return lines;
}

function htmlOf(m: Message): string {
  const parts: string[] = [];
  for (const p of m.paragraphs) parts.push(`<p style="margin:0 0 12px">${esc(p)}</p>`);
  if (m.list?.length) {
    parts.push('<ul style="margin:0 0 12px;padding-left:20px">');
    for (const i of m.list) {
      const head = i.url ? `<a href="${esc(i.url)}">${esc(i.text)}</a>` : esc(i.text);
      const sub = i.sub?.length
        ? `<ul>${i.sub.map((s) => `<li>${s.url ? `<a href="${esc(s.url)}">${esc(s.text)}</a>` : esc(s.text)}</li>`).join('')}</ul>`
        : '';
      parts.push(`<li>${head}${sub}</li>`);
    }
    parts.push('</ul>');
  }
  if (m.action)
    parts.push(
      `<p style="margin:16px 0"><a href="${esc(m.action.url)}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 16px;border-radius:4px;text-decoration:none">${esc(m.action.label)}</a></p>`,
    );
  return parts.join('\n');
}

/** One e-mail: the message (or several, for a digest) with the footer, as text and HTML. */
export function renderMail(
  lang: Lang,
  subject: string,
  bodies: { heading?: string; message: Message }[],
  footer: Footer,
  intro?: string,
): RenderedMail {
  const platform = STRINGS.platform[lang];
  const topicName = footer.topic ? (TOPIC_LABELS[footer.topic]?.[lang] ?? footer.topic) : '';
  const text: string[] = [];
  const html: string[] = [];
  if (intro) {
    text.push(intro, '');
    html.push(`<p style="margin:0 0 12px">${esc(intro)}</p>`);
  }
  for (const b of bodies) {
    if (b.heading) {
      text.push(`== ${b.heading}`, '');
      html.push(`<h2 style="font-size:17px;margin:20px 0 8px">${esc(b.heading)}</h2>`);
    }
    text.push(...textOf(b.message));
    html.push(htmlOf(b.message));
  }
  const foot: string[] = [];
  const footHtml: string[] = [];
  if (!footer.system) {
    foot.push(STRINGS.footerWhy[lang]);
    footHtml.push(esc(STRINGS.footerWhy[lang]));
  }
  if (footer.required) {
    foot.push(STRINGS.footerRequired[lang]);
    footHtml.push(esc(STRINGS.footerRequired[lang]));
  }
  foot.push(`${STRINGS.footerSettings[lang]}: ${footer.settingsUrl}`);
  footHtml.push(`<a href="${esc(footer.settingsUrl)}">${esc(STRINGS.footerSettings[lang])}</a>`);
  if (footer.unsubscribeUrl) {
    foot.push(`${STRINGS.footerUnsubscribe[lang](topicName)}: ${footer.unsubscribeUrl}`);
    footHtml.push(`<a href="${esc(footer.unsubscribeUrl)}">${esc(STRINGS.footerUnsubscribe[lang](topicName))}</a>`);
  }
  const plain = [...text, '-- ', platform, ...foot].join('\n') + '\n';
  const doc = `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8">
<div style="max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1b1f24;background:#ffffff">
<p style="margin:0 0 16px;font-weight:bold;color:#0b5cad">${esc(platform)}</p>
${html.join('\n')}
<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 12px">
<p style="margin:0;font-size:13px;color:#57606a">${footHtml.join('<br>\n')}</p>
</div>
</body>
</html>
`;
  return { subject: maskIdCodesIn(subject), text: maskIdCodesIn(plain), html: maskIdCodesIn(doc) };
}
