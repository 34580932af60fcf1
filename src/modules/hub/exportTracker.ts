import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { readTracker } from './readTracker';

/** The tracker as CSV (one row per measure), for spreadsheets and auditors. */
export async function exportTrackerCsv(ctx: AppContext, actor: Actor, code: string): Promise<string> {
  const t = await readTracker(ctx, actor, code);
  const rows: (string | number)[][] = [
    [
      'module',
      'layer',
      'module_applies',
      'measure',
      'group',
      'in_scope',
      'title',
      'status',
      'reason',
      'responsible_role',
      'responsible_person',
      'due_date',
      'overdue',
      'evidence',
      'notes',
      'updated_at',
    ],
  ];
  for (const m of t.modules) {
    for (const x of m.measures) {
      rows.push([
        m.code,
        m.layer,
        m.applies ? 'yes' : 'no',
        x.code,
        x.group,
        x.inScope && m.applies ? 'yes' : 'no',
        x.title,
        x.status,
        x.reason,
        x.responsibleRole,
        x.responsiblePerson,
        x.dueDate ?? '',
        x.overdue ? 'yes' : 'no',
        x.evidence.map((e) => `${e.title} <${e.url}>`).join(' | '),
        x.notes,
        x.updatedAt ?? '',
      ]);
    }
  }
  // A byte-order mark so that spreadsheet programs read the Estonian letters as UTF-8.
  return '\uFEFF' + stringify(rows, { record_delimiter: '\r\n' });
}
