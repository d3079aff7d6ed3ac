/**
 * An in-memory index of the project's own places and aliases (LocalPlaces), keyed like the GeoNames data.
 * It is small (reviewers add places by hand), so plain maps built on construction are fine.
 */
import type { Place } from "../core/place.js";
import { placeNameKeys } from "../core/placeName.js";
import type { LocalPlaces } from "./types.js";

export interface LocalHit {
  place: Place;
  /** The name or alias that carried the key. */
  name: string;
  alternate: boolean;
}

export type LocalTier = "fold" | "phonetic" | "skeleton" | "stripped";
const TIERS: readonly LocalTier[] = ["fold", "phonetic", "skeleton", "stripped"];

export class LocalIndex {
  readonly places: readonly Place[];
  private readonly byId = new Map<string, Place>();
  private readonly maps: Record<LocalTier, Map<string, LocalHit[]>> = {
    fold: new Map(),
    phonetic: new Map(),
    skeleton: new Map(),
    stripped: new Map(),
  };

  /** `known` finds the GeoNames place an alias points to. */
  constructor(local: LocalPlaces, known: (id: string) => Place | undefined) {
    this.places = local.places;
    for (const [i, p] of local.places.entries()) {
      if (!p.id) throw new Error(`local place ${i + 1} (${p.name}): id is empty`);
      if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) {
        throw new Error(`local place ${p.id} (${p.name}): lat/lon must be numbers`);
      }
      this.byId.set(p.id, p);
    }
    for (const p of local.places) {
      this.add(p, p.name, false);
      for (const a of p.alternateNames) this.add(p, a, true);
    }
    for (const { alias, placeId } of local.aliases) {
      const target = this.byId.get(placeId) ?? known(placeId);
      if (!target) throw new Error(`local alias "${alias}": no place with id ${placeId}`);
      this.add(target, alias, true);
    }
  }

  get(id: string): Place | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.places.length;
  }

  lookup(tier: LocalTier, key: string): readonly LocalHit[] {
    return this.maps[tier].get(key) ?? [];
  }

  private add(place: Place, name: string, alternate: boolean): void {
    const keys = placeNameKeys(name);
    for (const tier of TIERS) {
      const k = keys[tier];
      if (!k) continue;
      const list = this.maps[tier].get(k);
      const hit = { place, name, alternate };
      if (!list) this.maps[tier].set(k, [hit]);
      else if (!list.some((h) => h.place.id === place.id)) list.push(hit);
    }
  }
}
