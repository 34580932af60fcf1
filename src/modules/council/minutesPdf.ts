import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { FORMAT_ET, RECORD_ET, fmtDateTime, fmtTime, outcomeText, type MinutesModel } from './minutesModel';
import { changeText } from './minutesHtml';

// DejaVu Sans (free licence, see node_modules/dejavu-fonts-ttf/LICENSE) covers Estonian õ ä ö ü š ž
// and Cyrillic; embedded (subset) so that the PDF reads the same everywhere and archives as PDF/A.
const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/**
 * The minutes as a PDF/A-2b document (archival: fonts embedded, no external dependencies),
 * ready to go into an ASiC-E container for a digital signature later. The creation date is the
 * generation time, so the same minutes give the same text.
 */
export function renderMinutesPdf(m: MinutesModel, generatedAt: Date): Promise<Buffer> {
  const s = m.sitting;
  const title = `${m.council} istungi nr ${s.number} protokoll`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 60, right: 60 },
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'et-EE',
    displayTitle: true,
    info: {
      Title: title,
      Author: m.municipality,
      Subject: s.title,
      Creator: 'KOV platvorm',
      Producer: 'KOV platvorm (pdfkit)',
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
    font: REGULAR,
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const p = (text: string, opts: { bold?: boolean; size?: number; gap?: number } = {}) => {
    doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(opts.size ?? 10.5)
      .text(text, { paragraphGap: opts.gap ?? 4 });
  };
  const h = (text: string, size = 13) => {
    if (doc.y > doc.page.height - 140) doc.addPage();
    doc.moveDown(0.6);
    p(text, { bold: true, size, gap: 6 });
  };
  const names = (xs: string[]) => (xs.length ? xs.join(', ') : '—');

  p(m.municipality, { size: 10 });
  p(m.council, { bold: true, size: 16, gap: 2 });
  p(`Istungi nr ${s.number} protokoll`, { bold: true, size: 14, gap: 8 });
  p(s.title, { bold: true });
  p(`Istungi vorm: ${FORMAT_ET[s.format]}`);
  if (s.place) p(`Koht: ${s.place}`);
  if (s.link) p(`Elektrooniline osalemine: ${s.link}`);
  p(`Algus: ${s.openedAt ? fmtDateTime(s.openedAt) : `${fmtDateTime(s.startsAt)} (kavandatud)`}`);
  if (s.closedAt) p(`Lõpp: ${fmtDateTime(s.closedAt)}`);
  p(`Istungit juhatas: ${m.chair ?? '—'}`);
  p(`Protokollis: ${m.secretary ?? '—'}`);

  h('Kohalolek');
  p(
    `Volikogu koosseisus on ${m.seats} liiget; kvoorumiks on vaja vähemalt ${m.quorum.needed} liiget (rohkem kui ${m.quorum.num}/${m.quorum.den} koosseisust). Istungil osales ${m.present.length} liiget.`,
  );
  p('Osalesid:', { bold: true });
  for (const a of m.present)
    p(
      `• ${a.name}${a.faction ? ` (${a.faction})` : ''}${a.substitute ? ', asendusliige' : ''} — ${a.mode === 'online' ? 'elektrooniliselt' : 'kohapeal'}, alates ${fmtTime(a.arrivedAt)}${a.leftAt ? `, lahkus ${fmtTime(a.leftAt)}` : ''}`,
      { gap: 1 },
    );
  p('Puudusid:', { bold: true });
  p(names(m.absent.map((a) => a.name + (a.faction ? ` (${a.faction})` : ''))));

  h('Päevakord');
  for (const i of m.items)
    p(`${i.position}. ${i.title}${i.withdrawn ? ' (võeti päevakorrast maha)' : ''}${i.isPublic ? '' : ' (kinnine)'}`, {
      gap: 1,
    });
  if (m.agendaChanges.length) {
    p('Päevakorra muudatused pärast avalikustamist:', { bold: true });
    for (const ch of m.agendaChanges)
      p(`• ${fmtDateTime(ch.at)}: ${changeText(ch.action)}${ch.title ? ` — ${ch.title}` : ''}`, { gap: 1 });
  }

  for (const i of m.items) {
    if (i.withdrawn) continue;
    h(`${i.position}. ${i.title}`, 12);
    if (i.rapporteur) p(`Ettekandja: ${i.rapporteur}`);
    if (i.note) p(i.note);
    if (i.recusals.length)
      p(
        `Huvide konflikti tõttu taandas end: ${i.recusals.map((r) => r.name + (r.reason ? ` (${r.reason})` : '')).join(', ')}.`,
      );
    if (!i.votes.length) p('Hääletust ei toimunud.');
    for (const v of i.votes) {
      p(`Hääletus nr ${v.number} (${v.kind === 'secret' ? 'salajane' : 'avalik'}): ${v.question}`, { bold: true });
      p(`Otsustamise reegel: ${v.ruleText}.`);
      if (v.kind === 'secret') {
        for (const cd of v.candidates) p(`• ${cd.name}: ${cd.votes}`, { gap: 1 });
        p(
          `Vastu (teised kandidaadid ja vastu kõigile, juhtiva kandidaadi suhtes): ${v.against}; erapooletu: ${v.abstain}.`,
        );
        p(`Salajasel hääletusel osalesid: ${names(v.names.took_part)}.`);
        if (v.names.recused.length) p(`Taandas end: ${names(v.names.recused)}.`);
        if (v.names.absent.length) p(`Puudus: ${names(v.names.absent)}.`);
      } else {
        p(
          `Poolt ${v.for}, vastu ${v.against}, erapooletu ${v.abstain}, ei hääletanud ${v.notVoted}, taandas end ${v.recused}, puudus ${v.absent}.`,
        );
        for (const k of ['for', 'against', 'abstain', 'not_voted', 'recused', 'absent'] as const)
          if (v.names[k].length) p(`${RECORD_ET[k]}: ${names(v.names[k])}`, { gap: 1 });
      }
      p(outcomeText(v), { bold: true, gap: 8 });
    }
  }
  h('Allkirjad');
  p(`Istungi juhataja: ${m.chair ?? '—'}`);
  p(`Protokollija: ${m.secretary ?? '—'}`);
  p(
    `Protokoll koostati ${fmtDateTime(generatedAt)} KOV platvormil istungi andmetest; see kinnitatakse platvormis juhataja ja protokollija poolt.`,
    { size: 9 },
  );
  doc.end();
  return done;
}
