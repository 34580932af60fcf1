import { defineProblem, Problem, type FieldError } from '../../platform/http/problems';

/**
 * Reading an E-ITS catalogue file in the shape RIA publishes (`/api/2/catalog/{version}/modules`):
 * an array of modules (or `{ modules: [...] }`), each with `measureDetails[{ groupCode,
 * measures[{ measureCode, measureTitle, body, assignees }] }]`. Every problem is reported with its
 * place; a file with any problem is not imported at all.
 */
export const catalogueRejected = defineProblem(
  'eits-catalogue-rejected',
  422,
  'The E-ITS catalogue file has errors; nothing was imported',
  'The file is not an E-ITS catalogue in the shape RIA publishes, or some module or measure is incomplete. `errors` lists every problem with a JSON pointer into the file.',
);

export const LAYERS = ['ISMS', 'ORP', 'CON', 'OPS', 'DER', 'APP', 'SYS', 'IND', 'NET', 'INF'] as const;
export type Layer = (typeof LAYERS)[number];
export type Group = 'basic' | 'standard' | 'high';
export const GROUPS: Group[] = ['basic', 'standard', 'high'];

export interface CatalogueMeasure {
  code: string;
  moduleCode: string;
  group: Group;
  title: string;
  body: string;
  assignees: string[];
  ordinal: number;
}
export interface CatalogueModule {
  code: string;
  layer: Layer;
  title: string;
  description: string;
}
export interface Catalogue {
  modules: CatalogueModule[];
  measures: CatalogueMeasure[];
}

const MODULE_CODE = /^(ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(\.[0-9]+){1,3}$/;
const GROUP_NAMES: Record<string, Group> = {
  basic: 'basic',
  standard: 'standard',
  high: 'high',
  b: 'basic',
  s: 'standard',
  h: 'high',
  põhimeede: 'basic',
  põhimeetmed: 'basic',
  standardmeede: 'standard',
  standardmeetmed: 'standard',
  kõrgmeede: 'high',
  kõrgmeetmed: 'high',
};

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCatalogue(doc: unknown): Catalogue {
  const errors: FieldError[] = [];
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.modules) ? doc.modules : undefined;
  const base = Array.isArray(doc) ? '' : '/modules';
  if (!list)
    throw rejectCatalogue([
      {
        pointer: '/',
        detail: 'expected an array of modules (or an object with "modules"), as RIA publishes the catalogue',
      },
    ]);
  if (list.length === 0) throw rejectCatalogue([{ pointer: base || '/', detail: 'the catalogue has no modules' }]);
  const modules: CatalogueModule[] = [];
  const measures: CatalogueMeasure[] = [];
  const moduleCodes = new Set<string>();
  const measureCodes = new Map<string, string>();
  list.forEach((m: unknown, i: number) => {
    const p = `${base}/${i}`;
    if (!isObject(m)) return errors.push({ pointer: p, detail: 'a module must be an object' });
    const code = str(m.moduleCode) ?? str(m.code);
    const title = str(m.moduleTitle) ?? str(m.title) ?? str(m.name);
    if (!code) errors.push({ pointer: `${p}/moduleCode`, detail: 'missing' });
    else if (!MODULE_CODE.test(code))
      errors.push({
        pointer: `${p}/moduleCode`,
        detail: `"${code}" is not an E-ITS module code (layer ISMS, ORP, CON, OPS, DER, APP, SYS, IND, NET or INF, then numbers, e.g. OPS.1.1.2)`,
      });
    else if (moduleCodes.has(code)) errors.push({ pointer: `${p}/moduleCode`, detail: `module ${code} appears twice` });
    if (!title) errors.push({ pointer: `${p}/moduleTitle`, detail: 'missing' });
    if (code) moduleCodes.add(code);
    if (!Array.isArray(m.measureDetails)) {
      errors.push({ pointer: `${p}/measureDetails`, detail: 'missing: expected [{ groupCode, measures: [...] }]' });
      return;
    }
    let ordinal = 0;
    m.measureDetails.forEach((g: unknown, j: number) => {
      const gp = `${p}/measureDetails/${j}`;
      if (!isObject(g)) return errors.push({ pointer: gp, detail: 'a measure group must be an object' });
      const groupRaw = str(g.groupCode)?.toLowerCase();
      const group = groupRaw ? GROUP_NAMES[groupRaw] : undefined;
      if (!group)
        errors.push({
          pointer: `${gp}/groupCode`,
          detail: `${groupRaw ? `"${str(g.groupCode)}" is not a measure group` : 'missing'}; expected BASIC, STANDARD or HIGH`,
        });
      if (!Array.isArray(g.measures))
        return errors.push({ pointer: `${gp}/measures`, detail: 'missing: expected an array of measures' });
      g.measures.forEach((x: unknown, k: number) => {
        const mp = `${gp}/measures/${k}`;
        if (!isObject(x)) return errors.push({ pointer: mp, detail: 'a measure must be an object' });
        const mcode = str(x.measureCode);
        const mtitle = str(x.measureTitle);
        if (!mcode) errors.push({ pointer: `${mp}/measureCode`, detail: 'missing' });
        else if (code && !mcode.startsWith(`${code}.`))
          errors.push({
            pointer: `${mp}/measureCode`,
            detail: `"${mcode}" does not belong to module ${code} (expected ${code}.M…)`,
          });
        else if (measureCodes.has(mcode))
          errors.push({
            pointer: `${mp}/measureCode`,
            detail: `measure ${mcode} appears twice (first at ${measureCodes.get(mcode)})`,
          });
        if (!mtitle) errors.push({ pointer: `${mp}/measureTitle`, detail: 'missing' });
        if (x.body !== undefined && x.body !== null && typeof x.body !== 'string')
          errors.push({ pointer: `${mp}/body`, detail: 'must be text' });
        const assignees = readAssignees(x.assignees, `${mp}/assignees`, errors);
        if (mcode) measureCodes.set(mcode, mp);
        if (code && mcode && mtitle && group)
          measures.push({
            code: mcode,
            moduleCode: code,
            group,
            title: mtitle,
            body: typeof x.body === 'string' ? x.body.trim() : '',
            assignees,
            ordinal: ordinal++,
          });
      });
    });
    if (code && title && MODULE_CODE.test(code))
      modules.push({
        code,
        layer: code.split('.')[0] as Layer,
        title,
        description: str(m.moduleDescription) ?? str(m.description) ?? '',
      });
  });
  if (!errors.length && measures.length === 0)
    errors.push({ pointer: base || '/', detail: 'the catalogue has no measures' });
  if (errors.length) throw rejectCatalogue(errors);
  return { modules, measures };
}

function readAssignees(v: unknown, pointer: string, errors: FieldError[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errors.push({ pointer, detail: 'must be a list of roles' });
    return [];
  }
  const out: string[] = [];
  v.forEach((a, i) => {
    const name =
      typeof a === 'string' ? a.trim() : isObject(a) ? (str(a.name) ?? str(a.title) ?? str(a.roleName)) : undefined;
    if (!name) errors.push({ pointer: `${pointer}/${i}`, detail: 'a role must be text or an object with a name' });
    else out.push(name);
  });
  return out;
}

export function rejectCatalogue(errors: FieldError[]) {
  return new Problem(
    catalogueRejected,
    `The catalogue file has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported. ${errors
      .slice(0, 3)
      .map((e) => `${e.pointer}: ${e.detail}`)
      .join('; ')}${errors.length > 3 ? '; …' : ''}`,
    { errors },
  );
}

export interface CatalogueDiff {
  from: string | null;
  added: { code: string; title: string }[];
  removed: { code: string; title: string }[];
  changed: { code: string; title: string; fields: string[] }[];
  modulesAdded: string[];
  modulesRemoved: string[];
}

/** What changed in the measures from one catalogue version to the next. */
export function diffCatalogues(from: string | null, before: Catalogue | undefined, after: Catalogue): CatalogueDiff {
  const old = new Map((before?.measures ?? []).map((m) => [m.code, m]));
  const now = new Map(after.measures.map((m) => [m.code, m]));
  const diff: CatalogueDiff = { from, added: [], removed: [], changed: [], modulesAdded: [], modulesRemoved: [] };
  if (!before) return diff;
  for (const m of after.measures) {
    const o = old.get(m.code);
    if (!o) {
      diff.added.push({ code: m.code, title: m.title });
      continue;
    }
    const fields: string[] = [];
    if (o.title !== m.title) fields.push('title');
    if (o.body !== m.body) fields.push('body');
    if (o.group !== m.group) fields.push('group');
    if (o.assignees.join('\u0000') !== m.assignees.join('\u0000')) fields.push('assignees');
    if (fields.length) diff.changed.push({ code: m.code, title: m.title, fields });
  }
  for (const o of before.measures) if (!now.has(o.code)) diff.removed.push({ code: o.code, title: o.title });
  const oldModules = new Set(before.modules.map((m) => m.code));
  const newModules = new Set(after.modules.map((m) => m.code));
  diff.modulesAdded = [...newModules].filter((c) => !oldModules.has(c));
  diff.modulesRemoved = [...oldModules].filter((c) => !newModules.has(c));
  return diff;
}
