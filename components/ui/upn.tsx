/**
 * A user principal name that wraps where a person reads it, before the "@" and the dots of its domain, never in the
 * middle of a name (issue 23, item 10); only a part longer than the whole line is broken.
 */
export function Upn({ upn, className }: { upn: string; className?: string }) {
  const at = upn.indexOf("@");
  const local = at < 0 ? upn : upn.slice(0, at);
  const domain = at < 0 ? [] : upn.slice(at + 1).split(".");
  return (
    <span className={`break-words ${className ?? ""}`} title={upn}>
      {local}
      {domain.map((part, i) => (
        <span key={i}>
          <wbr />
          {i === 0 ? "@" : "."}
          {part}
        </span>
      ))}
    </span>
  );
}
