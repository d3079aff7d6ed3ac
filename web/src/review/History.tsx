/** Who changed what, and when. */
export function History({
  entries,
}: {
  entries: { action: string; actor: string; note: string | null; at: string }[];
}) {
  if (entries.length === 0) return <p>No changes recorded.</p>;
  return (
    <ol className="history">
      {entries.map((h) => (
        <li key={`${h.at}-${h.action}-${h.actor}-${h.note ?? ""}`}>
          <time dateTime={h.at}>{h.at.replace("T", " ").slice(0, 16)}</time> <strong>{h.action}</strong> by{" "}
          {h.actor}
          {h.note && <> — “{h.note}”</>}
        </li>
      ))}
    </ol>
  );
}
