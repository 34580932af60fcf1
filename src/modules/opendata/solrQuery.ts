/**
 * The query languages CKAN's package_search hands to Solr, parsed as Solr parses them:
 *
 * - **Standard (Lucene) syntax** for `fq`, and for `q` when it contains a colon: clauses with
 *   `+` / `-` / `!` / `NOT`, `AND` / `OR` / `&&` / `||` between them, `(…)` groups, `field:value`,
 *   `field:(…)`, `"phrases"`, wildcards `*` and `?`, ranges `[a TO b]`, `{a TO b}` (and mixed),
 *   `*` as an open end, `*:*`, `^boost` (accepted; scores only), backslash escapes. The default
 *   operator is AND (CKAN sets `q.op=AND`), and conjunctions work as Lucene's classic parser makes
 *   them (`a OR b c` = `+c a b`: with a required clause, optional ones only rank).
 * - **DisMax** for `q` without a colon: words and `"phrases"`, `+` required, `-` excluded, the rest
 *   optional with CKAN's minimum-should-match `2<-1 5<80%`; no syntax errors (unbalanced quotes
 *   are dropped, other special characters are plain text), as Solr's dismax does.
 *
 * Syntax errors throw `SolrSyntaxError` with Solr's kind of message ("Cannot parse '…': …").
 * Fuzzy (`~`), proximity and regular expressions are refused the same way: the catalogue cannot
 * answer them.
 */
export class SolrSyntaxError extends Error {}

export type Occur = 'must' | 'should' | 'mustNot';

export type QueryNode =
  | { kind: 'bool'; clauses: { occur: Occur; node: QueryNode }[]; minShouldMatch?: number }
  | { kind: 'all' }
  /** A word or phrase in `field` (null: the default field). */
  | { kind: 'term'; field: string | null; value: string; phrase: boolean }
  /** `*` and `?` wildcards (a trailing `*` only is a prefix). */
  | { kind: 'wildcard'; field: string | null; pattern: string }
  | {
      kind: 'range';
      field: string | null;
      lower: string | null;
      upper: string | null;
      lowerInclusive: boolean;
      upperInclusive: boolean;
    };

type Token =
  | { t: 'word'; v: string; raw: string; wild: boolean; at: number }
  | { t: 'phrase'; v: string; at: number }
  | { t: 'range'; lower: string; upper: string; li: boolean; ui: boolean; at: number }
  | { t: '(' | ')' | ':' | '+' | '-' | 'not' | 'and' | 'or' | '^' | '~'; at: number };

const SPECIAL = new Set([...'+-!():^[]"{}~*?\\/ \t\r\n\f']);

function fail(input: string, detail: string): never {
  throw new SolrSyntaxError(`Cannot parse '${input}': ${detail}`);
}

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  const col = (at: number) => `column ${at + 1}`;
  while (i < n) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '(' || c === ')' || c === ':' || c === '^' || c === '~') {
      out.push({ t: c, at });
      i++;
      continue;
    }
    if (c === '&' && input[i + 1] === '&') {
      out.push({ t: 'and', at });
      i += 2;
      continue;
    }
    if (c === '|' && input[i + 1] === '|') {
      out.push({ t: 'or', at });
      i += 2;
      continue;
    }
    if (c === '+' || c === '-') {
      out.push({ t: c, at });
      i++;
      continue;
    }
    if (c === '!') {
      out.push({ t: 'not', at });
      i++;
      continue;
    }
    if (c === '/') fail(input, `regular expressions are not supported (${col(at)})`);
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= n)
          fail(input, `Lexical error at ${col(n)}. Encountered: <EOF> inside a quoted phrase opened at ${col(at)}`);
        const ch = input[i]!;
        if (ch === '\\' && i + 1 < n) {
          v += input[i + 1];
          i += 2;
          continue;
        }
        if (ch === '"') break;
        v += ch;
        i++;
      }
      i++;
      out.push({ t: 'phrase', v, at });
      continue;
    }
    if (c === '[' || c === '{') {
      // Range bounds are anything but blanks and closing brackets (dates keep their colons).
      i++;
      const bounds: string[] = [];
      let close: string | undefined;
      while (i < n) {
        while (i < n && /\s/.test(input[i]!)) i++;
        if (i >= n) break;
        const ch = input[i]!;
        if (ch === ']' || ch === '}') {
          close = ch;
          i++;
          break;
        }
        let v = '';
        if (ch === '"') {
          i++;
          while (i < n && input[i] !== '"') v += input[i++];
          if (i >= n) fail(input, `unclosed quote in a range (${col(at)})`);
          i++;
        } else while (i < n && !/[\s\]}]/.test(input[i]!)) v += input[i++];
        bounds.push(v);
      }
      if (!close) fail(input, `Encountered <EOF>: the range opened at ${col(at)} is not closed with ] or }`);
      if (bounds.length !== 3 || bounds[1] !== 'TO')
        fail(input, `a range is written [lower TO upper] or {lower TO upper} (${col(at)})`);
      out.push({ t: 'range', lower: bounds[0]!, upper: bounds[2]!, li: c === '[', ui: close === ']', at });
      continue;
    }
    if (c === ']' || c === '}') fail(input, `Encountered "${c}" at ${col(at)} without an opening bracket`);
    // A term: anything but special characters; '-' and '+' inside it; backslash escapes.
    let v = '';
    let raw = '';
    let wild = false;
    while (i < n) {
      const ch = input[i]!;
      if (ch === '\\') {
        if (i + 1 >= n) fail(input, `a backslash at the end escapes nothing`);
        v += input[i + 1];
        raw += `\\${input[i + 1]}`;
        i += 2;
        continue;
      }
      if ((ch === '-' || ch === '+') && v.length > 0) {
        v += ch;
        raw += ch;
        i++;
        continue;
      }
      if (ch === '*' || ch === '?') {
        wild = true;
        v += ch;
        raw += ch;
        i++;
        continue;
      }
      if (SPECIAL.has(ch) || (ch === '&' && input[i + 1] === '&') || (ch === '|' && input[i + 1] === '|')) break;
      v += ch;
      raw += ch;
      i++;
    }
    if (raw === '') fail(input, `Encountered "${c}" at ${col(at)}`);
    if (raw === 'AND') out.push({ t: 'and', at });
    else if (raw === 'OR') out.push({ t: 'or', at });
    else if (raw === 'NOT') out.push({ t: 'not', at });
    else out.push({ t: 'word', v, raw, wild, at });
  }
  return out;
}

/** Parses Solr's standard (Lucene) syntax with default operator AND. */
export function parseStandard(input: string): QueryNode {
  const tokens = tokenize(input);
  let p = 0;
  const peek = () => tokens[p];
  const describe = (tk: Token | undefined) =>
    !tk
      ? '<EOF>'
      : tk.t === 'word'
        ? `"${tk.raw}"`
        : tk.t === 'phrase'
          ? `"\\"${tk.v}\\""`
          : tk.t === 'range'
            ? 'a range'
            : `"${tk.t === 'and' ? 'AND' : tk.t === 'or' ? 'OR' : tk.t === 'not' ? 'NOT' : tk.t}"`;
  const unexpected = (tk: Token | undefined, expecting: string): never =>
    fail(input, `Encountered ${describe(tk)}${tk ? ` at column ${tk.at + 1}` : ''}. Was expecting ${expecting}`);

  function query(field: string | null, depth: number): QueryNode {
    const clauses: { occur: Occur; node: QueryNode }[] = [];
    let first = true;
    for (;;) {
      const tk = peek();
      if (!tk) {
        if (depth > 0) fail(input, `Encountered <EOF>: a "(" is not closed`);
        break;
      }
      if (tk.t === ')') {
        if (depth === 0) fail(input, `Encountered ")" at column ${tk.at + 1} without an opening "("`);
        break;
      }
      let conj: 'and' | 'or' | null = null;
      if (tk.t === 'and' || tk.t === 'or') {
        if (first) unexpected(tk, 'a term, a phrase, a range or "("');
        conj = tk.t;
        p++;
      }
      let mod: 'req' | 'not' | null = null;
      const m = peek();
      if (m && (m.t === '+' || m.t === '-' || m.t === 'not')) {
        mod = m.t === '+' ? 'req' : 'not';
        p++;
      }
      const node = clause(field);
      // Lucene's addClause, with the default operator AND.
      const last = clauses[clauses.length - 1];
      if (last && conj === 'and' && last.occur !== 'mustNot') last.occur = 'must';
      if (last && conj === 'or' && last.occur !== 'mustNot') last.occur = 'should';
      const prohibited = mod === 'not';
      const required = !prohibited && conj !== 'or';
      clauses.push({ occur: prohibited ? 'mustNot' : required || mod === 'req' ? 'must' : 'should', node });
      first = false;
    }
    if (clauses.length === 0) {
      if (depth > 0) fail(input, `an empty "()" group`);
      return { kind: 'all' };
    }
    if (clauses.length === 1 && clauses[0]!.occur !== 'mustNot') return clauses[0]!.node;
    return { kind: 'bool', clauses };
  }

  function clause(defaultField: string | null): QueryNode {
    let tk = peek();
    let field = defaultField;
    if (tk && tk.t === 'word' && tokens[p + 1]?.t === ':') {
      field = tk.v;
      p += 2;
      tk = peek();
      if (field === '*' && tk?.t === 'word' && tk.v === '*') {
        p++;
        boost();
        return { kind: 'all' };
      }
    }
    if (!tk) return unexpected(tk, 'a term, a phrase, a range or "("');
    if (tk.t === '(') {
      p++;
      const inner = query(field, 1);
      if (peek()?.t !== ')') fail(input, `Encountered <EOF>: a "(" is not closed`);
      p++;
      boost();
      return inner;
    }
    if (tk.t === 'phrase') {
      p++;
      if (peek()?.t === '~') fail(input, `proximity searches ("…"~n) are not supported (column ${peek()!.at + 1})`);
      boost();
      return { kind: 'term', field, value: tk.v, phrase: true };
    }
    if (tk.t === 'range') {
      p++;
      boost();
      return {
        kind: 'range',
        field,
        lower: tk.lower === '*' ? null : tk.lower,
        upper: tk.upper === '*' ? null : tk.upper,
        lowerInclusive: tk.li,
        upperInclusive: tk.ui,
      };
    }
    if (tk.t === 'word') {
      p++;
      if (peek()?.t === '~') fail(input, `fuzzy searches (term~) are not supported (column ${peek()!.at + 1})`);
      boost();
      if (tk.v === '*' && field !== null)
        return { kind: 'range', field, lower: null, upper: null, lowerInclusive: true, upperInclusive: true };
      if (tk.v === '*') return { kind: 'all' };
      return tk.wild ? { kind: 'wildcard', field, pattern: tk.v } : { kind: 'term', field, value: tk.v, phrase: false };
    }
    return unexpected(tk, 'a term, a phrase, a range or "("');
  }

  function boost() {
    if (peek()?.t !== '^') return;
    p++;
    const b = peek();
    if (!b || b.t !== 'word' || !/^\d+(\.\d+)?$/.test(b.v)) unexpected(b, 'a number after "^"');
    p++;
  }

  return query(null, 0);
}

/** Solr's DisMax: never a syntax error; `+` / `-` / phrases; optional words with CKAN's mm `2<-1 5<80%`. */
export function parseDismax(input: string): QueryNode {
  // Unbalanced quotes are dropped, as Solr's dismax does.
  const text = (input.match(/"/g)?.length ?? 0) % 2 ? input.replace(/"/g, ' ') : input;
  const clauses: { occur: Occur; node: QueryNode }[] = [];
  const re = /([+-]?)(?:"([^"]*)"|([^\s"]+))/g;
  for (const m of text.matchAll(re)) {
    const phrase = m[2] !== undefined;
    const value = (m[2] ?? m[3] ?? '').trim();
    if (!value || (!phrase && /^(AND|OR|NOT|&&|\|\|)$/.test(value))) continue;
    const occur: Occur = m[1] === '+' ? 'must' : m[1] === '-' ? 'mustNot' : 'should';
    clauses.push({ occur, node: { kind: 'term', field: null, value, phrase } });
  }
  const optional = clauses.filter((c) => c.occur === 'should').length;
  if (clauses.length === 0) return { kind: 'all' };
  // mm "2<-1 5<80%": up to 2 optional clauses all must match; 3 to 5 all but one; more: 80 % (rounded down).
  const mm = optional <= 2 ? optional : optional <= 5 ? optional - 1 : Math.floor(optional * 0.8);
  return { kind: 'bool', clauses, minShouldMatch: mm };
}

/** How CKAN hands `q` to Solr: DisMax when it has no colon, the standard parser otherwise. */
export function parseQ(q: string): QueryNode {
  const t = q.trim();
  if (t === '' || t === '""' || t === "''") return { kind: 'all' };
  if (t.startsWith('{!')) throw new SolrSyntaxError('Local parameters are not supported.');
  return t.includes(':') ? parseStandard(t) : parseDismax(t);
}

/** `fq` always goes through the standard parser. */
export function parseFq(fq: string): QueryNode {
  const t = fq.trim();
  if (t === '') return { kind: 'all' };
  if (t.startsWith('{!')) throw new SolrSyntaxError('Local parameters are not supported.');
  return parseStandard(t);
}
