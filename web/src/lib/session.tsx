/** Who is signed in, shared by every screen; refreshed after sign-in and sign-out. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import type { Role } from "../../../src/core/vocabulary.js";
import { get } from "./api.js";

export interface Me {
  signedIn: boolean;
  pseudonym?: string;
  role?: Role;
  username?: string;
}

interface SessionState {
  me: Me | null;
  refresh: () => Promise<Me>;
}

const SessionContext = createContext<SessionState>({ me: null, refresh: async () => ({ signedIn: false }) });

export function SessionProvider({ children }: { children: ReactNode }) {
  // What this tab last knew, so a reload shows the screen at once; /api/v1/me confirms or corrects it (and the
  // API enforces roles whatever the page believes).
  const [me, setMe] = useState<Me | null>(() => {
    try {
      const last = sessionStorage.getItem("tally.me");
      return last ? (JSON.parse(last) as Me) : null;
    } catch {
      return null;
    }
  });
  const refresh = useCallback(async () => {
    try {
      const m = await get<Me>("/api/v1/me");
      setMe(m);
      return m;
    } catch {
      // Offline: keep what the page last knew, so the reporter's form stays usable.
      const last = sessionStorage.getItem("tally.me");
      const m: Me = last ? (JSON.parse(last) as Me) : { signedIn: false };
      setMe(m);
      return m;
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    // The sign-in name stays out of storage: the pseudonym and role are all a reload needs.
    if (me)
      sessionStorage.setItem(
        "tally.me",
        JSON.stringify({ signedIn: me.signedIn, pseudonym: me.pseudonym, role: me.role }),
      );
  }, [me]);
  return <SessionContext.Provider value={{ me, refresh }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

const RANK: Record<Role, number> = { reporter: 1, reviewer: 2, admin: 3 };
export function hasRole(me: Me | null, role: Role): boolean {
  return !!me?.signedIn && !!me.role && RANK[me.role] >= RANK[role];
}

export function landingFor(me: Me): string {
  if (!me.signedIn) return "/sign-in";
  return me.role === "admin" ? "/admin/users" : me.role === "reviewer" ? "/review" : "/report";
}
