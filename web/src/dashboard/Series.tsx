/**
 * The documented count over time (per day, week or month, and cumulative) with each source's claims drawn as
 * points and steps over the cumulative band, so a reader sees the gap between them grow or shrink.
 * Observable Plot draws the SVG; axes use the reader's calendar and digits.
 */
import { useCallback, useEffect, useMemo, useRef } from "react";
import { formatDayShort, formatNumber, type I18n, METRIC_WORDS, word } from "../i18n/index.js";
import type { ClaimPoint, SourceRef } from "./types.js";

export interface SeriesPoint {
  date: Date;
  low: number;
  high: number;
}

type PlotModule = typeof import("@observablehq/plot");
let plotModule: Promise<PlotModule> | null = null;

/** Plot loads after the figures: the headline and the map never wait for the charting code. */
export function loadPlot(): Promise<PlotModule> {
  plotModule ??= import("@observablehq/plot");
  plotModule.catch(() => {
    plotModule = null;
  });
  return plotModule;
}

function PlotBox({
  make,
  label,
}: {
  make: (Plot: PlotModule) => HTMLElement | SVGSVGElement;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let el: Element | null = null;
    let live = true;
    loadPlot().then((Plot) => {
      if (!live) return;
      el = make(Plot);
      unlabelMarks(el);
      ref.current?.replaceChildren(el);
    });
    return () => {
      live = false;
      el?.remove();
    };
  }, [make]);
  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}

/**
 * Plot labels its groups of marks ("line", "dot") with aria-label on plain <g> elements, which assistive
 * technology ignores and axe reports; the chart's wrapper carries the one label that matters.
 */
export function unlabelMarks(el: Element): void {
  for (const g of el.querySelectorAll("g[aria-label]")) g.removeAttribute("aria-label");
}

const toDate = (day: string) => new Date(`${day}T00:00:00Z`);

export function Series({
  daily,
  periodWord,
  claims,
  metric,
  i18n,
}: {
  daily: SeriesPoint[];
  periodWord: string;
  claims: { source: SourceRef; claims: ClaimPoint[] }[];
  metric: string;
  i18n: I18n;
}) {
  const { t, lang } = i18n;
  const tickDate = (d: Date) => formatDayShort(d, lang);
  const tickNum = (n: number) => formatNumber(n, lang);
  const cumulative = useMemo(() => {
    let low = 0;
    let high = 0;
    return daily.map((d) => {
      low += d.low;
      high += d.high;
      return { date: d.date, low, high };
    });
  }, [daily]);
  const points = useMemo(
    () =>
      claims.flatMap((s) =>
        s.claims
          .filter((c) => c.asOf)
          .map((c) => ({ source: s.source.name, date: toDate(c.asOf as string), value: c.low })),
      ),
    [claims],
  );
  const rtl = lang === "fa";
  const common = {
    width: 720,
    height: 280,
    marginLeft: 80,
    marginRight: 16,
    style: { background: "transparent", fontSize: "12px", direction: "ltr" as const },
    x: { type: "utc" as const, tickFormat: tickDate, label: null, reverse: rtl },
    y: { grid: true, tickFormat: tickNum, label: word(METRIC_WORDS, metric, lang) },
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the plot follows its data and the language only.
  const dailyPlot = useCallback(
    (Plot: PlotModule) =>
      Plot.plot({
        ...common,
        marks: [
          Plot.areaY(daily, { x: "date", y1: "low", y2: "high", fill: "#a8b8d0", curve: "step" }),
          Plot.lineY(daily, { x: "date", y: "low", stroke: "#1d3557", curve: "step" }),
          Plot.ruleY([0]),
        ],
      }),
    [daily, lang, metric],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the plot follows its data and the language only.
  const cumulativePlot = useCallback(
    (Plot: PlotModule) =>
      Plot.plot({
        ...common,
        color: { legend: true, type: "categorical", scheme: "dark2" },
        marks: [
          Plot.areaY(cumulative, { x: "date", y1: "low", y2: "high", fill: "#c9d6e8" }),
          Plot.lineY(cumulative, { x: "date", y: "low", stroke: "#1d3557" }),
          Plot.line(points, { x: "date", y: "value", stroke: "source", curve: "step-after" }),
          Plot.dot(points, { x: "date", y: "value", fill: "source", r: 3.5, tip: true }),
          Plot.ruleY([0]),
        ],
      }),
    [cumulative, points, lang, metric],
  );
  return (
    <div className="series">
      <h3>{t("daily", { period: periodWord })}</h3>
      <PlotBox make={dailyPlot} label={t("daily", { period: periodWord })} />
      <h3>{t("cumulative")}</h3>
      <PlotBox make={cumulativePlot} label={t("cumulative")} />
      <p className="muted">{t("seriesNote")}</p>
    </div>
  );
}
