import { type FormEvent, useState } from "react";
import { navigate, useLocation } from "../app/router.js";
import { ApiError, post } from "../lib/api.js";
import { useT } from "../lib/lang.js";
import { landingFor, useSession } from "../lib/session.js";

export default function SignIn() {
  const { t } = useT();
  const { refresh } = useSession();
  const { search } = useLocation();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError("");
    try {
      await post("/api/v1/auth/sign-in", { username: form.get("username"), password: form.get("password") });
      const me = await refresh();
      const next = search.get("next");
      // Only a path of this app: never an address elsewhere (an open redirect).
      navigate(next && /^\/[a-z]/.test(next) && !next.startsWith("//") ? next : landingFor(me), {
        replace: true,
      });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t("tooManyAttempts")
          : err instanceof ApiError && err.status === 401
            ? t("signInFailed")
            : err instanceof ApiError
              ? err.detail || err.title
              : t("noConnection"),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t("signIn")}</h1>
      <form onSubmit={submit} className="narrow" aria-describedby={error ? "signin-error" : undefined}>
        <div className="field">
          <label htmlFor="username">{t("username")}</label>
          <input id="username" name="username" autoComplete="username" required autoCapitalize="none" />
        </div>
        <div className="field">
          <label htmlFor="password">{t("password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        {error && (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t("signingIn") : t("signIn")}
        </button>
      </form>
    </>
  );
}
