import { createHash } from 'node:crypto';
import { FORMAT_ET, RECORD_ET, fmtDateTime, fmtTime, outcomeText, type MinutesModel } from './minutesModel';

const esc = (s: string | null | undefined) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const STYLE = `body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left}
.muted{color:#444}.sign{margin-top:2rem}`;

/** The style's hash for the page's Content-Security-Policy (no 'unsafe-inline'). */
export const MINUTES_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const list = (names: string[]) => (names.length ? names.map(esc).join(', ') : '—');

/** The minutes as one self-contained HTML document (Estonian). */
export function renderMinutesHtml(
  m: MinutesModel,
  sign: {
    chair: string | null;
    chairAt: string | null;
    secretary: string | null;
    secretaryAt: string | null;
    sha256: string | null;
  },
): string {
  const s = m.sitting;
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="et"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(m.council)} istungi nr ${s.number} protokoll</title><style>${STYLE}</style></head><body><main>`,
  );
  parts.push(
    `<p class="muted">${esc(m.municipality)}</p><h1>${esc(m.council)}<br>istungi nr ${s.number} protokoll</h1>`,
  );
  parts.push(`<p><strong>${esc(s.title)}</strong></p>`);
  parts.push('<table><tbody>');
  parts.push(`<tr><th scope="row">Istungi vorm</th><td>${esc(FORMAT_ET[s.format])}</td></tr>`);
  if (s.place) parts.push(`<tr><th scope="row">Koht</th><td>${esc(s.place)}</td></tr>`);
  if (s.link) parts.push(`<tr><th scope="row">Elektrooniline osalemine</th><td>${esc(s.link)}</td></tr>`);
  parts.push(
    `<tr><th scope="row">Algus</th><td>${s.openedAt ? esc(fmtDateTime(s.openedAt)) : esc(fmtDateTime(s.startsAt)) + ' (kavandatud)'}</td></tr>`,
  );
  if (s.closedAt) parts.push(`<tr><th scope="row">Lõpp</th><td>${esc(fmtDateTime(s.closedAt))}</td></tr>`);
  parts.push(`<tr><th scope="row">Istungit juhatas</th><td>${esc(m.chair ?? '—')}</td></tr>`);
  parts.push(`<tr><th scope="row">Protokollis</th><td>${esc(m.secretary ?? '—')}</td></tr>`);
  parts.push('</tbody></table>');

  parts.push(
    `<h2>Kohalolek</h2><p>Volikogu koosseisus on ${m.seats} liiget; kvoorumiks on vaja vähemalt ${m.quorum.needed} liiget (rohkem kui ${m.quorum.num}/${m.quorum.den} koosseisust). Istungil osales ${m.present.length} liiget.</p>`,
  );
  parts.push('<h3>Osalesid</h3><ul>');
  for (const p of m.present)
    parts.push(
      `<li>${esc(p.name)}${p.faction ? ` (${esc(p.faction)})` : ''}${p.substitute ? ', asendusliige' : ''} — ${p.mode === 'online' ? 'elektrooniliselt' : 'kohapeal'}, alates ${esc(fmtTime(p.arrivedAt))}${p.leftAt ? `, lahkus ${esc(fmtTime(p.leftAt))}` : ''}</li>`,
    );
  parts.push('</ul><h3>Puudusid</h3>');
  parts.push(
    m.absent.length
      ? `<ul>${m.absent.map((a) => `<li>${esc(a.name)}${a.faction ? ` (${esc(a.faction)})` : ''}</li>`).join('')}</ul>`
      : '<p>—</p>',
  );

  parts.push('<h2>Päevakord</h2><ol>');
  for (const i of m.items)
    parts.push(
      `<li>${esc(i.title)}${i.withdrawn ? ' (võeti päevakorrast maha)' : ''}${i.isPublic ? '' : ' (kinnine)'}</li>`,
    );
  parts.push('</ol>');
  if (m.agendaChanges.length) {
    parts.push('<h3>Päevakorra muudatused pärast avalikustamist</h3><ul>');
    for (const ch of m.agendaChanges)
      parts.push(
        `<li>${esc(fmtDateTime(ch.at))}: ${esc(changeText(ch.action))}${ch.title ? ` — ${esc(ch.title)}` : ''}</li>`,
      );
    parts.push('</ul>');
  }

  for (const i of m.items) {
    if (i.withdrawn) continue;
    parts.push(`<h2>${i.position}. ${esc(i.title)}</h2>`);
    if (i.rapporteur) parts.push(`<p>Ettekandja: ${esc(i.rapporteur)}</p>`);
    if (i.note) parts.push(`<p>${esc(i.note)}</p>`);
    if (i.recusals.length)
      parts.push(
        `<p>Huvide konflikti tõttu taandas end: ${i.recusals.map((r) => esc(r.name) + (r.reason ? ` (${esc(r.reason)})` : '')).join(', ')}.</p>`,
      );
    if (!i.votes.length) parts.push('<p class="muted">Hääletust ei toimunud.</p>');
    for (const v of i.votes) {
      parts.push(
        `<h3>Hääletus nr ${v.number} (${v.kind === 'secret' ? 'salajane' : 'avalik'})</h3><p>${esc(v.question)}</p><p>Otsustamise reegel: ${esc(v.ruleText)}.</p>`,
      );
      if (v.kind === 'secret') {
        parts.push('<table><thead><tr><th scope="col">Kandidaat</th><th scope="col">Hääli</th></tr></thead><tbody>');
        for (const cd of v.candidates) parts.push(`<tr><td>${esc(cd.name)}</td><td>${cd.votes}</td></tr>`);
        parts.push(
          `<tr><td>Vastu kõigile ja teistele kandidaatidele kokku (juhtiva kandidaadi suhtes)</td><td>${v.against}</td></tr><tr><td>Erapooletu</td><td>${v.abstain}</td></tr></tbody></table>`,
        );
        parts.push(`<p>Salajasel hääletusel osalesid: ${list(v.names.took_part)}.</p>`);
      } else {
        parts.push(
          `<p>Poolt ${v.for}, vastu ${v.against}, erapooletu ${v.abstain}, ei hääletanud ${v.notVoted}, taandas end ${v.recused}, puudus ${v.absent}.</p>`,
        );
        parts.push('<table><tbody>');
        for (const k of ['for', 'against', 'abstain', 'not_voted', 'recused', 'absent'] as const)
          parts.push(`<tr><th scope="row">${RECORD_ET[k]}</th><td>${list(v.names[k])}</td></tr>`);
        parts.push('</tbody></table>');
      }
      if (v.kind === 'secret' && (v.names.recused.length || v.names.absent.length))
        parts.push(`<p>Taandas end: ${list(v.names.recused)}. Puudus: ${list(v.names.absent)}.</p>`);
      parts.push(`<p><strong>${esc(outcomeText(v))}</strong></p>`);
    }
  }
  parts.push('<div class="sign"><h2>Allkirjad</h2>');
  parts.push(
    `<p>Istungi juhataja: ${esc(m.chair ?? '—')}${sign.chairAt ? ` — kinnitatud ${esc(fmtDateTime(sign.chairAt))}` : ' — kinnitamata'}</p>`,
  );
  parts.push(
    `<p>Protokollija: ${esc(m.secretary ?? '—')}${sign.secretaryAt ? ` — kinnitatud ${esc(fmtDateTime(sign.secretaryAt))}` : ' — kinnitamata'}</p>`,
  );
  if (sign.sha256) parts.push(`<p class="muted">PDF-i SHA-256: ${esc(sign.sha256)}</p>`);
  parts.push('</div></main></body></html>');
  return parts.join('\n');
}

export function changeText(action: string): string {
  return (
    (
      {
        'item.added': 'lisati päevakorrapunkt',
        'item.withdrawn': 'päevakorrapunkt võeti maha',
        'item.moved': 'päevakorrapunkti järjekorda muudeti',
        'item.changed': 'päevakorrapunkti muudeti',
      } as Record<string, string>
    )[action] ?? action
  );
}
