import type { Db } from '../../platform/db/database';

export interface Place {
  code: string;
  name: string;
  level: 'county' | 'municipality' | 'settlement';
  kind: string;
  parentCode: string | null;
  municipalityCode: string | null;
}

/**
 * EHAK places change only with a new classification version, so the store reads them once and
 * answers from memory.
 */
export class PlaceStore {
  private places: Map<string, Place> | undefined;
  private loading: Promise<Map<string, Place>> | undefined;

  constructor(private readonly db: Db) {}

  async all(): Promise<Map<string, Place>> {
    if (this.places) return this.places;
    this.loading ??= this.db
      .selectFrom('place')
      .selectAll()
      .orderBy('code')
      .execute()
      .then((rows) => {
        const map = new Map<string, Place>();
        for (const r of rows)
          map.set(r.code, {
            code: r.code,
            name: r.name,
            level: r.level,
            kind: r.kind,
            parentCode: r.parent_code,
            municipalityCode: r.municipality_code,
          });
        this.places = map;
        return map;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  async get(code: string): Promise<Place | undefined> {
    return (await this.all()).get(code);
  }

  async byLevel(level: Place['level']): Promise<Place[]> {
    return [...(await this.all()).values()].filter((p) => p.level === level);
  }

  async children(code: string): Promise<Place[]> {
    return [...(await this.all()).values()].filter((p) => p.parentCode === code);
  }

  /** Settlement units of a municipality (all levels below it). */
  async settlementsOf(municipalityCode: string): Promise<Place[]> {
    return [...(await this.all()).values()].filter(
      (p) => p.level === 'settlement' && p.municipalityCode === municipalityCode,
    );
  }
}

const stores = new WeakMap<Db, PlaceStore>();
export function placeStore(db: Db): PlaceStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new PlaceStore(db)));
  return s;
}
