/**
 * Place autocomplete from the gazetteer, as an ARIA combobox: type, pick with the arrow keys and Enter (or a
 * tap), and the chosen place carries its province and country so the server resolves exactly that one.
 * Free text stays allowed (the server resolves it, or says which places it could mean).
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { get, query } from "../lib/api.js";
import { useT } from "../lib/lang.js";

export interface PlaceChoice {
  id: string;
  name: string;
  level: string;
  province: string | null;
  country: string;
}

interface Props {
  value: string;
  onChange: (text: string, choice: PlaceChoice | null) => void;
  country?: string;
  invalid?: string | undefined;
  label?: string;
  hint?: string;
}

export function describePlace(p: PlaceChoice): string {
  return [p.name, p.level === "province" ? null : p.province, p.country].filter(Boolean).join(", ");
}

export function PlaceInput({ value, onChange, country, invalid, label, hint }: Props) {
  const { t } = useT();
  const id = useId();
  const [items, setItems] = useState<PlaceChoice[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [offline, setOffline] = useState(false);
  const timer = useRef<number>(0);

  useEffect(() => {
    window.clearTimeout(timer.current);
    const q = value.trim();
    if (q.length < 2) {
      setItems([]);
      return;
    }
    // A short pause, so a fast typist on a slow line sends one request, not one per letter.
    timer.current = window.setTimeout(async () => {
      try {
        const r = await get<{ items: PlaceChoice[] }>(`/api/v1/places${query({ q, country, limit: 8 })}`);
        setItems(r.items);
        setOffline(false);
      } catch {
        setItems([]);
        setOffline(true);
      }
    }, 200);
    return () => window.clearTimeout(timer.current);
  }, [value, country]);

  const choose = (p: PlaceChoice) => {
    onChange(describePlace(p), p);
    setOpen(false);
    setActive(-1);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(items.length - 1, a + 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === "Enter" && open && active >= 0 && items[active]) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const showList = open && items.length > 0;
  return (
    <div className="field combo">
      <label htmlFor={id}>{label ?? t("place")}</label>
      <input
        id={id}
        name="place"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={invalid ? `${hintId} ${errId}` : hintId}
        aria-invalid={invalid ? true : undefined}
        autoComplete="off"
        value={value}
        onChange={(e) => {
          onChange(e.target.value, null);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKey}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onFocus={() => setOpen(true)}
      />
      <p id={hintId} className="hint">
        {offline ? t("placeOffline") : (hint ?? t("placeHint"))}
      </p>
      {invalid && (
        <p id={errId} className="error">
          {invalid}
        </p>
      )}
      <div id={listId} role="listbox" aria-label={t("places")} hidden={!showList}>
        {items.map((p, i) => (
          <div
            key={p.id}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(p);
            }}
          >
            {p.name}
            <span className="muted">
              {" "}
              {p.level}, {p.province && p.level !== "province" ? `${p.province}, ` : ""}
              {p.country}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
