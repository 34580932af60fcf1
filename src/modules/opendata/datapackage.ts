import type { DatasetSnapshot } from './snapshot';
import { licence } from './vocab';
import { dcatUrls } from './dcat';

/**
 * A Frictionless Data Package descriptor of a published dataset version, valid against both the
 * v2 and the v1 profile (`resources/standards/`): every distribution is a resource with its
 * download path, format, media type, size and SHA-256 hash; checked CSV files carry their dialect
 * and Table Schema (column names and types).
 */
export function dataPackage(s: DatasetSnapshot, publicUrl: string) {
  const urls = dcatUrls(publicUrl);
  const lic = licence(s.licenseId);
  const keywords = [...new Set([...s.keywords.et, ...s.keywords.en])];
  const used = new Set<string>();
  const resourceName = (x: DatasetSnapshot['distributions'][number]) => {
    const base =
      (x.filename ?? x.title.en)
        .toLowerCase()
        .replace(/\.[a-z0-9]+$/, '')
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'resource';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  };
  return {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: s.name,
    id: urls.dataset(s.name),
    title: s.title.et,
    description: s.description.et,
    version: String(s.version),
    created: s.issued,
    homepage: urls.landing(s.name),
    // Both profiles (v1 and v2) want at least one keyword, licence and source when the list is given at all.
    ...(keywords.length ? { keywords } : {}),
    ...(lic ? { licenses: [{ name: lic.id, path: lic.url, title: lic.title }] } : {}),
    contributors: [
      // `roles` is v2's, `role` v1's (still read by v1 tools, allowed by v2).
      {
        title: s.organization.title,
        roles: ['publisher'],
        role: 'publisher',
        ...(s.contact ? { email: s.contact.email } : {}),
      },
    ],
    ...(s.origin === 'auto' ? { sources: [{ title: 'KOV platform', path: publicUrl }] } : {}),
    resources: s.distributions.map((x) => {
      return {
        name: resourceName(x),
        title: x.title.et,
        path: x.kind === 'file' ? urls.download(s.name, s.version, x.id) : x.url,
        format: x.format.toLowerCase(),
        mediatype: x.mediaType,
        ...(x.byteSize !== null ? { bytes: x.byteSize } : {}),
        ...(x.sha256 ? { hash: `sha256:${x.sha256}` } : {}),
        ...(x.csv
          ? {
              type: 'table',
              encoding: 'utf-8',
              dialect: {
                $schema: 'https://datapackage.org/profiles/2.0/tabledialect.json',
                delimiter: x.csv.delimiter,
                header: true,
              },
              schema: {
                $schema: 'https://datapackage.org/profiles/2.0/tableschema.json',
                fields: x.csv.fields.map((f) => ({
                  name: f.name,
                  type: f.type,
                  ...(f.type === 'number' && x.csv!.decimalChar === ',' ? { decimalChar: ',' } : {}),
                  ...(f.title ? { title: f.title } : {}),
                  // What an automatically published column holds (groupSize, measure, …): the anonymisation contract's terms.
                  ...(f.kind ? { 'kov:kind': f.kind } : {}),
                })),
                missingValues: [''],
              },
            }
          : {}),
      };
    }),
  };
}
