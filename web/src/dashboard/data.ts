/**
 * Reading the API for the dashboard. Answers are kept per URL for the page's life: moving between views and
 * back costs no request, and the server's ETags make a reload cheap.
 */
import { useEffect, useState } from "react";
import { get } from "../lib/api.js";

const cache = new Map<string, Promise<unknown>>();

export function fetchJson<T>(url: string): Promise<T> {
  let p = cache.get(url) as Promise<T> | undefined;
  if (!p) {
    p = get<T>(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
}

/** The answer for a URL (null skips the request); the previous answer stays shown while the next loads. */
export function useJson<T>(url: string | null): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { url: string | null }>({
    data: null,
    error: null,
    url: null,
  });
  useEffect(() => {
    if (!url) return;
    let live = true;
    fetchJson<T>(url).then(
      (data) => live && setState({ data, error: null, url }),
      (e: unknown) =>
        live && setState({ data: null, error: e instanceof Error ? e.message : String(e), url }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return { data: state.data, error: state.error };
}

export function qs(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
