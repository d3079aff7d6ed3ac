/**
 * SYNTHETIC named-victim lists for tests and benchmarks. Nothing here describes real people.
 *
 * A true population is drawn (names, sex, age, date and place of death); then each list records a
 * person with a probability that depends on a hidden "visibility" class (heterogeneity) and, for
 * some lists, on whether an earlier list recorded them (list dependence). Each list renders names
 * its own way: its favourite romanisation, sometimes another, given and family names swapped,
 * compound family names split, typos, Persian script only, missing or approximate ages and dates.
 */
import { Rng } from "../../src/core/estimation/rng.js";
import type { VictimRecord } from "../../src/core/linkage/types.js";
import {
  CITIES,
  FAMILY_PREFIXES,
  FAMILY_ROOTS,
  FAMILY_SUFFIXES,
  FEMALE_GIVEN,
  MALE_GIVEN,
  MORE_FAMILY_ROOTS,
  MORE_FAMILY_SUFFIXES,
  type Spelled,
} from "./persian-names.js";

export interface Person {
  id: number;
  sex: "m" | "f";
  given: Spelled;
  root: Spelled;
  suffix: (typeof FAMILY_SUFFIXES)[number];
  /** First element of a compound family name, if any. */
  prefix: Spelled | null;
  age: number;
  /** Days since 1970-01-01. */
  day: number;
  city: Spelled;
  /** Hidden visibility class: 0 = visible (easier to record), 1 = hidden. */
  visibility: 0 | 1;
}

export interface ListSpec {
  name: string;
  /** Capture probability for the visible and the hidden class. */
  p: [number, number];
  /** Multiplies the capture probability when the person is on `dependsOn` (list dependence). */
  dependsOn?: { list: string; factor: number };
  /** Share of records with the name only in Persian script, and with both scripts. */
  persianOnly: number;
  bothScripts: number;
  swapRate: number;
  typoRate: number;
  missingAge: number;
  missingDate: number;
  /** Share of records whose date is off by 1–2 days. */
  dateJitter: number;
  /** Share of recorded people entered twice in this list. */
  duplicateRate: number;
}

export interface SyntheticOptions {
  seed: number;
  population: number;
  /** Share of the population in the visible class. */
  visibleShare: number;
  lists: ListSpec[];
  /**
   * "high" (default): about 150 family-name roots, 10 suffixes, and a compound first element for
   * 40 % of families, so that full names are shared about as rarely as in a real population.
   * "low": the 54 common roots and 6 suffixes only, no compounds: most people share their full name
   * with someone else (a deliberately hard case for linkage).
   */
  nameDiversity?: "high" | "low";
}

export interface SyntheticLists {
  people: Person[];
  records: VictimRecord[];
  /** Person id of each record, keyed by `${list}\u0000${listId}`. */
  truth: Map<string, number>;
}

const BASE_DAY = Date.UTC(2019, 10, 15) / 86_400_000;

function weighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  let total = 0;
  for (const it of items) total += it.weight;
  let x = rng.next() * total;
  for (const it of items) {
    x -= it.weight;
    if (x < 0) return it;
  }
  return items[items.length - 1] as T;
}

export function defaultLists(k: 3 | 4 | 5 = 3): ListSpec[] {
  const base = {
    persianOnly: 0,
    bothScripts: 0.1,
    swapRate: 0.05,
    typoRate: 0.06,
    missingAge: 0.15,
    missingDate: 0.05,
    dateJitter: 0.12,
    duplicateRate: 0.01,
  };
  const all: ListSpec[] = [
    { ...base, name: "network", p: [0.75, 0.35] },
    { ...base, name: "ngo", p: [0.62, 0.3], dependsOn: { list: "network", factor: 1.25 }, swapRate: 0.3 },
    { ...base, name: "persian", p: [0.65, 0.35], persianOnly: 0.35, bothScripts: 0.4, missingAge: 0.35 },
    { ...base, name: "media", p: [0.3, 0.08], typoRate: 0.1, missingAge: 0.5, missingDate: 0.2 },
    { ...base, name: "court", p: [0.2, 0.15], dependsOn: { list: "media", factor: 1.5 } },
  ];
  return all.slice(0, k);
}

export function generatePopulation(
  rng: Rng,
  n: number,
  visibleShare: number,
  diversity: "high" | "low" = "high",
): Person[] {
  const roots = diversity === "high" ? [...FAMILY_ROOTS, ...MORE_FAMILY_ROOTS] : FAMILY_ROOTS;
  const suffixes = diversity === "high" ? [...FAMILY_SUFFIXES, ...MORE_FAMILY_SUFFIXES] : FAMILY_SUFFIXES;
  const people: Person[] = [];
  for (let id = 0; id < n; id++) {
    const sex = rng.bernoulli(0.85) ? "m" : "f";
    // Most deaths in the first week, the rest over six more weeks.
    const day = BASE_DAY + (rng.bernoulli(0.6) ? rng.int(7) : 7 + rng.int(42));
    const age = Math.max(8, Math.min(80, Math.round(27 + 10 * rng.normal())));
    people.push({
      id,
      sex,
      given: weighted(rng, sex === "m" ? MALE_GIVEN : FEMALE_GIVEN),
      root: weighted(rng, roots),
      suffix: weighted(rng, suffixes),
      prefix: diversity === "high" && rng.bernoulli(0.4) ? weighted(rng, FAMILY_PREFIXES) : null,
      age,
      day,
      city: weighted(rng, CITIES),
      visibility: rng.bernoulli(visibleShare) ? 0 : 1,
    });
  }
  return people;
}

/** Chooses the list's favourite spelling most of the time, another one otherwise. */
function spell(rng: Rng, options: string[], habit: number): string {
  if (options.length === 1 || rng.bernoulli(0.7)) return options[habit % options.length] as string;
  return rng.pick(options);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One typing error in a word of at least four letters, never in the first letter. */
function typo(rng: Rng, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + rng.int(word.length - 1);
  switch (rng.int(4)) {
    case 0:
      return word.slice(0, i) + rng.pick([...LETTERS]) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + rng.pick([...LETTERS]) + word.slice(i);
    default:
      return i < word.length - 1 ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word;
  }
}

function latinName(rng: Rng, p: Person, spec: ListSpec, habit: number): string {
  const given = spell(rng, p.given.latin, habit);
  const root = spell(rng, p.root.latin, habit);
  const suffix = spell(rng, p.suffix.latin, habit);
  const split = p.suffix.split && rng.bernoulli(0.2);
  let family = split ? `${root} ${suffix[0]?.toUpperCase()}${suffix.slice(1)}` : root + suffix;
  if (p.prefix) {
    const first = spell(rng, p.prefix.latin, habit);
    family = rng.bernoulli(0.5) ? `${first} ${family}` : `${first}${family.toLowerCase()}`;
  }
  const words = rng.bernoulli(spec.swapRate) ? [family, given] : [given, family];
  let name = words.join(" ");
  if (rng.bernoulli(spec.typoRate)) {
    const parts = name.split(" ");
    const j = rng.int(parts.length);
    parts[j] = typo(rng, parts[j] as string);
    name = parts.join(" ");
  }
  return name;
}

function persianName(rng: Rng, p: Person): string {
  const suffix = p.suffix.fa;
  const joiner = p.suffix.split ? (rng.bernoulli(0.3) ? " " : "\u200c") : "";
  const prefix = p.prefix ? p.prefix.fa + (rng.bernoulli(0.5) ? " " : "\u200c") : "";
  return `${p.given.fa} ${prefix}${p.root.fa}${suffix ? joiner + suffix : ""}`;
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function render(rng: Rng, p: Person, spec: ListSpec, habit: number, listId: string): VictimRecord {
  const u = rng.next();
  const persianOnly = u < spec.persianOnly;
  const both = !persianOnly && u < spec.persianOnly + spec.bothScripts;
  const fa = persianOnly || both ? persianName(rng, p) : null;
  const name = persianOnly ? (fa as string) : latinName(rng, p, spec, habit);
  let age: number | null = p.age;
  if (rng.bernoulli(spec.missingAge)) age = null;
  else if (rng.bernoulli(0.2)) age = p.age + (rng.bernoulli(0.5) ? 1 : -1) * (1 + rng.int(2));
  let date: string | null = isoDay(p.day);
  if (rng.bernoulli(spec.missingDate)) date = null;
  else if (rng.bernoulli(spec.dateJitter))
    date = isoDay(p.day + (rng.bernoulli(0.5) ? 1 : -1) * (1 + rng.int(2)));
  else if (rng.bernoulli(0.03)) date = isoDay(p.day).slice(0, 7);
  const place = rng.bernoulli(0.05)
    ? null
    : persianOnly && rng.bernoulli(0.7)
      ? p.city.fa
      : spell(rng, p.city.latin, habit);
  return {
    list: spec.name,
    listId,
    name,
    nameFa: fa,
    age,
    sex: rng.bernoulli(0.08) ? null : p.sex,
    date,
    place,
    extra: { synthetic: "yes" },
  };
}

/** Draws the population and the lists. The same options and seed always give the same lists. */
export function generateVictimLists(options: SyntheticOptions): SyntheticLists {
  const rng = new Rng(options.seed);
  const people = generatePopulation(rng, options.population, options.visibleShare, options.nameDiversity);
  const records: VictimRecord[] = [];
  const truth = new Map<string, number>();
  const onList = new Map<string, Uint8Array>();
  options.lists.forEach((spec, li) => {
    const seen = new Uint8Array(people.length);
    const dep = spec.dependsOn ? onList.get(spec.dependsOn.list) : undefined;
    let next = 1;
    const habit = li;
    for (const p of people) {
      let prob = spec.p[p.visibility];
      if (dep && spec.dependsOn && dep[p.id]) prob = Math.min(0.98, prob * spec.dependsOn.factor);
      if (!rng.bernoulli(prob)) continue;
      seen[p.id] = 1;
      const copies = rng.bernoulli(spec.duplicateRate) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const listId = `${spec.name}-${String(next++).padStart(6, "0")}`;
        records.push(render(rng, p, spec, habit, listId));
        truth.set(`${spec.name}\u0000${listId}`, p.id);
      }
    }
    onList.set(spec.name, seen);
  });
  return { people, records, truth };
}

export interface PairwiseScores {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Pairwise precision, recall and F1 of a clustering against the true person ids. */
export function pairwiseScores(
  entities: Array<{ records: Array<{ list: string; list_id: string }> }>,
  truth: Map<string, number>,
): PairwiseScores {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const personSizes = new Map<number, number>();
  for (const id of truth.values()) personSizes.set(id, (personSizes.get(id) ?? 0) + 1);
  let truePairs = 0;
  for (const n of personSizes.values()) truePairs += pairs(n);
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const e of entities) {
    predictedPairs += pairs(e.records.length);
    const byPerson = new Map<number, number>();
    for (const r of e.records) {
      const id = truth.get(`${r.list}\u0000${r.list_id}`);
      if (id === undefined) throw new RangeError(`record (${r.list}, ${r.list_id}) has no true identity`);
      byPerson.set(id, (byPerson.get(id) ?? 0) + 1);
    }
    for (const n of byPerson.values()) correctPairs += pairs(n);
  }
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}

/** The true capture-history counts (each person once), for checking the linkage-derived ones. */
export function trueDocumented(data: SyntheticLists): number {
  return new Set(data.truth.values()).size;
}
