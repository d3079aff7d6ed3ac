/**
 * Keyboard shortcuts for the frequent review actions. Keys are ignored while typing in a field, and every
 * shortcut also exists as a visible button (the shortcut is shown beside it).
 */
import { useEffect, useRef } from "react";

export type Shortcuts = Record<string, () => void>;

export function useShortcuts(map: Shortcuts): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      // Keys are named in lower case ("arrowdown", "enter"), so a shortcut works with Caps Lock too.
      const fn = ref.current[e.key.toLowerCase()];
      if (fn) {
        e.preventDefault();
        fn();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
}

/** The queue's order, kept for "next" on the detail screens. */
export function rememberQueue(paths: string[]): void {
  sessionStorage.setItem("tally.queue", JSON.stringify(paths));
}

export function nextInQueue(current: string): string | null {
  const paths = JSON.parse(sessionStorage.getItem("tally.queue") ?? "[]") as string[];
  const i = paths.indexOf(current);
  return i >= 0 && i + 1 < paths.length ? (paths[i + 1] as string) : null;
}
