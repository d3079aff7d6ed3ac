/**
 * The reporter's form. It validates with the same schema as the API and the import files (src/core/records.ts),
 * then puts the report in the outbox, which sends it now or when the connection returns.
 */
import { type FormEvent, useState } from "react";
import { IncidentRecord } from "../../../src/core/records.js";
import { INCIDENT_TYPES, METRICS, SOURCE_KINDS } from "../../../src/core/vocabulary.js";
import { Link } from "../app/router.js";
import { label } from "../lib/words.js";
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
    for (const m of METRICS) if (fields.counts[m]) r[m] = fields.counts[m] as string;
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
      setStatus("Please correct the fields marked below.");
      document.getElementById(`f-${Object.keys(errs)[0]}`)?.focus();
      return;
    }
    setErrors({});
    const tooBig = files.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) {
      setErrors({ attachments: `${tooBig.name} is larger than ${MAX_FILE_BYTES / 1048576} MB` });
      return;
    }
    const item = await enqueue(
      r,
      files.map((f) => ({ name: f.name, type: f.type, blob: f })),
    );
    setFiles([]);
    setFileKey((k) => k + 1);
    setFields({ ...EMPTY, date: today() });
    setPlaceText("");
    setPlace(null);
    setStatus(
      navigator.onLine
        ? "Saved on this phone and sending…"
        : "Saved on this phone. It is waiting and will be sent when you are online.",
    );
    await requestBackgroundSync();
    await flushOutbox().catch(() => 0);
    setStatus((s) =>
      s.startsWith("Saved") ? `Report ${item.externalId.slice(4, 12)} saved. See its state below.` : s,
    );
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
      <h1>Report an incident</h1>
      <p className="lead">
        What you send is reviewed before it is published. Your name is never shown: the ledger records your
        pseudonym only. <Link href="/submissions">My submissions</Link>
      </p>
      <form onSubmit={submit} noValidate className="report">
        <div className="field">
          <label htmlFor="f-date">Date</label>
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
            <label htmlFor="f-country">Country code (if the place is not in the list)</label>
            <input
              id="f-country"
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
          <label htmlFor="f-type">Type</label>
          <select
            id="f-type"
            required
            value={fields.type}
            onChange={(e) => set("type", e.target.value)}
            {...described("type")}
          >
            <option value="">Choose…</option>
            {INCIDENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
          {err("type")}
        </div>
        <fieldset className="counts">
          <legend>Counts</legend>
          <p className="hint" id="counts-hint">
            A number (12) or a range (10-15). Leave blank what you do not know.
          </p>
          {METRICS.map((m) => (
            <div className="field" key={m}>
              <label htmlFor={`f-${m}`}>{label(m)}</label>
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
          <label htmlFor="f-description">Description</label>
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
          <label htmlFor="f-source">Source (who reported it, if not you)</label>
          <input
            id="f-source"
            value={fields.source}
            onChange={(e) => set("source", e.target.value)}
            {...described("source")}
          />
          {err("source")}
        </div>
        <div className="field">
          <label htmlFor="f-source_kind">Kind of source</label>
          <select
            id="f-source_kind"
            value={fields.source_kind}
            onChange={(e) => set("source_kind", e.target.value)}
          >
            <option value="">Not given</option>
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-url">Link (URL)</label>
          <input
            id="f-url"
            type="url"
            inputMode="url"
            placeholder="https://"
            value={fields.url}
            onChange={(e) => set("url", e.target.value)}
            {...described("url")}
          />
          {err("url")}
        </div>
        <fieldset className="attachments">
          <legend>Attachments</legend>
          <div className="field">
            <label htmlFor="f-attachments">Photos, video or documents</label>
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
              JPEG, PNG, WebP, HEIC, MP4 or PDF. Location and camera data are removed from photos when they
              are stored. Files wait on this phone with the report until it is sent.
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
        <button type="submit">Send report</button>
        <p className="status" role="status" aria-live="polite">
          {status}
        </p>
      </form>
      <section aria-labelledby="outbox-title">
        <h2 id="outbox-title">On this phone</h2>
        <OutboxList />
      </section>
    </>
  );
}
