import type { DatasetSnapshot } from './snapshot';
import type { Organization } from './search';
import { FREQUENCIES, THEMES, licence, stableUuid } from './vocab';
import { dcatUrls } from './dcat';
import { tagsOf } from './publishing';

/**
 * CKAN's data dictionaries (API v3, as documented for package_show, organization_show,
 * group_list, license_list) made from published snapshots, so harvesters and portals read the
 * catalogue as they read CKAN. Multilingual titles follow ckanext-fluent (`title_translated`,
 * `notes_translated`); DCAT fields follow ckanext-dcat's extras.
 */

export function organizationDict(
  o: Pick<Organization, 'code' | 'name' | 'title'> & { packageCount?: number },
  publicUrl: string,
) {
  return {
    id: stableUuid(`org:${o.code}`),
    name: o.name,
    title: o.title,
    display_name: o.title,
    description: o.code === '0000' ? 'Eesti Linnade ja Valdade Liit' : `${o.title} (EHAK ${o.code})`,
    image_url: '',
    image_display_url: '',
    created: '2025-01-01T00:00:00',
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    type: 'organization',
    ...(o.packageCount !== undefined ? { package_count: o.packageCount } : {}),
    extras: [
      { key: 'ehak_code', value: o.code },
      { key: 'catalogue', value: dcatUrls(publicUrl).catalogue(o.code) },
    ],
  };
}

export function groupDict(code: string, count?: number) {
  const t = THEMES[code as keyof typeof THEMES];
  return {
    id: stableUuid(`group:${code}`),
    name: code.toLowerCase(),
    title: t?.et ?? code,
    display_name: t?.et ?? code,
    description: t?.en ?? '',
    image_display_url: '',
    is_organization: false,
    type: 'group',
    state: 'active',
    approval_status: 'approved',
    ...(count !== undefined ? { package_count: count } : {}),
  };
}

export function licenseDict(id: string) {
  const l = licence(id);
  return {
    id,
    title: l?.title ?? id,
    url: l?.url ?? '',
    od_conformance: 'approved',
    osd_conformance: 'not reviewed',
    status: 'active',
    is_okd_compliant: true,
    is_osi_compliant: false,
    family: '',
    maintainer: '',
    domain_content: true,
    domain_data: true,
    domain_software: false,
  };
}

const isoNoZone = (iso: string) => iso.replace(/Z$/, '').replace(/\+00:00$/, '');

/** A resource (distribution) as CKAN's resource_show and package_show give it. */
export function resourceDict(
  s: DatasetSnapshot,
  x: DatasetSnapshot['distributions'][number],
  position: number,
  publicUrl: string,
) {
  const urls = dcatUrls(publicUrl);
  return {
    id: x.id,
    package_id: s.id,
    name: x.title.et,
    name_translated: x.title,
    description: '',
    url: x.kind === 'file' ? urls.download(s.name, s.version, x.id) : x.url,
    format: x.format,
    mimetype: x.mediaType,
    size: x.byteSize,
    hash: x.sha256 ? `sha256:${x.sha256}` : '',
    created: isoNoZone(s.issued),
    last_modified: isoNoZone(s.modified),
    metadata_modified: isoNoZone(s.modified),
    position,
    state: 'active',
    url_type: x.kind === 'file' ? 'upload' : null,
    resource_type: x.kind === 'file' ? 'file.upload' : 'api',
    datastore_active: false,
    cache_url: null,
    mimetype_inner: null,
  };
}

/**
 * A dataset as CKAN's package_show gives it. A private one (an unpublished draft shown to a caller
 * with rights) has `private: true`, and its files, not yet published, have no public download
 * address: their `url` is the dataset's page in the officials' editor.
 */
export function packageDict(s: DatasetSnapshot, publicUrl: string, opts: { private?: boolean } = {}) {
  const urls = dcatUrls(publicUrl);
  const lic = licence(s.licenseId);
  const org = organizationDict(
    { code: s.municipalityCode, name: s.organization.name, title: s.organization.title },
    publicUrl,
  );
  const tags = tagsOf(s);
  const extras: { key: string; value: string }[] = [
    { key: 'identifier', value: s.id },
    { key: 'uri', value: urls.dataset(s.name) },
    { key: 'issued', value: s.issued },
    { key: 'modified', value: s.modified },
    { key: 'frequency', value: `http://publications.europa.eu/resource/authority/frequency/${s.frequency}` },
    { key: 'frequency_label', value: FREQUENCIES[s.frequency as keyof typeof FREQUENCIES]?.et ?? s.frequency },
    { key: 'access_rights', value: `http://publications.europa.eu/resource/authority/access-right/${s.accessRights}` },
    { key: 'language', value: '["et", "en"]' },
    {
      key: 'theme',
      value: JSON.stringify(s.themes.map((t) => `http://publications.europa.eu/resource/authority/data-theme/${t}`)),
    },
    { key: 'spatial_uri', value: JSON.stringify(s.spatial.map((p) => urls.place(p.code))) },
    { key: 'ehak', value: s.spatial.map((p) => p.code).join(',') },
  ];
  if (s.temporal?.start) extras.push({ key: 'temporal_start', value: s.temporal.start });
  if (s.temporal?.end) extras.push({ key: 'temporal_end', value: s.temporal.end });
  if (s.contact) extras.push({ key: 'contact_email', value: s.contact.email });
  if (s.qualityNote) extras.push({ key: 'quality_note', value: s.qualityNote });
  if (s.anonymisation) extras.push({ key: 'anonymisation', value: s.anonymisation.et });
  if (s.changeNote) extras.push({ key: 'version_notes', value: s.changeNote });
  if (s.infoSystem) extras.push({ key: 'information_system', value: s.infoSystem.shortName });
  extras.push({ key: 'origin', value: s.origin });
  return {
    id: s.id,
    name: s.name,
    title: s.title.et,
    title_translated: s.title,
    notes: s.description.et,
    notes_translated: s.description,
    author: s.organization.title,
    author_email: s.contact?.email ?? null,
    maintainer: s.contact?.name ?? s.organization.title,
    maintainer_email: s.contact?.email ?? null,
    license_id: s.licenseId,
    license_title: lic?.title ?? s.licenseId,
    license_url: lic?.url ?? '',
    isopen: Boolean(lic?.open),
    metadata_created: isoNoZone(s.issued),
    metadata_modified: isoNoZone(s.modified),
    state: 'active',
    private: Boolean(opts.private),
    type: 'dataset',
    url: urls.landing(s.name),
    version: String(s.version),
    creator_user_id: null,
    owner_org: org.id,
    organization: org,
    num_resources: s.distributions.length,
    num_tags: tags.length,
    tags: tags.map((t) => ({
      id: stableUuid(`tag:${t}`),
      name: t,
      display_name: t,
      state: 'active',
      vocabulary_id: null,
    })),
    groups: s.themes.map((t) => {
      const g = groupDict(t);
      return {
        id: g.id,
        name: g.name,
        title: g.title,
        display_name: g.display_name,
        description: g.description,
        image_display_url: '',
      };
    }),
    resources: s.distributions.map((x, i) => {
      const r = resourceDict(s, x, i, publicUrl);
      return opts.private && x.kind === 'file'
        ? { ...r, url: `${publicUrl}/avaandmed-haldus/${s.municipalityCode}/${s.id}` }
        : r;
    }),
    extras,
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}
