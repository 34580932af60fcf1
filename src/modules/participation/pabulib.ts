/**
 * Pabulib `.pb` files (https://pabulib.org/format): the research-standard format of participatory
 * budgets. Three sections, each a `;`-separated table (CSV conventions: fields with `;`, `"` or a
 * line break are double-quoted, quotes doubled) with a header row:
 *
 *   META      key;value           description, country, unit, subunit, instance, district,
 *                                 num_projects, num_votes, budget, vote_type, rule, date_begin,
 *                                 date_end, min_length, max_length, max_sum_points, max_points, …
 *   PROJECTS  project_id;cost;…   plus any of votes, score, name, category, target, selected,
 *                                 latitude, longitude, … (kept as they are)
 *   VOTES     voter_id;vote;…     plus points (cumulative, scoring) and voter metadata such as
 *                                 age, sex, voting_method, district (kept as they are)
 *
 * Vote types: approval (and choose-1), cumulative, scoring, ordinal (the vote lists projects
 * from the most to the least preferred). Some real files have no `key;value` line under META;
 * both forms are read.
 *
 * `PabulibReader` reads a file line by line as its chunks arrive (no limit from the file's size
 * other than memory for the votes, no recursion, no argument spreading) and reports every
 * problem with its line: errors make the file unusable (nothing is imported), warnings name rows
 * that were read with a remark. `writePabulib` writes one.
 */
export interface PbIssue {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export type PbVoteType = 'approval' | 'cumulative' | 'scoring' | 'ordinal';

export interface PbProject {
  id: string;
  costCents: number;
  name: string;
  votes: number | null;
  score: number | null;
  /** The `selected` cell as written (1, 0, and in some files 2), null if none. */
  selected: string | null;
  /** The row's cells in the order of the PROJECTS header (kept for a lossless export). */
  cells: string[];
}

export interface PbVote {
  /** Indices into `projects`: in the file's order, a project listed twice merged into one entry. */
  projects: number[];
  /** Points per entry (cumulative, scoring); for a merged entry the sum. Null for approval, ordinal. */
  points: number[] | null;
  /** The cells of the voter-metadata columns (`voteExtra`), null if the file has none. */
  extra: string[] | null;
  /** The vote (and points) exactly as written, when merging changed them. */
  raw: { vote: string; points: string | null } | null;
}

export interface PbFile {
  /** META in the file's order, keys as written. */
  meta: [string, string][];
  /** META by lower-case key. */
  metaMap: Record<string, string>;
  /** The line of each META key (lower case), for messages. */
  metaLine: Record<string, number>;
  voteType: PbVoteType;
  budgetCents: number;
  projectHeader: string[];
  projects: PbProject[];
  voteHeader: string[];
  /** VOTES columns other than voter_id, vote and points, in the header's order. */
  voteExtra: string[];
  votes: PbVote[];
  issues: PbIssue[];
  errors: number;
  warnings: number;
  lines: number;
}

/** Splits one record on `;`, honouring double quotes ("a;b", "say ""hi""", a quoted line break). */
export function splitRow(line: string): string[] {
  if (!line.includes('"')) {
    const cells = line.split(';');
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
    return cells;
  }
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

function hasDuplicate(xs: number[]): boolean {
  if (xs.length > 16) return new Set(xs).size !== xs.length;
  for (let i = 1; i < xs.length; i++) for (let k = 0; k < i; k++) if (xs[i] === xs[k]) return true;
  return false;
}

/** Whether a record ends inside a quoted field (its line break belongs to the field). */
function openQuote(line: string): boolean {
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"' && fieldStart) quoted = true;
    else if (ch === ';') fieldStart = true;
    else if (ch !== ' ' && ch !== '\t') fieldStart = false;
  }
  return quoted;
}

export const pbQuote = (v: string) => (/[;"\n\r]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Money in a .pb file is in whole currency units, possibly with decimals; we keep cents. */
export function parseMoney(v: string): number | null {
  const s = v.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const cents = Math.round(Number(s) * 100);
  return Number.isSafeInteger(cents) ? cents : null;
}

export const formatMoney = (cents: number) => (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2));

const VOTE_TYPES: Record<string, PbVoteType> = {
  approval: 'approval',
  'choose-1': 'approval',
  cumulative: 'cumulative',
  scoring: 'scoring',
  ordinal: 'ordinal',
};

type Section = 'META' | 'PROJECTS' | 'VOTES';

/** Reads a Pabulib file chunk by chunk: `push(text)` as it arrives, then `end()`. */
export class PabulibReader {
  private readonly maxWarnings: number;
  private readonly issues: PbIssue[] = [];
  private suppressed = 0;
  private errors = 0;
  private buffer = '';
  private pending: { text: string; line: number } | null = null;
  private lineNo = 0;
  private started = false;
  private section: Section | null = null;
  private header: string[] | null = null;
  private readonly seen = new Set<Section>();
  private readonly meta: [string, string][] = [];
  private readonly metaMap: Record<string, string> = {};
  private readonly metaLine: Record<string, number> = {};
  private voteType: PbVoteType = 'approval';
  private projectHeader: string[] = [];
  private readonly projects: PbProject[] = [];
  private readonly projectIndex = new Map<string, number>();
  private readonly projectLine = new Map<string, number>();
  private voteHeader: string[] = [];
  private voteExtra: number[] = [];
  private voteCols = { voterId: -1, vote: -1, points: -1 };
  private readonly votes: PbVote[] = [];
  private readonly voterLine = new Map<string, number>();
  private limits = { maxPoints: Infinity, maxSumPoints: Infinity, minPoints: -Infinity, maxLength: Infinity };
  private lengthWarnings = 0;

  constructor(opts: { maxWarnings?: number } = {}) {
    this.maxWarnings = opts.maxWarnings ?? 200;
  }

  private issue(line: number, severity: PbIssue['severity'], message: string) {
    if (severity === 'error') {
      this.errors++;
      if (this.errors <= 1000) this.issues.push({ line, severity, message });
      else this.suppressed++;
    } else if (this.issues.length - this.errors < this.maxWarnings) this.issues.push({ line, severity, message });
    else this.suppressed++;
  }

  push(chunk: string): void {
    if (!this.started) {
      chunk = chunk.replace(/^\uFEFF/, '');
      if (chunk === '') return;
      this.started = true;
    }
    const text = this.buffer + chunk;
    let from = 0;
    let at: number;
    while ((at = text.indexOf('\n', from)) >= 0) {
      const end = at > from && text.charCodeAt(at - 1) === 13 ? at - 1 : at;
      this.physical(text.slice(from, end));
      from = at + 1;
    }
    this.buffer = text.slice(from);
  }

  private physical(line: string) {
    this.lineNo++;
    if (this.pending) {
      this.pending.text += '\n' + line;
      if (!openQuote(this.pending.text)) {
        const p = this.pending;
        this.pending = null;
        this.record(p.text, p.line);
      }
      return;
    }
    if (line.includes('"') && openQuote(line)) {
      this.pending = { text: line, line: this.lineNo };
      return;
    }
    this.record(line, this.lineNo);
  }

  private record(raw: string, line: number) {
    if (raw.trim() === '') return;
    const upper = raw.trim().toUpperCase();
    if (upper === 'META' || upper === 'PROJECTS' || upper === 'VOTES') {
      if (this.seen.has(upper)) this.issue(line, 'error', `section ${upper} appears twice`);
      if (upper === 'PROJECTS' && !this.seen.has('META'))
        this.issue(line, 'error', 'the PROJECTS section comes before META');
      if (upper === 'VOTES' && !this.seen.has('PROJECTS'))
        this.issue(line, 'error', 'the VOTES section comes before PROJECTS');
      if (this.section === 'META') this.metaDone(line);
      if (this.section === 'PROJECTS') this.projectsDone(line);
      this.seen.add(upper);
      this.section = upper;
      this.header = null;
      return;
    }
    if (!this.section) {
      this.issue(line, 'error', 'text before the META section');
      return;
    }
    const cells = splitRow(raw);
    if (!this.header) {
      const lower = cells.map((c) => c.toLowerCase());
      if (this.section === 'META') {
        this.header = ['key', 'value'];
        // Some real files have no "key;value" line: then this row is already data.
        if (lower[0] === 'key' && lower[1] === 'value' && lower.length === 2) return;
      } else {
        this.header = lower;
        const need = this.section === 'PROJECTS' ? ['project_id', 'cost'] : ['voter_id', 'vote'];
        for (const col of need)
          if (!lower.includes(col)) this.issue(line, 'error', `the ${this.section} header has no "${col}" column`);
        if (new Set(lower).size !== lower.length)
          this.issue(line, 'error', `the ${this.section} header names a column twice`);
        if (this.section === 'PROJECTS') this.projectHeader = cells;
        else this.votesHeader(cells, line);
        return;
      }
    }
    if (this.section === 'META') this.metaRow(cells, line);
    else if (this.section === 'PROJECTS') this.projectRow(cells, line);
    else this.voteRow(cells, line);
  }

  private metaRow(cells: string[], line: number) {
    const key = cells[0] ?? '';
    if (!key) return;
    const lower = key.toLowerCase();
    if (lower in this.metaMap) this.issue(line, 'warning', `META ${key} is given twice (the later value counts)`);
    const value = cells.slice(1).join(';');
    this.meta.push([key, value]);
    this.metaMap[lower] = value;
    this.metaLine[lower] = line;
  }

  private metaDone(line: number) {
    const m = this.metaMap;
    const vt = (m.vote_type ?? '').toLowerCase();
    if (!vt) this.issue(this.metaLine.budget ?? line, 'warning', 'META has no vote_type: read as approval');
    else if (!VOTE_TYPES[vt])
      this.issue(
        this.metaLine.vote_type!,
        'error',
        `vote_type "${m.vote_type}" is not a Pabulib vote type (approval, choose-1, cumulative, scoring, ordinal)`,
      );
    this.voteType = VOTE_TYPES[vt] ?? 'approval';
    if (parseMoney(m.budget ?? '') === null)
      this.issue(
        this.metaLine.budget ?? line,
        'error',
        `META budget "${m.budget ?? ''}" is missing or not a non-negative number`,
      );
    const num = (k: string, fallback: number) => {
      if (m[k] === undefined || m[k] === '') return fallback;
      const x = Number(m[k]!.replace(',', '.'));
      if (!Number.isFinite(x)) {
        this.issue(this.metaLine[k]!, 'error', `META ${k} "${m[k]}" is not a number`);
        return fallback;
      }
      return x;
    };
    this.limits = {
      maxPoints: num('max_points', Infinity),
      maxSumPoints: num('max_sum_points', Infinity),
      minPoints: num('min_points', this.voteType === 'cumulative' ? 0 : -Infinity),
      maxLength: num('max_length', Infinity),
    };
    if (m.vote_type?.toLowerCase() === 'choose-1') this.limits.maxLength = 1;
  }

  private projectRow(cells: string[], line: number) {
    const h = this.header!;
    const cell = (col: string) => {
      const i = h.indexOf(col);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    if (cells.length !== h.length)
      this.issue(line, 'warning', `${cells.length} fields where the header has ${h.length}`);
    const id = cell('project_id');
    if (!id) {
      this.issue(line, 'error', 'a project without project_id');
      return;
    }
    if (id.includes(',')) {
      this.issue(line, 'error', `project_id "${id}" contains a comma, which separates projects in votes`);
      return;
    }
    if (this.projectIndex.has(id)) {
      this.issue(line, 'error', `project ${id} is listed twice (first on line ${this.projectLine.get(id)})`);
      return;
    }
    const cost = parseMoney(cell('cost'));
    if (cost === null) {
      this.issue(line, 'error', `project ${id}: cost "${cell('cost')}" is not a non-negative number`);
      return;
    }
    const num = (col: string) => {
      const v = cell(col);
      if (v === '' || v.toLowerCase() === 'none') return null;
      const x = Number(v.replace(',', '.'));
      if (!Number.isFinite(x)) {
        this.issue(line, 'warning', `project ${id}: ${col} "${v}" is not a number`);
        return null;
      }
      return x;
    };
    const sel = cell('selected');
    this.projectIndex.set(id, this.projects.length);
    this.projectLine.set(id, line);
    const padded = h.map((_, i) => cells[i] ?? '');
    for (let i = h.length; i < cells.length; i++) padded.push(cells[i]!);
    this.projects.push({
      id,
      costCents: cost,
      name: cell('name') || `Project ${id}`,
      votes: num('votes'),
      score: num('score'),
      selected: sel === '' ? null : sel,
      cells: padded,
    });
  }

  private projectsDone(line: number) {
    if (this.projects.length === 0) {
      this.issue(line, 'error', 'the file lists no projects');
      return;
    }
    const budget = parseMoney(this.metaMap.budget ?? '');
    if (budget !== null) {
      let cheapest = this.projects[0]!;
      for (const p of this.projects) if (p.costCents < cheapest.costCents) cheapest = p;
      if (budget < cheapest.costCents)
        this.issue(
          this.metaLine.budget ?? 1,
          'error',
          `the budget (${formatMoney(budget)}) is smaller than every project's cost: the cheapest, project ${cheapest.id}, costs ${formatMoney(cheapest.costCents)}`,
        );
    }
  }

  private votesHeader(cells: string[], line: number) {
    this.voteHeader = cells;
    const lower = cells.map((c) => c.toLowerCase());
    const needPoints = this.voteType === 'cumulative' || this.voteType === 'scoring';
    if (needPoints && !lower.includes('points'))
      this.issue(line, 'error', `a ${this.voteType} file needs a "points" column in VOTES`);
    this.voteExtra = lower
      .map((c, i) => (c === 'voter_id' || c === 'vote' || c === 'points' ? -1 : i))
      .filter((i) => i >= 0);
    this.voteCols = {
      voterId: lower.indexOf('voter_id'),
      vote: lower.indexOf('vote'),
      points: lower.indexOf('points'),
    };
  }

  private voteRow(cells: string[], line: number) {
    const h = this.header!;
    const cols = this.voteCols;
    if (cells.length !== h.length)
      this.issue(line, 'warning', `${cells.length} fields where the header has ${h.length}`);
    const voterId = cells[cols.voterId] ?? '';
    if (!voterId) {
      this.issue(line, 'error', 'a vote without voter_id');
      return;
    }
    const first = this.voterLine.get(voterId);
    if (first !== undefined) {
      this.issue(line, 'error', `voter ${voterId} votes twice (first on line ${first})`);
      return;
    }
    this.voterLine.set(voterId, line);
    const voteText = cells[cols.vote] ?? '';
    const ids = voteText === '' ? [] : voteText.split(',');
    const idx: number[] = [];
    for (let k = 0; k < ids.length; k++) {
      const id = (ids[k] = ids[k]!.trim());
      const j = this.projectIndex.get(id);
      if (j === undefined) {
        this.issue(
          line,
          'error',
          id === ''
            ? `voter ${voterId}: an empty project id in "${voteText}"`
            : `voter ${voterId}: unknown project ${id}`,
        );
        return;
      }
      idx.push(j);
    }
    const pointsText = cols.points >= 0 ? (cells[cols.points] ?? '') : '';
    let points: number[] | null = null;
    const type = this.voteType;
    if (type === 'cumulative' || type === 'scoring') {
      const parts = pointsText === '' ? [] : pointsText.split(',').map((s) => s.trim());
      if (parts.length !== ids.length) {
        this.issue(line, 'error', `voter ${voterId}: ${ids.length} project(s) but ${parts.length} points`);
        return;
      }
      points = [];
      for (const p of parts) {
        const x = Number(p);
        if (!/^-?\d+$/.test(p) || !Number.isSafeInteger(x)) {
          this.issue(line, 'error', `voter ${voterId}: points "${p}" are not a whole number`);
          return;
        }
        points.push(x);
      }
    }
    // A project listed twice: approval counts it once, cumulative adds the points; a ranking or
    // a score cannot name it twice.
    let raw: PbVote['raw'] = null;
    if (hasDuplicate(idx)) {
      if (type === 'ordinal' || type === 'scoring') {
        this.issue(line, 'error', `voter ${voterId}: a project appears twice in the ${type} vote`);
        return;
      }
      raw = { vote: voteText, points: points ? pointsText : null };
      const order: number[] = [];
      const sum = new Map<number, number>();
      idx.forEach((j, k) => {
        if (!sum.has(j)) order.push(j);
        sum.set(j, (sum.get(j) ?? 0) + (points ? points[k]! : 1));
      });
      if (!points) this.issue(line, 'warning', `voter ${voterId}: a project appears twice (counted once)`);
      idx.length = 0;
      for (const j of order) idx.push(j);
      if (points) points = order.map((j) => sum.get(j)!);
    }
    if (points) {
      const L = this.limits;
      let total = 0;
      for (let k = 0; k < points.length; k++) {
        const p = points[k]!;
        total += p;
        if (p > L.maxPoints) {
          this.issue(
            line,
            'error',
            `voter ${voterId}: ${p} points for project ${this.projects[idx[k]!]!.id}, over the limit of ${L.maxPoints} (META max_points)`,
          );
          return;
        }
        if (p < L.minPoints) {
          this.issue(
            line,
            'error',
            `voter ${voterId}: ${p} points for project ${this.projects[idx[k]!]!.id}, under the minimum of ${Number.isFinite(L.minPoints) ? L.minPoints : 0}`,
          );
          return;
        }
      }
      if (type === 'cumulative' && total > L.maxSumPoints) {
        this.issue(
          line,
          'error',
          `voter ${voterId}: ${total} points in all, over the limit of ${L.maxSumPoints} (META max_sum_points)`,
        );
        return;
      }
    }
    if (idx.length > this.limits.maxLength && this.lengthWarnings++ < 20)
      this.issue(
        line,
        'warning',
        `voter ${voterId}: ${idx.length} projects, more than max_length ${this.limits.maxLength}`,
      );
    if (idx.length === 0) this.issue(line, 'warning', `voter ${voterId}: an empty vote (a voter who chose nothing)`);
    this.votes.push({
      projects: idx,
      points,
      extra: this.voteExtra.length ? this.extraOf(cells) : null,
      raw,
    });
  }

  private extraOf(cells: string[]): string[] {
    const out = new Array<string>(this.voteExtra.length);
    for (let k = 0; k < this.voteExtra.length; k++) out[k] = cells[this.voteExtra[k]!] ?? '';
    return out;
  }

  end(): PbFile {
    if (this.buffer !== '' || this.pending) {
      const rest = this.buffer;
      this.buffer = '';
      if (rest !== '') this.physical(rest.replace(/\r$/, ''));
      if (this.pending)
        this.issue(
          this.pending.line,
          'error',
          `the file ends inside a quoted field opened on line ${this.pending.line}: it seems truncated`,
        );
    }
    const last = this.lineNo;
    if (this.section === 'META') this.metaDone(last);
    if (this.section === 'PROJECTS') this.projectsDone(last);
    for (const s of ['META', 'PROJECTS', 'VOTES'] as const)
      if (!this.seen.has(s))
        this.issue(
          last,
          'error',
          s === 'VOTES' && this.seen.has('PROJECTS')
            ? `the file ends on line ${last} without a VOTES section: it seems truncated`
            : `the file has no ${s} section`,
        );
    if (this.seen.has('VOTES') && !this.header)
      this.issue(last, 'error', 'the VOTES section has no header line: the file seems truncated');
    const m = this.metaMap;
    const declared = (k: string, actual: number, what: string) => {
      if (m[k] === undefined || m[k] === '') return;
      const d = Number(m[k]);
      if (!Number.isInteger(d)) this.issue(this.metaLine[k]!, 'warning', `META ${k} "${m[k]}" is not a whole number`);
      else if (d > actual && this.seen.has('VOTES'))
        this.issue(
          last,
          'error',
          `META ${k} (line ${this.metaLine[k]}) says ${d} ${what}, the file ends on line ${last} after ${actual}: it seems truncated`,
        );
      else if (d !== actual)
        this.issue(this.metaLine[k]!, 'warning', `META ${k} says ${d}, the file has ${actual} ${what}`);
    };
    declared('num_projects', this.projects.length, 'projects');
    declared('num_votes', this.votes.length, 'votes');
    if (this.suppressed)
      this.issues.push({ line: last, severity: 'warning', message: `${this.suppressed} more issue(s) not listed` });
    const errors = this.errors;
    return {
      meta: this.meta,
      metaMap: this.metaMap,
      metaLine: this.metaLine,
      voteType: this.voteType,
      budgetCents: parseMoney(m.budget ?? '') ?? 0,
      projectHeader: this.projectHeader,
      projects: this.projects,
      voteHeader: this.voteHeader,
      voteExtra: this.voteExtra.map((i) => this.voteHeader[i]!),
      votes: this.votes,
      issues: this.issues,
      errors,
      warnings: this.issues.length - Math.min(errors, 1000),
      lines: last,
    };
  }
}

export function parsePabulib(text: string, opts: { maxWarnings?: number } = {}): PbFile {
  const r = new PabulibReader(opts);
  // In pieces, as a stream would arrive (and to keep each string operation small).
  for (let i = 0; i < text.length; i += 1 << 16) r.push(text.slice(i, i + (1 << 16)));
  return r.end();
}

/** Reads a file from a stream of bytes (UTF-8) or text chunks. */
export async function parsePabulibStream(
  source: AsyncIterable<Uint8Array | string>,
  opts: { maxWarnings?: number } = {},
): Promise<PbFile> {
  const r = new PabulibReader(opts);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) r.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  r.push(decoder.decode());
  return r.end();
}

/** Points a position in an ordinal vote is worth: the first of k ranked places k, the last 1 (Pabulib's default scoring). */
export function ordinalPoints(length: number, maxLength: number): number[] {
  return Array.from({ length }, (_, k) => maxLength - k);
}

/** Writes a .pb file from its three tables (every cell quoted as needed). */
export function writePabulib(f: {
  meta: [string, string | number][];
  projectHeader: string[];
  projects: string[][];
  voteHeader: string[];
  votes: Iterable<string[]>;
}): string {
  const out: string[] = ['META', 'key;value'];
  for (const [k, v] of f.meta) out.push(`${pbQuote(k)};${pbQuote(String(v))}`);
  out.push('PROJECTS', f.projectHeader.map(pbQuote).join(';'));
  for (const row of f.projects) out.push(row.map(pbQuote).join(';'));
  out.push('VOTES', f.voteHeader.map(pbQuote).join(';'));
  for (const row of f.votes) out.push(row.map(pbQuote).join(';'));
  return out.join('\n') + '\n';
}
