/** Admins create users, change roles, disable and enable them, and set passwords. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError, get, patch, post } from "../lib/api.js";
import { TokensSection } from "./TokensSection.js";

const ROLE_NAMES = ["reporter", "reviewer", "admin"] as const;

interface User {
  id: number;
  username: string;
  pseudonym: string;
  role: string;
  disabled: boolean;
}

export default function UsersPage() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [message, setMessage] = useState("");
  const [formError, setFormError] = useState("");
  const load = useCallback(async () => {
    try {
      setUsers((await get<{ items: User[] }>("/api/v1/users")).items);
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const fail = (e: unknown) => (e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const d = new FormData(form);
    const body = Object.fromEntries([...d.entries()].filter(([, v]) => v !== "")) as Record<string, string>;
    try {
      const u = await post<User>("/api/v1/users", body);
      setFormError("");
      setMessage(`User ${u.username} created as ${u.role}, pseudonym ${u.pseudonym}.`);
      form.reset();
      await load();
    } catch (err) {
      setFormError(fail(err));
    }
  };
  const change = async (u: User, body: Record<string, unknown>, done: string) => {
    try {
      await patch(`/api/v1/users/${u.id}`, body);
      setMessage(done);
      await load();
    } catch (err) {
      setMessage(fail(err));
    }
  };

  return (
    <>
      <h1>Users</h1>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      <section aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <form onSubmit={create} className="narrow">
          <div className="field">
            <label htmlFor="u-username">Username</label>
            <input id="u-username" name="username" required autoComplete="off" autoCapitalize="none" />
          </div>
          <div className="field">
            <label htmlFor="u-pseudonym">
              Pseudonym (recorded as the author of their changes; random if empty)
            </label>
            <input id="u-pseudonym" name="pseudonym" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="u-role">Role</label>
            <select id="u-role" name="role" defaultValue="reporter">
              {ROLE_NAMES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="u-password">Password (at least 10 characters)</label>
            <input
              id="u-password"
              name="password"
              type="password"
              required
              minLength={10}
              autoComplete="new-password"
            />
          </div>
          {formError && (
            <p className="error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit">Create user</button>
        </form>
      </section>
      <section aria-labelledby="all-users">
        <h2 id="all-users">All users</h2>
        {users === null ? (
          <p aria-busy="true">Loading…</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Pseudonym</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td>{u.username}</td>
                    <td>{u.pseudonym}</td>
                    <td>
                      <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                        Role of {u.username}
                      </label>
                      <select
                        id={`role-${u.id}`}
                        value={u.role}
                        onChange={(e) =>
                          void change(u, { role: e.target.value }, `${u.username} is now ${e.target.value}.`)
                        }
                      >
                        {ROLE_NAMES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {u.disabled ? "disabled " : "active "}
                      <button
                        type="button"
                        className="small secondary"
                        onClick={() =>
                          void change(
                            u,
                            { disabled: !u.disabled },
                            `${u.username} ${u.disabled ? "enabled" : "disabled"}.`,
                          )
                        }
                      >
                        {u.disabled ? "Enable" : "Disable"}
                        <span className="visually-hidden"> {u.username}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <TokensSection />
    </>
  );
}
