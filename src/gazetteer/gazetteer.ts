/**
 * The gazetteer over the built GeoNames data plus the project's local places, and the place resolver.
 *
 * Resolution, in short:
 * 1. The mention is split into its name, bracketed qualifiers and the level its wording implies.
 * 2. Candidates come from ever looser keys (see core/placeName.ts): the folded name, the phonetic key, the
 *    phonetic key with or without a generic prefix ("Bandar-e"), and, only when those find nothing in the
 *    expected country, the consonant skeleton. Local places are looked up first and rank above GeoNames.
 * 3. Candidates are scored: key tier and string similarity, then the country given, population and level,
 *    the qualifier's province, and distance to the places of the context.
 * 4. The best candidate is the match unless it is only a loose guess or lies outside the country given:
 *    then the match is null and the candidates are the nearest names. When only the qualifier resolves, the
 *    mention becomes a flagged locality near it.
 */
import type { Place, PlaceMatch, Resolution, ResolveOptions } from "../core/place.js";
import { nameSimilarity, type PlaceNameKeys, placeNameKeys } from "../core/placeName.js";
import type { PlaceLevel, PlacePrecision } from "../core/vocabulary.js";
import { type GazetteerData, type KeyTier, lowerBound } from "./data.js";
import { distanceKm } from "./geo.js";
import { findKey } from "./hash.js";
import { LocalIndex, type LocalTier } from "./local.js";
import { type LevelHint, parseMention, type Qualifier } from "./mention.js";
import type { Gazetteer, LocalPlaces, NearestOptions, SearchOptions } from "./types.js";

const LEVEL_RANK: Record<PlaceLevel, number> = { country: 4, province: 3, county: 2, city: 1, locality: 0 };

/** Tiers of evidence, strongest first. */
enum Tier {
  Fold = 0,
  Phonetic = 1,
  Prefix = 2,
  Skeleton = 3,
  Fuzzy = 4,
}
const TIER_BASE = [1, 0.93, 0.88, 0.8, 0.55] as const;
/** A skeleton-only match must still look like the name written. */
const SKELETON_MIN_SIMILARITY = 0.75;
const SHORT_SKELETON_MIN_SIMILARITY = 0.85;
const FUZZY_MIN_SIMILARITY = 0.5;
const MAX_CANDIDATES = 5;
/** A qualifier naming a town covers places this close to it even across a provincial border. */
const QUALIFIER_RADIUS_KM = 75;

interface Candidate {
  place: Place;
  tier: Tier;
  /** Similarity of the written name's fold to the fold of the name that matched. */
  similarity: number;
  alternate: boolean;
  local: boolean;
  /** Seat rank (see data.ts); 0 for local places. */
  seat: number;
  score: number;
}

interface Scope {
  country: string | undefined;
  hint: LevelHint;
  qualifier: Place | null;
  contextPoints: readonly { lat: number; lon: number }[];
}

interface CoreResult {
  match: Candidate | null;
  candidates: Candidate[];
}

function precisionOf(level: PlaceLevel): PlacePrecision {
  return level === "province" || level === "country" ? "province" : "exact";
}

function round3(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}

function toMatch(place: Place, score: number, precision?: PlacePrecision, flagged?: boolean): PlaceMatch {
  const m: PlaceMatch = {
    id: place.id,
    name: place.name,
    level: place.level,
    province: place.province,
    country: place.country,
    lat: place.lat,
    lon: place.lon,
    population: place.population,
    precision: precision ?? precisionOf(place.level),
    score: round3(score),
  };
  if (flagged) m.flagged = true;
  return m;
}

/** The candidates of one lookup, one per place, keeping the strongest evidence for each. */
class CandidateSet {
  readonly list: Candidate[] = [];
  private readonly byId = new Map<string, Candidate>();
  /** How many candidates lie in the country asked for (all of them when none was). */
  inScope = 0;
  /** Whether places abroad were passed over. */
  skippedAbroad = false;

  /**
   * `countryIndex`: the data's index of the only country to take places from; -1 takes every country,
   * -2 none (a country the data lacks).
   */
  constructor(
    readonly fold: string,
    private readonly country: string | undefined,
    readonly countryIndex: number,
  ) {}

  /** Whether evidence of this tier would add or improve the place's candidate. */
  wants(id: string, tier: Tier, alternate: boolean): boolean {
    const prev = this.byId.get(id);
    return !prev || prev.tier > tier || (prev.tier === tier && prev.alternate && !alternate);
  }

  put(place: Place, tier: Tier, similarity: number, alternate: boolean, local: boolean, seat: number): void {
    const prev = this.byId.get(place.id);
    if (prev) {
      Object.assign(prev, { tier, similarity, alternate, local, seat });
      return;
    }
    const c: Candidate = { place, tier, similarity, alternate, local, seat, score: 0 };
    this.byId.set(place.id, c);
    this.list.push(c);
    if (!this.country || place.country === this.country) this.inScope++;
  }
}

export class GazetteerImpl implements Gazetteer {
  private readonly placeCache: (Place | undefined)[];
  private readonly foldCache = new Map<number, string>();
  private readonly contextCache = new Map<string, Place | null>();
  private idIndex: Map<string, number> | null = null;
  private byCountry: Map<string, number[]> | null = null;
  private readonly countryIndex: Map<string, number>;
  private readonly local: LocalIndex;

  constructor(
    private readonly data: GazetteerData,
    local?: LocalPlaces,
    placeCache?: (Place | undefined)[],
  ) {
    this.placeCache = placeCache ?? new Array<Place | undefined>(data.size);
    this.countryIndex = new Map(data.countryCodes.map((c, i) => [c, i]));
    this.local = new LocalIndex(local ?? { places: [], aliases: [] }, (id) => this.getGeoNames(id));
  }

  get size(): number {
    return this.data.size + this.local.size;
  }

  withLocal(local: LocalPlaces): Gazetteer {
    return new GazetteerImpl(this.data, local, this.placeCache);
  }

  get(id: string): Place | undefined {
    return this.local.get(id) ?? this.getGeoNames(id);
  }

  provinces(country: string): Place[] {
    const cc = country.toUpperCase();
    const out = this.indexesOf(cc)
      .map((i) => this.place(i))
      .filter((p) => p.level === "province");
    for (const p of this.local.places) if (p.level === "province" && p.country === cc) out.push(p);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  places(country: string): Place[] {
    const cc = country.toUpperCase();
    const out = this.indexesOf(cc).map((i) => this.place(i));
    for (const p of this.local.places) if (p.country === cc) out.push(p);
    return out;
  }

  nearest(lat: number, lon: number, options: NearestOptions = {}): Place | undefined {
    const levels = new Set<PlaceLevel>(options.levels ?? ["city", "locality"]);
    const at = { lat, lon };
    let best: Place | undefined;
    let bestKm = Number.POSITIVE_INFINITY;
    const consider = (p: Place) => {
      if (!levels.has(p.level)) return;
      const km = distanceKm(at, p);
      if (km < bestKm) {
        bestKm = km;
        best = p;
      }
    };
    const cc = options.country?.toUpperCase();
    if (cc) for (const i of this.indexesOf(cc)) consider(this.place(i));
    else for (let i = 0; i < this.data.size; i++) consider(this.place(i));
    for (const p of this.local.places) if (!cc || p.country === cc) consider(p);
    return best;
  }

  search(prefix: string, options: SearchOptions = {}): Place[] {
    const keys = placeNameKeys(prefix);
    const limit = Math.max(1, options.limit ?? 10);
    if (!keys.fold) return [];
    const cc = options.country?.toUpperCase();
    const found = new Map<string, { place: Place; exact: boolean }>();
    for (const p of this.local.places) {
      const names = [p.name, ...p.alternateNames].map((n) => placeNameKeys(n).fold);
      if ((!cc || p.country === cc) && names.some((n) => n.startsWith(keys.fold))) {
        found.set(p.id, { place: p, exact: names.includes(keys.fold) });
      }
    }
    // Phonetic keys read left to right, so a typed prefix's key prefixes the full name's key, whatever
    // the spelling (Ghaem… finds Qā’em Shahr).
    const section = this.data.keys.phonetic;
    const key = keys.phonetic;
    // Bounded scan: a one-letter prefix would otherwise walk a large part of the world.
    const scanLimit = 20_000;
    for (let i = lowerBound(section.keys, key), n = 0; i < section.keys.length && n < scanLimit; i++, n++) {
      if (!section.keys.startsWith(i, key)) break;
      const ref = section.refs[i] as number;
      const idx = Math.floor(ref / this.namesPerPlace);
      if (cc && this.data.countryCodes[this.data.country[idx] as number] !== cc) continue;
      const fold = this.foldOfRef(ref);
      const place = this.place(idx);
      const exact = fold === keys.fold;
      const prev = found.get(place.id);
      if (!prev || (!prev.exact && exact)) found.set(place.id, { place, exact });
    }
    return [...found.values()]
      .sort(
        (a, b) =>
          Number(b.exact) - Number(a.exact) ||
          (b.place.population ?? 0) - (a.place.population ?? 0) ||
          LEVEL_RANK[b.place.level] - LEVEL_RANK[a.place.level] ||
          a.place.name.localeCompare(b.place.name),
      )
      .slice(0, limit)
      .map((f) => f.place);
  }

  resolve(mention: string, options: ResolveOptions = {}): Resolution {
    const text = typeof mention === "string" ? mention : String(mention ?? "");
    const country = options.country ? options.country.toUpperCase() : undefined;
    const parsed = parseMention(text);
    if (!parsed.name) return { mention: text, match: null, candidates: [] };

    // "Shahrak-e Sanati (Abbas Abad) (Mazandaran)": the last qualifier is the broadest, and each one
    // before it is read within the one after.
    let qualifier: Place | null = null;
    let qualifierScore = 0;
    let qualifierSoft = false;
    for (let i = parsed.qualifiers.length - 1; i >= 0; i--) {
      const q = parsed.qualifiers[i] as Qualifier;
      const r = this.resolveCore(q.name, { country, hint: q.hint, qualifier, contextPoints: [] });
      if (r.match && (!qualifier || this.within(r.match.place, qualifier))) {
        qualifier = r.match.place;
        qualifierScore = r.match.score;
        qualifierSoft = q.soft === true;
      }
    }
    const contextPoints = this.contextPoints(text, options.context, country);
    const scope: Scope = { country, hint: parsed.hint, qualifier, contextPoints };
    let result = this.resolveCore(parsed.name, scope);
    if (parsed.written !== parsed.name) {
      // "Sadr City", "Peachtree City": a name that merely looks like noise around a name.
      const whole = this.resolveCore(parsed.written, { ...scope, hint: null });
      if (whole.match && whole.match.tier <= Tier.Phonetic) result = whole;
    }
    const preposition = /^(?:in|at|from)\s+(.+)$/iu.exec(parsed.name);
    if (!result.match && preposition?.[1]) {
      // "in Sanandaj": tried as written first, since a few names do begin with such a word.
      const retry = this.resolveCore(preposition[1], scope);
      if (retry.match) result = retry;
    }

    let match: PlaceMatch | null = result.match ? toMatch(result.match.place, result.match.score) : null;
    const outside =
      result.match !== null && qualifier !== null && !this.within(result.match.place, qualifier);
    if (qualifier && (!result.match || (outside && !qualifierSoft))) {
      // GeoNames lacks the place, or knows it only elsewhere: place it near its qualifier for review.
      match = this.nearLocality(parsed.name, qualifier, qualifierScore);
    }
    // With a country given, places elsewhere are listed only when the country has none.
    const inCountry = result.candidates.filter((c) => !country || c.place.country === country);
    const candidates = (inCountry.length > 0 ? inCountry : result.candidates)
      .slice(0, MAX_CANDIDATES + 1)
      .map((c) => toMatch(c.place, c.score));
    if (match) {
      const id = match.id;
      const rest = candidates.filter((c) => c.id !== id);
      return { mention: text, match, candidates: [match, ...rest].slice(0, MAX_CANDIDATES) };
    }
    return { mention: text, match: null, candidates: candidates.slice(0, MAX_CANDIDATES) };
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private nearLocality(name: string, qualifier: Place, qualifierScore: number): PlaceMatch {
    const fold = placeNameKeys(name).fold;
    const place: Place = {
      id: `near:${qualifier.id}:${fold}`,
      name,
      alternateNames: [],
      level: "locality",
      country: qualifier.country,
      province: qualifier.level === "country" ? null : qualifier.province,
      provinceId: qualifier.level === "province" ? qualifier.id : qualifier.provinceId,
      lat: qualifier.lat,
      lon: qualifier.lon,
      population: null,
    };
    return toMatch(place, 0.7 * qualifierScore, "near", true);
  }

  /** Whether a place lies in the area its qualifier names. */
  private within(place: Place, qualifier: Place): boolean {
    if (qualifier.level === "country") return place.country === qualifier.country;
    if (place.country !== qualifier.country) return false;
    const qualifierProvince = qualifier.level === "province" ? qualifier.id : qualifier.provinceId;
    if (qualifierProvince && (place.provinceId === qualifierProvince || place.id === qualifierProvince)) {
      return true;
    }
    return qualifier.level !== "province" && distanceKm(place, qualifier) <= QUALIFIER_RADIUS_KM;
  }

  private contextPoints(
    self: string,
    context: readonly string[] | undefined,
    country: string | undefined,
  ): { lat: number; lon: number }[] {
    if (!context || context.length === 0) return [];
    const points: { lat: number; lon: number }[] = [];
    for (const other of context) {
      if (typeof other !== "string" || other === self) continue;
      const point = this.contextPoint(other, country);
      if (point) points.push(point);
    }
    return points;
  }

  /**
   * Where one context mention lies, if it resolves confidently to a point-like place. Memoised: a list of
   * n mentions resolved in each other's context asks for each of them n − 1 times.
   */
  private contextPoint(mention: string, country: string | undefined): Place | null {
    const key = `${country ?? ""}\u0000${mention}`;
    const cached = this.contextCache.get(key);
    if (cached !== undefined) return cached;
    const parsed = parseMention(mention);
    let point: Place | null = null;
    if (parsed.name) {
      const r = this.resolveCore(parsed.name, {
        country,
        hint: parsed.hint,
        qualifier: null,
        contextPoints: [],
      });
      if (r.match && r.match.tier <= Tier.Prefix && r.match.place.level !== "country") point = r.match.place;
    }
    if (this.contextCache.size >= 10_000) this.contextCache.clear();
    this.contextCache.set(key, point);
    return point;
  }

  private resolveCore(name: string, scope: Scope): CoreResult {
    const keys = placeNameKeys(name);
    if (!keys.fold) return { match: null, candidates: [] };
    const found = this.collect(keys, scope.country);
    for (const c of found) c.score = this.score(c, scope, found);
    found.sort(
      (a, b) =>
        b.score - a.score ||
        (b.place.population ?? 0) - (a.place.population ?? 0) ||
        LEVEL_RANK[b.place.level] - LEVEL_RANK[a.place.level] ||
        (a.place.id < b.place.id ? -1 : 1),
    );
    const best = found[0];
    if (!best) return { match: null, candidates: [] };
    // Short skeletons collide easily (Paris and Pars are both "prs"): they need a closer spelling.
    const skeletonFloor = keys.skeleton.length <= 3 ? SHORT_SKELETON_MIN_SIMILARITY : SKELETON_MIN_SIMILARITY;
    const confident =
      best.tier <= Tier.Prefix || (best.tier === Tier.Skeleton && best.similarity >= skeletonFloor);
    const inCountry = !scope.country || best.place.country === scope.country;
    return { match: confident && inCountry ? best : null, candidates: found };
  }

  private collect(keys: PlaceNameKeys, country: string | undefined): Candidate[] {
    const inCountry = this.collectTiers(keys, country, true);
    // Places abroad are looked at only when the country given has none under these keys.
    return inCountry.inScope > 0 || !inCountry.skippedAbroad
      ? this.finish(inCountry)
      : this.finish(this.collectTiers(keys, country, false));
  }

  private collectTiers(
    keys: PlaceNameKeys,
    country: string | undefined,
    onlyInCountry: boolean,
  ): CandidateSet {
    const countryIndex = onlyInCountry && country ? (this.countryIndex.get(country) ?? -2) : -1;
    const set = new CandidateSet(keys.fold, country, countryIndex);
    this.addLocal(set, "fold", keys.fold, Tier.Fold);
    this.addLocal(set, "phonetic", keys.phonetic, Tier.Phonetic);
    this.addTier(set, "phonetic", keys.phonetic, Tier.Phonetic);
    if (keys.stripped) {
      this.addLocal(set, "phonetic", keys.stripped, Tier.Prefix);
      this.addTier(set, "phonetic", keys.stripped, Tier.Prefix);
    }
    this.addLocal(set, "stripped", keys.phonetic, Tier.Prefix);
    this.addTier(set, "stripped", keys.phonetic, Tier.Prefix);
    if (set.inScope === 0 && keys.skeleton.length >= 3) {
      this.addLocal(set, "skeleton", keys.skeleton, Tier.Skeleton);
      this.addTier(set, "skeleton", keys.skeleton, Tier.Skeleton);
    }
    if (set.inScope === 0) this.collectFuzzy(set, keys);
    return set;
  }

  private finish(set: CandidateSet): Candidate[] {
    const out = set.list;
    // Fuzzy neighbours are only suggestions: keep the closest few.
    if (out.length > 0 && out.every((c) => c.tier === Tier.Fuzzy)) {
      return out
        .filter((c) => c.similarity >= FUZZY_MIN_SIMILARITY)
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, 3 * MAX_CANDIDATES);
    }
    return out;
  }

  /** Adds the places under one key; on the phonetic tier, names whose fold is the mention's are exact. */
  private addTier(set: CandidateSet, tierName: KeyTier, key: string, tier: Tier, limit = 500): void {
    const section = this.data.keys[tierName];
    const first = findKey(section.table, section.keys, key);
    if (first < 0) return;
    const per = this.namesPerPlace;
    for (
      let i = first, n = 0;
      i < section.keys.length && n < limit && section.keys.equals(i, key);
      i++, n++
    ) {
      const ref = section.refs[i] as number;
      const idx = Math.floor(ref / per);
      if (set.countryIndex !== -1 && this.data.country[idx] !== set.countryIndex) {
        set.skippedAbroad = true;
        continue;
      }
      const place = this.place(idx);
      const fold = this.foldOfRef(ref);
      const t = tier === Tier.Phonetic && fold === set.fold ? Tier.Fold : tier;
      if (!set.wants(place.id, t, ref % per > 0)) continue;
      const similarity = t === Tier.Fold ? 1 : nameSimilarity(set.fold, fold);
      set.put(place, t, similarity, ref % per > 0, false, this.data.seat[idx] as number);
    }
  }

  private addRefs(set: CandidateSet, refs: readonly number[], tier: Tier): void {
    const per = this.namesPerPlace;
    for (const ref of refs) {
      const idx = Math.floor(ref / per);
      if (set.countryIndex !== -1 && this.data.country[idx] !== set.countryIndex) {
        set.skippedAbroad = true;
        continue;
      }
      const place = this.place(idx);
      if (!set.wants(place.id, tier, ref % per > 0)) continue;
      const similarity = nameSimilarity(set.fold, this.foldOfRef(ref));
      set.put(place, tier, similarity, ref % per > 0, false, this.data.seat[idx] as number);
    }
  }

  private addLocal(set: CandidateSet, tierName: LocalTier, key: string, tier: Tier): void {
    if (this.local.size === 0 && tierName !== "fold") return;
    for (const h of this.local.lookup(tierName, key)) {
      if (!set.wants(h.place.id, tier, h.alternate)) continue;
      const similarity = tier === Tier.Fold ? 1 : nameSimilarity(set.fold, placeNameKeys(h.name).fold);
      set.put(h.place, tier, similarity, h.alternate, true, 0);
    }
  }

  /** Nearest names for an unknown one: skeletons one letter shorter, and phonetic keys sharing a prefix. */
  private collectFuzzy(set: CandidateSet, keys: PlaceNameKeys): void {
    const sk = keys.skeleton;
    if (sk.length >= 4) {
      let previous = "";
      for (let i = 0; i < sk.length; i++) {
        const shorter = sk.slice(0, i) + sk.slice(i + 1);
        if (shorter === previous) continue;
        previous = shorter;
        this.addTier(set, "skeleton", shorter, Tier.Fuzzy, 20);
      }
    }
    // Enough neighbours already: the prefix scan below is the costlier search.
    if (set.inScope >= MAX_CANDIDATES) return;
    const ph = keys.phonetic;
    if (ph.length >= 4) {
      const prefix = ph.slice(0, Math.max(3, ph.length - 3));
      const section = this.data.keys.phonetic;
      const refs: number[] = [];
      for (let i = lowerBound(section.keys, prefix); i < section.keys.length && refs.length < 30; i++) {
        if (!section.keys.startsWith(i, prefix)) break;
        refs.push(section.refs[i] as number);
      }
      this.addRefs(set, refs, Tier.Fuzzy);
    }
  }

  private score(c: Candidate, scope: Scope, all: readonly Candidate[]): number {
    const p = c.place;
    let s: number = TIER_BASE[c.tier];
    if (c.tier !== Tier.Fold) s *= 0.85 + 0.15 * c.similarity;
    // A place whose own name is the one written beats one that only lists it among its other names.
    if (c.alternate) s -= 0.05;
    // Local places are checked before GeoNames: at equal evidence they outrank any population or seat.
    if (c.local) s += 0.07;
    if (scope.country && p.country !== scope.country) s *= 0.6;
    s += 0.04 * Math.min(1, Math.log10(1 + (p.population ?? 0)) / 7);
    s += 0.002 * LEVEL_RANK[p.level] + 0.003 * c.seat;

    if (scope.hint === "province") s += p.level === "province" ? 0.08 : p.level === "county" ? -0.02 : -0.08;
    else if (scope.hint === "county") s += p.level === "county" ? 0.06 : p.level === "province" ? -0.06 : 0;
    else if (scope.hint === "city") s += p.level === "city" || p.level === "locality" ? 0.03 : -0.06;
    else if (p.level === "province") {
      // A province name stands for the province, unless it is also the name of a town in that province
      // (Tehran, Hamadan): writers listing places mean the town then.
      const namesakeTown = all.some(
        (o) => o !== c && o.tier <= Tier.Prefix && o.place.provinceId === p.id && o.place.level === "city",
      );
      s += namesakeTown ? -0.12 : 0.08;
    } else if (p.level === "county") {
      // A county is named after its seat: the bare name means the town.
      const seat = all.some(
        (o) => o !== c && o.tier <= c.tier && o.place.provinceId === p.provinceId && o.place.level === "city",
      );
      if (seat) s -= 0.01;
    }

    const q = scope.qualifier;
    if (q) {
      if (this.within(p, q)) {
        s += 0.05;
        if (q.level !== "province" && q.level !== "country") s += 0.03 * Math.exp(-distanceKm(p, q) / 50);
      } else s *= 0.7;
    }
    if (scope.contextPoints.length > 0 && p.level !== "country") {
      let nearest = Number.POSITIVE_INFINITY;
      for (const pt of scope.contextPoints) nearest = Math.min(nearest, distanceKm(p, pt));
      s += 0.08 * Math.exp(-nearest / 150);
    }
    // Unclamped: bonuses above 1 still order candidates; matches are clamped to 0..1 on output.
    return s;
  }

  /** Place indexes by country, built on first use. */
  private indexesOf(country: string): number[] {
    if (!this.byCountry) {
      const byCountry = new Map<string, number[]>();
      for (let i = 0; i < this.data.size; i++) {
        const cc = this.data.countryCodes[this.data.country[i] as number] as string;
        const list = byCountry.get(cc);
        if (list) list.push(i);
        else byCountry.set(cc, [i]);
      }
      this.byCountry = byCountry;
    }
    return this.byCountry.get(country) ?? [];
  }

  private get namesPerPlace(): number {
    return this.data.header.namesPerPlace;
  }

  private placeOf(ref: number): number {
    return Math.floor(ref / this.namesPerPlace);
  }

  private foldOfRef(ref: number): string {
    let f = this.foldCache.get(ref);
    if (f === undefined) {
      const idx = this.placeOf(ref);
      const n = ref % this.namesPerPlace;
      const name = n === 0 ? this.data.names.get(idx) : this.data.alternates.get(idx).split("|")[n - 1];
      f = placeNameKeys(name ?? "").fold;
      if (this.foldCache.size > 200_000) this.foldCache.clear();
      this.foldCache.set(ref, f);
    }
    return f;
  }

  private getGeoNames(id: string): Place | undefined {
    if (!this.idIndex) {
      this.idIndex = new Map();
      for (let i = 0; i < this.data.size; i++) this.idIndex.set(this.data.ids.get(i), i);
    }
    const idx = this.idIndex.get(id);
    return idx === undefined ? undefined : this.place(idx);
  }

  private place(idx: number): Place {
    let p = this.placeCache[idx];
    if (p) return p;
    const d = this.data;
    const level = d.header.levels[d.level[idx] as number] as PlaceLevel;
    const provIdx = d.province[idx] as number;
    const alternates = d.alternates.get(idx);
    const population = d.population[idx] as number;
    p = {
      id: d.ids.get(idx),
      name: d.names.get(idx),
      alternateNames: alternates ? alternates.split("|") : [],
      level,
      country: d.countryCodes[d.country[idx] as number] as string,
      province: level === "country" || provIdx < 0 ? null : d.names.get(provIdx),
      provinceId: level === "country" || level === "province" || provIdx < 0 ? null : d.ids.get(provIdx),
      lat: d.lat[idx] as number,
      lon: d.lon[idx] as number,
      population: population > 0 ? population : null,
    };
    this.placeCache[idx] = p;
    return p;
  }
}
