/**
 * The reporter's form. It validates with the same schema as the API and the import files (src/core/records.ts),
 * then puts the report in the outbox, which sends it now or when the connection returns.
 */
import { type FormEvent, useState } from "react";
import { METRIC_WORDS, SOURCE_KIND_WORDS, TYPE_WORDS, word } from "../../../src/core/locale.js";
import { IncidentRecord } from "../../../src/core/records.js";
import { INCIDENT_TYPES, METRICS, SOURCE_KINDS } from "../../../src/core/vocabulary.js";
import { Link } from "../app/router.js";
import { asciiDigits, useT } from "../lib/lang.js";
import { useSession } from "../lib/session.js";
import { enqueue } from "../offline/outbox.js";
import { flushOutbox } from "../offline/send.js";
import { requestBackgroundSync } from "../offline/sync.js";
import { OutboxList } from "./OutboxList.js";
import { type PlaceChoice, PlaceInput } from "./PlaceInput.js";

type Errors = Record<string, string>;

const today = () => new Date().toISOString().slice(0, 10);
/** The server's default limit; a bigger file would be refused after a long upload. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

const EMPTY = {
  date: today(),
  type: "",
  description: "",
  source: "",
  source_kind: "",
  url: "",
  country: "",
  counts: Object.fromEntries(METRICS.map((m) => [m, ""])) as Record<string, string>,
};

export default function ReportPage() {
  const { lang, t } = useT();
  const { me } = useSession();
  const [fields, setFields] = useState(EMPTY);
  const [placeText, setPlaceText] = useState("");
  const [place, setPlace] = useState<PlaceChoice | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  // A file input cannot be emptied by state; a new key gives a fresh one after each report.
  const [fileKey, setFileKey] = useState(0);

  const set = (k: keyof typeof EMPTY, v: string) => setFields((f) => ({ ...f, [k]: v }));

  const record = (): Record<string, string> => {
    const r: Record<string, string> = {
      date: fields.date,
      type: fields.type,
      description: fields.description,
      source: fields.source,
      source_kind: fields.source_kind,
      url: fields.url,
    };
    if (place) {
      r.place = place.name;
      if (place.province && place.level !== "province") r.province = place.province;
      r.country = place.country;
    } else {
      r.place = placeText;
      r.country = fields.country;
    }
    // Persian keyboards type Persian digits; the shared schema reads ASCII ones.
    for (const m of METRICS) if (fields.counts[m]) r[m] = asciiDigits(fields.counts[m] as string);
    if (r.country) r.country = r.country.trim();
    for (const k of Object.keys(r)) if (r[k] === "") delete r[k];
    return r;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = record();
    const parsed = IncidentRecord.safeParse(r);
    if (!parsed.success) {
      const errs: Errors = {};
      for (const i of parsed.error.issues) {
        const k = String(i.path[0] ?? "form");
        errs[k] ??= i.message;
      }
      setErrors(errs);
      setStatus(t("fixFields"));
      document.getElementById(`f-${Object.keys(errs)[0]}`)?.focus();
      return;
    }
    setErrors({});
    const tooBig = files.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) {
      setErrors({ attachments: t("tooBig", { name: tooBig.name, mb: MAX_FILE_BYTES / 1048576 }) });
      return;
    }
    const item = await enqueue(
      r,
      files.map((f) => ({ name: f.name, type: f.type, blob: f })),
      me?.pseudonym,
    );
    setFiles([]);
    setFileKey((k) => k + 1);
    setFields({ ...EMPTY, date: today() });
    setPlaceText("");
    setPlace(null);
    const savedText = navigator.onLine ? t("savedSending") : t("savedWaiting");
    setStatus(savedText);
    await requestBackgroundSync();
    await flushOutbox().catch(() => 0);
    setStatus((s) => (s === savedText ? t("saved", { id: item.externalId.slice(4, 12) }) : s));
  };

  const err = (k: string) =>
    errors[k] ? (
      <p id={`e-${k}`} className="error">
        {errors[k]}
      </p>
    ) : null;
  const described = (k: string, hint?: string) => ({
    "aria-invalid": errors[k] ? true : undefined,
    "aria-describedby": [hint, errors[k] ? `e-${k}` : undefined].filter(Boolean).join(" ") || undefined,
  });

  return (
    <>
      <h1>{t("reportTitle")}</h1>
      <p className="lead">
        {t("reportLead")} <Link href="/submissions">{t("mySubmissions")}</Link>
      </p>
      <form onSubmit={submit} noValidate className="report">
        <div className="field">
          <label htmlFor="f-date">{t("date")}</label>
          <input
            id="f-date"
            type="date"
            required
            value={fields.date}
            max={today()}
            onChange={(e) => set("date", e.target.value)}
            {...described("date")}
          />
          {err("date")}
        </div>
        <PlaceInput
          value={placeText}
          invalid={errors.place}
          onChange={(text, choice) => {
            setPlaceText(text);
            setPlace(choice);
          }}
        />
        {!place && (
          <div className="field">
            <label htmlFor="f-country">{t("country")}</label>
            <input
              id="f-country"
              dir="ltr"
              value={fields.country}
              maxLength={2}
              autoCapitalize="characters"
              placeholder="IR"
              onChange={(e) => set("country", e.target.value.toUpperCase())}
              {...described("country")}
            />
            {err("country")}
          </div>
        )}
        <div className="field">
          <label htmlFor="f-type">{t("type")}</label>
          <select
            id="f-type"
            required
            value={fields.type}
            onChange={(e) => set("type", e.target.value)}
            {...described("type")}
          >
            <option value="">{t("choose")}</option>
            {INCIDENT_TYPES.map((k) => (
              <option key={k} value={k}>
                {word(TYPE_WORDS, k, lang)}
              </option>
            ))}
          </select>
          {err("type")}
        </div>
        <fieldset className="counts">
          <legend>{t("counts")}</legend>
          <p className="hint" id="counts-hint">
            {t("countsHint")}
          </p>
          {METRICS.map((m) => (
            <div className="field" key={m}>
              <label htmlFor={`f-${m}`}>{word(METRIC_WORDS, m, lang)}</label>
              <input
                id={`f-${m}`}
                inputMode="numeric"
                pattern="[0-9,]+(-[0-9,]+)?"
                value={fields.counts[m]}
                onChange={(e) => setFields((f) => ({ ...f, counts: { ...f.counts, [m]: e.target.value } }))}
                {...described(m, "counts-hint")}
              />
              {err(m)}
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="f-description">{t("description")}</label>
          <textarea
            id="f-description"
            rows={4}
            maxLength={10000}
            value={fields.description}
            onChange={(e) => set("description", e.target.value)}
            {...described("description")}
          />
          {err("description")}
        </div>
        <div className="field">
          <label htmlFor="f-source">{t("source")}</label>
          <input
            id="f-source"
            value={fields.source}
            onChange={(e) => set("source", e.target.value)}
            {...described("source")}
          />
          {err("source")}
        </div>
        <div className="field">
          <label htmlFor="f-source_kind">{t("sourceKind")}</label>
          <select
            id="f-source_kind"
            value={fields.source_kind}
            onChange={(e) => set("source_kind", e.target.value)}
          >
            <option value="">{t("notGiven")}</option>
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {word(SOURCE_KIND_WORDS, k, lang)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-url">{t("url")}</label>
          <input
            id="f-url"
            type="url"
            dir="ltr"
            inputMode="url"
            placeholder="https://"
            value={fields.url}
            onChange={(e) => set("url", e.target.value)}
            {...described("url")}
          />
          {err("url")}
        </div>
        <fieldset className="attachments">
          <legend>{t("attachments")}</legend>
          <div className="field">
            <label htmlFor="f-attachments">{t("files")}</label>
            <input
              key={fileKey}
              id="f-attachments"
              type="file"
              multiple
              accept="image/jpeg,image/png,image/webp,image/heic,video/mp4,application/pdf"
              onChange={(e) => setFiles([...(e.target.files ?? [])])}
              {...described("attachments", "attachments-hint")}
            />
            <p id="attachments-hint" className="hint">
              {t("filesHint")}
            </p>
            {err("attachments")}
            {files.length > 0 && (
              <ul className="files">
                {files.map((f) => (
                  <li key={`${f.name}-${f.size}`}>
                    {f.name} ({(f.size / 1024).toFixed(0)} KB)
                  </li>
                ))}
              </ul>
            )}
          </div>
        </fieldset>
        <button type="submit">{t("send")}</button>
        <p className="status" role="status" aria-live="polite">
          {status}
        </p>
      </form>
      <section aria-labelledby="outbox-title">
        <h2 id="outbox-title">{t("onPhone")}</h2>
        <OutboxList />
      </section>
    </>
  );
}
