/** API tokens for scripts: created with a role, shown once; listed by name; revoked. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError, get, post } from "../lib/api.js";

interface Token {
  id: number;
  name: string;
  role: string;
  createdAt: string;
  revoked: boolean;
}

export function TokensSection() {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [message, setMessage] = useState("");
  const load = useCallback(async () => {
    try {
      setTokens((await get<{ items: Token[] }>("/api/v1/tokens")).items);
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const d = new FormData(form);
    try {
      const t = await post<{ name: string; token: string }>("/api/v1/tokens", {
        name: d.get("name"),
        role: d.get("role"),
      });
      setFresh(t);
      setMessage("");
      form.reset();
      await load();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.detail || err.title : "Failed: no connection.");
    }
  };
  const revoke = async (t: Token) => {
    try {
      await post(`/api/v1/tokens/${t.id}/revoke`);
      setMessage(`Token ${t.name} revoked.`);
      await load();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.detail || err.title : "Failed: no connection.");
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="hint">For scripts that import or read through the API. A token acts with its role.</p>
      <form onSubmit={create} className="narrow">
        <div className="field">
          <label htmlFor="t-name">What the token is for</label>
          <input id="t-name" name="name" required maxLength={80} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="t-role">Token role</label>
          <select id="t-role" name="role" defaultValue="reviewer">
            <option value="reporter">reporter</option>
            <option value="reviewer">reviewer</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit">Create token</button>
      </form>
      {fresh && (
        <div className="notice" role="alert">
          <p>Token for {fresh.name}. Copy it now: it is not shown again.</p>
          <p>
            <code className="secret">{fresh.token}</code>
          </p>
        </div>
      )}
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      {tokens && tokens.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>{t.createdAt.slice(0, 10)}</td>
                  <td>
                    {t.revoked ? (
                      "revoked"
                    ) : (
                      <button type="button" className="small secondary" onClick={() => void revoke(t)}>
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
