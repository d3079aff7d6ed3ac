/**
 * Province or city totals as proportional symbols (circle area ∝ the high end of the documented range) on
 * country outlines from world-atlas, projected with d3-geo: no tile server, nothing fetched from elsewhere.
 * The outlines load as their own file after the figures, so the numbers never wait for the map.
 */
import { geoMercator, geoPath } from "d3-geo";
import { useEffect, useMemo, useState } from "react";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import outlinesUrl from "world-atlas/countries-50m.json?url";
import { navigate } from "../app/router.js";
import { formatNumber, formatRange, type I18n, METRIC_WORDS, word } from "../i18n/index.js";
import type { MappedRow } from "./types.js";

const W = 720;
const H = 560;

let outlines: Promise<GeoJSON.FeatureCollection> | null = null;
export function loadOutlines(): Promise<GeoJSON.FeatureCollection> {
  outlines ??= fetch(outlinesUrl)
    .then((r) => r.json() as Promise<Topology>)
    .then((topo) => feature(topo, topo.objects.countries as GeometryCollection) as GeoJSON.FeatureCollection);
  outlines.catch(() => {
    outlines = null;
  });
  return outlines;
}

export function placeLabel(p: MappedRow["place"], lang: string): string {
  return (lang === "fa" ? p.fa : null) ?? p.name ?? p.country ?? "?";
}

export function MapView({
  rows,
  level,
  metric,
  i18n,
  hrefFor,
}: {
  rows: MappedRow[];
  level: "province" | "city";
  metric: string;
  i18n: I18n;
  hrefFor: (row: MappedRow) => string;
}) {
  const { t, lang } = i18n;
  const [world, setWorld] = useState<GeoJSON.FeatureCollection | null>(null);
  const [hover, setHover] = useState<MappedRow | null>(null);
  useEffect(() => {
    let live = true;
    loadOutlines().then(
      (w) => live && setWorld(w),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const located = useMemo(
    () => rows.filter((r) => r.place.lat !== null && r.place.lon !== null && r.high > 0),
    [rows],
  );
  const { path, project } = useMemo(() => {
    const projection = geoMercator();
    const points: GeoJSON.MultiPoint = {
      type: "MultiPoint",
      coordinates: located.map((r) => [r.place.lon as number, r.place.lat as number]),
    };
    if (points.coordinates.length)
      projection.fitExtent(
        [
          [40, 40],
          [W - 40, H - 40],
        ],
        points,
      );
    else projection.fitSize([W, H], { type: "Sphere" } as never);
    // Outlines outside the frame are cut away, so the page holds only what shows.
    projection.clipExtent([
      [0, 0],
      [W, H],
    ]);
    return {
      path: geoPath(projection),
      project: (r: MappedRow) => projection([r.place.lon as number, r.place.lat as number]) ?? [0, 0],
    };
  }, [located]);
  // Outlines are drawn once per frame and data, not again on every hover.
  const outlinePaths = useMemo(
    () =>
      (world?.features ?? [])
        .map((f, i) => ({ key: String(f.id ?? i), d: path(f) ?? "" }))
        .filter((o) => o.d !== ""),
    [world, path],
  );
  const max = Math.max(1, ...located.map((r) => r.high));
  const maxR = level === "province" ? 34 : 20;
  const radius = (v: number) => Math.max(2, Math.sqrt(v / max) * maxR);
  const metricWord = word(METRIC_WORDS, metric, lang);
  // Largest first, so small circles stay on top and can be reached.
  const drawn = [...located].sort((a, b) => b.high - a.high);
  const tip = hover ? project(hover) : null;
  return (
    <figure className="map">
      <div className="map-frame">
        <svg viewBox={`0 0 ${W} ${H}`}>
          <title>{t("map")}</title>
          <rect width={W} height={H} fill="#dbe7f3" />
          {world ? (
            <g className="outlines">
              {outlinePaths.map((o) => (
                <path key={o.key} d={o.d} />
              ))}
            </g>
          ) : (
            <text x={W / 2} y={H / 2} textAnchor="middle" className="muted">
              {t("mapOutlinesLoading")}
            </text>
          )}
          <g className="symbols">
            {drawn.map((r) => {
              const [x, y] = project(r);
              const label = `${placeLabel(r.place, lang)}: ${formatRange(r, lang)} ${metricWord} (${t("incidentsN", { n: formatNumber(r.incidents, lang) })})`;
              const href = hrefFor(r);
              return (
                <a
                  key={r.place.id ?? r.place.name}
                  href={href}
                  aria-label={label}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(href);
                  }}
                  onMouseEnter={() => setHover(r)}
                  onMouseLeave={() => setHover(null)}
                  onFocus={() => setHover(r)}
                  onBlur={() => setHover(null)}
                  data-place={r.place.id ?? ""}
                >
                  <circle cx={x} cy={y} r={radius(r.high)} />
                  <title>{label}</title>
                </a>
              );
            })}
          </g>
        </svg>
        {hover && tip ? (
          <div
            className="map-tip"
            role="status"
            style={{ left: `${(tip[0] / W) * 100}%`, top: `${(tip[1] / H) * 100}%` }}
          >
            <strong>{placeLabel(hover.place, lang)}</strong>
            <br />
            {formatRange(hover, lang)} {metricWord}
            <br />
            {t("incidentsN", { n: formatNumber(hover.incidents, lang) })}
          </div>
        ) : null}
      </div>
      <figcaption className="muted">
        {t("mapCaption", { metric: metricWord, level: t(level === "province" ? "byProvince" : "byCity") })}
      </figcaption>
    </figure>
  );
}
