/** Record a claim by hand, or from a highlighted span (the quote and source arrive in the URL). */
import { type FormEvent, useState } from "react";
import { ClaimRecord } from "../../../src/core/records.js";
import { METRICS, QUALIFIERS, SOURCE_KINDS } from "../../../src/core/vocabulary.js";
import { useLocation } from "../app/router.js";
import { ApiError, post } from "../lib/api.js";
import { label } from "../lib/words.js";

const FIELDS = [
  "source",
  "source_kind",
  "metric",
  "low",
  "high",
  "qualifier",
  "as_of",
  "place",
  "country",
  "context",
  "url",
  "quote",
] as const;

export default function ClaimPage() {
  const { search } = useLocation();
  const [f, setF] = useState<Record<string, string>>(() =>
    Object.fromEntries(FIELDS.map((k) => [k, search.get(k) ?? ""])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const set = (k: string, v: string) => setF((x) => ({ ...x, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== ""));
    const parsed = ClaimRecord.safeParse(r);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const i of parsed.error.issues) errs[String(i.path[0] ?? "form")] ??= i.message;
      setErrors(errs);
      setMessage("Please correct the fields marked below.");
      return;
    }
    setErrors({});
    try {
      const res = await post<{ created: boolean; claim: { id: number } }>("/api/v1/claims", r);
      setMessage(
        res.created
          ? `Claim ${res.claim.id} recorded.`
          : `This claim was already recorded (claim ${res.claim.id}).`,
      );
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.errors.map((x) => [x.field, x.message])));
        setMessage(err.detail || err.title);
      } else setMessage("Failed: no connection.");
    }
  };

  const input = (k: string, props: Record<string, unknown> = {}) => (
    <div className="field" key={k}>
      <label htmlFor={`cl-${k}`}>{label(k)}</label>
      <input
        id={`cl-${k}`}
        value={f[k]}
        onChange={(e) => set(k, e.target.value)}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={errors[k] ? `cle-${k}` : undefined}
        {...props}
      />
      {errors[k] && (
        <p id={`cle-${k}`} className="error">
          {errors[k]}
        </p>
      )}
    </div>
  );
  const select = (k: string, options: readonly string[], empty: string) => (
    <div className="field" key={k}>
      <label htmlFor={`cl-${k}`}>{label(k)}</label>
      <select
        id={`cl-${k}`}
        value={f[k]}
        onChange={(e) => set(k, e.target.value)}
        aria-invalid={errors[k] ? true : undefined}
      >
        <option value="">{empty}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
      {errors[k] && <p className="error">{errors[k]}</p>}
    </div>
  );

  return (
    <>
      <h1>Record a claim</h1>
      <p className="lead">
        A figure that a named source asserts. It is kept as that source's claim, never as a count.
      </p>
      <form onSubmit={submit} noValidate className="report">
        {input("source", { required: true })}
        {select("source_kind", SOURCE_KINDS, "Not given")}
        {select("metric", METRICS, "Choose…")}
        <div className="row">
          {input("low", { inputMode: "numeric", required: true })}
          {input("high", { inputMode: "numeric" })}
        </div>
        {select("qualifier", QUALIFIERS, "Exact")}
        {input("as_of", { type: "date" })}
        {input("place")}
        {input("country", { maxLength: 2 })}
        {input("context")}
        {input("url", { type: "url" })}
        <div className="field">
          <label htmlFor="cl-quote">Quote</label>
          <textarea id="cl-quote" rows={3} value={f.quote} onChange={(e) => set("quote", e.target.value)} />
        </div>
        <button type="submit">Record claim</button>
        <p role="status" aria-live="polite" className="status">
          {message}
        </p>
      </form>
    </>
  );
}
