import path from 'node:path';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import {
  Graph,
  serialize,
  loadShapes,
  validateShacl,
  type NamedNode,
  type Quad,
  type RdfFormat,
} from '../../platform/rdf';
import {
  CHANNEL_TYPES,
  FIELDS,
  OUTPUT_TYPES,
  SERVICE_TYPES,
  STATUSES,
  TARGET_GROUPS,
  lifeEventByCode,
  stateServiceById,
  type Label,
} from './reference';
import { listServiceRows, type ServiceRow } from './store';
import { PUBLIC_STATUSES } from './readServices';
import { requireMunicipality } from './coverage';

/**
 * The catalogue as CPSV-AP 3.2.0 linked data. Every service is a `cpsv:PublicService` with its
 * competent authority (a `cv:PublicOrganisation` located in the municipality), channels, costs,
 * evidence, outputs, requirements, rules implementing legal resources, life/business events and
 * related state services; code lists (channel types, fields, audiences, statuses) are published
 * as `skos:Concept`s under the platform's own base. Conformance is checked against the official
 * shapes in `resources/standards/cpsv-ap-3.2.0-SHACL.ttl` with a real SHACL engine.
 */
export const CPSV_SHAPES = path.resolve(import.meta.dirname, '../../../resources/standards/cpsv-ap-3.2.0-SHACL.ttl');
const EU = {
  eur: 'http://publications.europa.eu/resource/authority/currency/EUR',
  est: 'http://publications.europa.eu/resource/authority/language/EST',
  rus: 'http://publications.europa.eu/resource/authority/language/RUS',
  eng: 'http://publications.europa.eu/resource/authority/language/ENG',
  estonia: 'http://publications.europa.eu/resource/authority/country/EST',
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function cpsvGraph(base: string, municipality: { code: string; name: string }, services: ServiceRow[]): Graph {
  const g = new Graph({ kov: `${base}/id/` });
  const { rdf, dct, cv, cpsv, skos, adms, dcat, eli } = g.ns;
  const id = (p: string) => g.iri(`${base}/id/${p}`);
  const texts = (s: NamedNode, p: NamedNode, t: Partial<Label>) => g.addTexts(s, p, t);
  const concepts = new Set<string>();
  const concept = (scheme: string, code: string, label: Partial<Label>) => {
    const c = id(`concept/${scheme}/${code}`);
    if (!concepts.has(c.value)) {
      concepts.add(c.value);
      g.add(c, rdf('type'), skos('Concept'));
      texts(c, skos('prefLabel'), label);
      g.add(c, skos('inScheme'), id(`concept/${scheme}`));
    }
    return c;
  };
  const euConcept = (iri: string) => {
    const c = g.iri(iri);
    if (!concepts.has(iri)) {
      concepts.add(iri);
      g.add(c, rdf('type'), skos('Concept'));
    }
    return c;
  };
  const languages = [EU.est, EU.rus, EU.eng].map((iri) => {
    const l = g.iri(iri);
    g.add(l, rdf('type'), dct('LinguisticSystem'));
    return l;
  });

  // The municipality: a place and its government.
  const place = id(`place/${municipality.code}`);
  g.add(place, rdf('type'), dct('Location'))
    .add(place, dct('identifier'), g.text(municipality.code))
    .add(place, skos('prefLabel'), g.text(municipality.name, 'et'));
  const estonia = g.iri(EU.estonia);
  g.add(estonia, rdf('type'), dct('Location'));
  const orgs = new Map<string, NamedNode>();
  const organisation = (key: string, name: string, spatial: NamedNode) => {
    let o = orgs.get(key);
    if (!o) {
      o = id(`organisation/${key}`);
      orgs.set(key, o);
      g.add(o, rdf('type'), cv('PublicOrganisation'))
        .add(o, skos('prefLabel'), g.text(name, 'et'))
        .add(o, dct('spatial'), spatial);
    }
    return o;
  };

  const stateServices = new Map<string, NamedNode>();
  const stateService = (sid: string, name: string, url: string) => {
    let s = stateServices.get(sid);
    if (!s) {
      s = id(`state-service/${slug(sid)}`);
      stateServices.set(sid, s);
      const ref = stateServiceById.get(sid);
      g.add(s, rdf('type'), cpsv('PublicService')).add(s, dct('identifier'), g.text(sid));
      texts(s, dct('title'), ref?.name ?? { et: name });
      g.add(
        s,
        dct('description'),
        g.text(`Riigi teenus: ${ref?.name.et ?? name}${ref ? ` (${ref.provider})` : ''}`, 'et'),
      );
      g.add(
        s,
        cv('hasCompetentAuthority'),
        organisation(`state/${slug(ref?.provider ?? 'riik')}`, ref?.provider ?? 'Eesti Vabariik', estonia),
      );
      g.add(s, g.ns.foaf('page'), g.iri(url));
    }
    return s;
  };

  for (const row of services) {
    const d = row.data;
    const s = id(`service/${municipality.code}/${row.identifier}`);
    g.add(s, rdf('type'), cpsv('PublicService')).add(s, dct('identifier'), g.text(row.identifier));
    texts(s, dct('title'), d.name);
    texts(s, dct('description'), d.description);
    g.add(
      s,
      cv('hasCompetentAuthority'),
      organisation(municipality.code, d.competentAuthority || municipality.name, place),
    );
    g.add(s, dct('spatial'), place);
    g.add(s, adms('status'), concept('status', row.status, STATUSES[row.status]));
    g.add(s, cv('thematicArea'), concept('field', d.field, FIELDS[d.field as keyof typeof FIELDS]));
    g.add(
      s,
      dct('type'),
      concept('service-type', d.serviceType, SERVICE_TYPES[d.serviceType as keyof typeof SERVICE_TYPES]),
    );
    for (const a of d.targetGroups)
      g.add(s, dct('audience'), concept('audience', a, TARGET_GROUPS[a as keyof typeof TARGET_GROUPS]));
    for (const l of languages) g.add(s, dct('language'), l);
    for (const k of d.keywords ?? []) g.add(s, dcat('keyword'), g.text(k, 'et'));

    d.channels.forEach((c) => {
      const ch = id(`service/${municipality.code}/${row.identifier}/channel/${c.type}`);
      g.add(ch, rdf('type'), cv('Channel')).add(ch, dct('identifier'), g.text(`${row.identifier}-${c.type}`));
      g.add(ch, dct('type'), concept('channel-type', c.type, CHANNEL_TYPES[c.type as keyof typeof CHANNEL_TYPES]));
      g.add(ch, dct('description'), g.text(`${c.address}${c.openingHours ? ` (${c.openingHours})` : ''}`, 'et'));
      if (c.processingTime) g.add(ch, cv('processingTime'), g.typed(c.processingTime, 'xsd:duration'));
      g.add(s, cv('hasChannel'), ch);
    });
    d.costs.forEach((c, i) => {
      const co = id(`service/${municipality.code}/${row.identifier}/cost/${i + 1}`);
      g.add(co, rdf('type'), cv('Cost')).add(co, dct('identifier'), g.text(`${row.identifier}-cost-${i + 1}`));
      g.add(co, cv('hasValue'), g.typed((c.valueCents / 100).toFixed(2), 'xsd:double'))
        .add(co, cv('currency'), euConcept(EU.eur))
        .add(co, dct('description'), g.text(c.description, 'et'));
      g.add(s, cv('hasCost'), co);
    });
    d.evidence.forEach((e, i) => {
      const ev = id(`service/${municipality.code}/${row.identifier}/evidence/${i + 1}`);
      g.add(ev, rdf('type'), cv('Evidence'))
        .add(ev, dct('identifier'), g.text(`${row.identifier}-evidence-${i + 1}`))
        .add(ev, dct('title'), g.text(e, 'et'));
      g.add(s, cpsv('hasInput'), ev);
    });
    d.outputs.forEach((o, i) => {
      const out = id(`service/${municipality.code}/${row.identifier}/output/${i + 1}`);
      g.add(out, rdf('type'), cv('Output'))
        .add(out, dct('identifier'), g.text(`${row.identifier}-output-${i + 1}`))
        .add(out, dct('title'), g.text(o.name, 'et'));
      g.add(out, dct('type'), concept('output-type', o.type, OUTPUT_TYPES[o.type as keyof typeof OUTPUT_TYPES]));
      g.add(s, cpsv('produces'), out);
    });
    d.requirements.forEach((r, i) => {
      const req = id(`service/${municipality.code}/${row.identifier}/requirement/${i + 1}`);
      g.add(req, rdf('type'), cv('Requirement'))
        .add(req, dct('identifier'), g.text(`${row.identifier}-requirement-${i + 1}`))
        .add(req, dct('title'), g.text(r, 'et'));
      g.add(s, cv('holdsRequirement'), req);
    });
    d.legalBasis.forEach((l, i) => {
      const lr = g.iri(l.url);
      g.add(lr, rdf('type'), eli('LegalResource'));
      const rule = id(`service/${municipality.code}/${row.identifier}/rule/${i + 1}`);
      g.add(rule, rdf('type'), cpsv('Rule')).add(rule, dct('identifier'), g.text(`${row.identifier}-rule-${i + 1}`));
      g.add(rule, dct('title'), g.text(`${l.law} ${l.section}`, 'et'))
        .add(rule, dct('description'), g.text(`Õiguslik alus: ${l.law} ${l.section}`, 'et'))
        .add(rule, cpsv('implements'), lr);
      g.add(s, cpsv('follows'), rule).add(s, cv('hasLegalResource'), lr);
    });
    for (const e of d.lifeEvents) {
      const ev = lifeEventByCode.get(e.code);
      if (!ev) continue;
      const node = id(`event/${ev.code}`);
      g.add(node, rdf('type'), cv('Event'))
        .add(node, rdf('type'), ev.kind === 'life' ? cv('LifeEvent') : cv('BusinessEvent'))
        .add(node, dct('identifier'), g.text(ev.code));
      texts(node, dct('title'), ev.name);
      g.add(s, cv('isGroupedBy'), node);
    }
    for (const st of d.stateServices) {
      const node = stateService(st.id, st.name, st.url);
      g.add(s, st.relation === 'depends-on' ? dct('requires') : cv('relatedService'), node);
    }
    const cp = id(`service/${municipality.code}/${row.identifier}/contact`);
    g.add(cp, rdf('type'), cv('ContactPoint'));
    if (d.owner.email) g.add(cp, cv('email'), g.iri(`mailto:${d.owner.email}`));
    if (d.owner.phone) g.add(cp, cv('telephone'), g.text(d.owner.phone));
    g.add(s, cv('contactPoint'), cp);
  }
  return g;
}

/** The public catalogue of a municipality (services in use) as CPSV-AP in the asked format. */
export async function exportCatalogue(ctx: AppContext, municipalityCode: string, format: RdfFormat) {
  const m = await requireMunicipality(ctx, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    listServiceRows(trx, municipalityCode, municipalityCode === '0000' ? {} : { statuses: PUBLIC_STATUSES }),
  );
  const g = cpsvGraph(
    ctx.config.publicUrl,
    { code: m.code, name: m.code === '0000' ? 'Eesti Linnade ja Valdade Liit' : m.name },
    rows,
  );
  return { body: await serialize(g.quads, format, g.prefixes), quads: g.quads };
}

/** Validates quads against the official CPSV-AP 3.2.0 shapes. */
export async function validateCpsv(quads: Quad[]) {
  return validateShacl(quads, loadShapes([CPSV_SHAPES]));
}
