/**
 * Talking to the API: JSON in and out, problem details turned into errors that name their fields, and the CSRF
 * token that every unsafe request of a signed-in browser must carry.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail || title);
  }
}

let csrfToken: Promise<string> | null = null;

/** The token comes from the server once per page (and again when the server has rotated its secret). */
export function csrf(refresh = false): Promise<string> {
  if (refresh || !csrfToken) {
    csrfToken = fetch("/api/v1/auth/csrf", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new ApiError(r.status, "CSRF", "no CSRF token"))))
      .then((b: { token: string }) => b.token);
    csrfToken.catch(() => {
      csrfToken = null;
    });
  }
  return csrfToken;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: FieldProblem[] } = {};
  try {
    body = await res.json();
  } catch {
    // Not a problem document (a proxy's page, say): the status says enough.
  }
  return new ApiError(res.status, body.title ?? res.statusText, body.detail ?? "", body.errors ?? []);
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const unsafe = method !== "GET" && method !== "HEAD";
  const send = async (refresh: boolean) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(unsafe ? { "x-csrf-token": await csrf(refresh) } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  let res = await send(false);
  if (res.status === 403 && unsafe) {
    const err = await toError(res.clone());
    if (/csrf/i.test(err.detail)) res = await send(true);
  }
  if (!res.ok) throw await toError(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const get = <T>(url: string) => api<T>("GET", url);
export const post = <T>(url: string, body: unknown = {}) => api<T>("POST", url, body);
export const patch = <T>(url: string, body: unknown) => api<T>("PATCH", url, body);

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
