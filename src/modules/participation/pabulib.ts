/**
 * Pabulib `.pb` files (https://pabulib.org/format): the research-standard format of participatory
 * budgets. Three sections, each a `;`-separated table with a header row:
 *
 *   META      key;value           (description, country, unit, instance, num_projects, num_votes,
 *                                  budget, vote_type, rule, date_begin, date_end, min_length,
 *                                  max_length, max_sum_points, min_sum_cost, …)
 *   PROJECTS  project_id;cost;votes|score;name;…;selected
 *   VOTES     voter_id;…;vote[;points]
 *
 * `parsePabulib` reads a file the way real files come (BOM, CRLF, quoted fields, extra columns,
 * irregular rows) and reports every problem with its line: errors make the file unusable, warnings
 * name rows that were skipped or repaired. `writePabulib` writes one.
 */
export interface PbIssue {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface PbProject {
  id: string;
  costCents: number;
  name: string;
  votes: number | null;
  score: number | null;
  selected: boolean | null;
  category: string | null;
}

export interface PbVote {
  voterId: string;
  projectIds: string[];
  points: number[] | null;
}

export interface PbFile {
  meta: Record<string, string>;
  projects: PbProject[];
  votes: PbVote[];
  issues: PbIssue[];
}

export type PbVoteType = 'approval' | 'cumulative';

/** Splits one line on `;`, honouring double-quoted fields ("a;b", "say ""hi"""). */
export function splitRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === ';') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const quote = (v: string) => (/[;"\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Money in a .pb file is in whole currency units, possibly with decimals; we keep cents. */
function parseMoney(v: string): number | null {
  const s = v.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}

const formatMoney = (cents: number) => (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2));

export function parsePabulib(text: string, opts: { maxIssues?: number } = {}): PbFile {
  const maxIssues = opts.maxIssues ?? 200;
  const issues: PbIssue[] = [];
  let suppressed = 0;
  const issue = (line: number, severity: PbIssue['severity'], message: string) => {
    if (severity === 'error' || issues.length < maxIssues) issues.push({ line, severity, message });
    else suppressed++;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const meta: Record<string, string> = {};
  const projects: PbProject[] = [];
  const votes: PbVote[] = [];
  let section: 'META' | 'PROJECTS' | 'VOTES' | null = null;
  let header: string[] | null = null;
  const seenSections = new Set<string>();
  const projectIds = new Set<string>();
  const voterIds = new Set<string>();

  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const raw = lines[n]!;
    if (raw.trim() === '') continue;
    const upper = raw.trim().toUpperCase();
    if (upper === 'META' || upper === 'PROJECTS' || upper === 'VOTES') {
      if (seenSections.has(upper)) issue(lineNo, 'error', `section ${upper} appears twice`);
      seenSections.add(upper);
      section = upper;
      header = null;
      continue;
    }
    if (!section) {
      issue(lineNo, 'error', 'text before the META section');
      continue;
    }
    const cells = splitRow(raw);
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      const need =
        section === 'META' ? ['key', 'value'] : section === 'PROJECTS' ? ['project_id', 'cost'] : ['voter_id', 'vote'];
      for (const col of need)
        if (!header.includes(col)) issue(lineNo, 'error', `the ${section} header has no "${col}" column`);
      continue;
    }
    const row = (col: string) => {
      const i = header!.indexOf(col);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    if (cells.length !== header.length && !(section === 'META' && cells.length > 2)) {
      issue(lineNo, 'warning', `${cells.length} fields where the header has ${header.length}`);
    }
    if (section === 'META') {
      const key = (cells[0] ?? '').toLowerCase();
      if (!key) continue;
      meta[key] = cells.slice(1).join(';');
    } else if (section === 'PROJECTS') {
      const id = row('project_id');
      if (!id) {
        issue(lineNo, 'error', 'a project without project_id');
        continue;
      }
      if (projectIds.has(id)) {
        issue(lineNo, 'error', `project ${id} is listed twice`);
        continue;
      }
      const cost = parseMoney(row('cost'));
      if (cost === null) {
        issue(lineNo, 'error', `project ${id}: cost "${row('cost')}" is not a non-negative number`);
        continue;
      }
      const num = (col: string) => {
        const v = row(col);
        if (v === '') return null;
        const x = Number(v.replace(',', '.'));
        if (!Number.isFinite(x)) {
          issue(lineNo, 'warning', `project ${id}: ${col} "${v}" is not a number (ignored)`);
          return null;
        }
        return x;
      };
      const sel = row('selected');
      projectIds.add(id);
      projects.push({
        id,
        costCents: cost,
        name: row('name') || `Project ${id}`,
        votes: num('votes'),
        score: num('score'),
        selected: sel === '' ? null : sel === '1' || sel.toLowerCase() === 'true',
        category: row('category') || null,
      });
    } else {
      const voterId = row('voter_id');
      if (!voterId) {
        issue(lineNo, 'warning', 'a vote without voter_id (skipped)');
        continue;
      }
      if (voterIds.has(voterId)) {
        issue(lineNo, 'warning', `voter ${voterId} voted twice (the later vote is skipped)`);
        continue;
      }
      const ids = row('vote')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) {
        issue(lineNo, 'warning', `voter ${voterId}: empty vote (skipped)`);
        continue;
      }
      const unknown = ids.filter((p) => !projectIds.has(p));
      if (unknown.length) {
        issue(lineNo, 'warning', `voter ${voterId}: unknown project(s) ${unknown.join(', ')} (vote skipped)`);
        continue;
      }
      let points: number[] | null = null;
      if (header.includes('points')) {
        points = row('points')
          .split(',')
          .map((s) => Number(s.trim()));
        if (points.length !== ids.length || points.some((p) => !Number.isInteger(p) || p < 0)) {
          issue(lineNo, 'warning', `voter ${voterId}: points "${row('points')}" do not match the vote (skipped)`);
          continue;
        }
      }
      const unique = [...new Set(ids)];
      if (unique.length !== ids.length) {
        if (points) {
          issue(lineNo, 'warning', `voter ${voterId}: a project appears twice with points (skipped)`);
          continue;
        }
        issue(lineNo, 'warning', `voter ${voterId}: a project appears twice (counted once)`);
      }
      voterIds.add(voterId);
      votes.push({ voterId, projectIds: points ? ids : unique, points });
    }
  }
  for (const s of ['META', 'PROJECTS', 'VOTES'])
    if (!seenSections.has(s))
      issues.push({ line: lines.length, severity: 'error', message: `the file has no ${s} section` });
  if (seenSections.has('PROJECTS') && projects.length === 0)
    issues.push({ line: lines.length, severity: 'error', message: 'the file lists no projects' });
  if (seenSections.has('META')) {
    if (parseMoney(meta.budget ?? '') === null)
      issues.push({
        line: 1,
        severity: 'error',
        message: `META budget "${meta.budget ?? ''}" is missing or not a number`,
      });
    const vt = (meta.vote_type ?? 'approval').toLowerCase();
    if (vt !== 'approval' && vt !== 'cumulative')
      issues.push({
        line: 1,
        severity: 'error',
        message: `vote_type "${meta.vote_type}" is not supported (approval and cumulative are)`,
      });
    if (vt === 'cumulative' && seenSections.has('VOTES') && !votes.some((v) => v.points))
      issues.push({ line: 1, severity: 'error', message: 'a cumulative file needs a points column in VOTES' });
    const declared = (k: string, actual: number) => {
      if (meta[k] !== undefined && Number(meta[k]) !== actual)
        issues.push({ line: 1, severity: 'warning', message: `META ${k} says ${meta[k]}, the file has ${actual}` });
    };
    declared('num_projects', projects.length);
    declared('num_votes', votes.length);
  }
  if (suppressed)
    issues.push({ line: lines.length, severity: 'warning', message: `${suppressed} more warning(s) not listed` });
  return { meta, projects, votes, issues };
}

export function pbVoteType(meta: Record<string, string>): PbVoteType {
  return (meta.vote_type ?? 'approval').toLowerCase() === 'cumulative' ? 'cumulative' : 'approval';
}
export const pbBudgetCents = (meta: Record<string, string>) => parseMoney(meta.budget ?? '') ?? 0;

export function writePabulib(f: {
  meta: Record<string, string | number>;
  projects: PbProject[];
  votes: PbVote[];
}): string {
  const out: string[] = ['META', 'key;value'];
  for (const [k, v] of Object.entries(f.meta)) out.push(`${quote(k)};${quote(String(v))}`);
  const hasScore = f.projects.some((p) => p.score !== null);
  out.push('PROJECTS', `project_id;cost;${hasScore ? 'score' : 'votes'};name;selected`);
  for (const p of f.projects)
    out.push(
      [
        p.id,
        formatMoney(p.costCents),
        String((hasScore ? p.score : p.votes) ?? 0),
        quote(p.name),
        p.selected ? '1' : '0',
      ].join(';'),
    );
  const withPoints = f.votes.some((v) => v.points);
  out.push('VOTES', withPoints ? 'voter_id;vote;points' : 'voter_id;vote');
  for (const v of f.votes)
    out.push(
      withPoints
        ? `${v.voterId};${v.projectIds.join(',')};${(v.points ?? []).join(',')}`
        : `${v.voterId};${v.projectIds.join(',')}`,
    );
  return out.join('\n') + '\n';
}
