/** An audit detail value holds at most this much; longer lists end in "+N more". */
const DETAIL_CHARS = 240;

/** Items joined with ", " within an audit detail's length, the rest counted. */
export function auditList(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out === '' ? items[i]! : `${out}, ${items[i]!}`;
    const rest = items.length - i - 1;
    const tail = rest > 0 ? ` +${rest} more` : '';
    if (next.length + tail.length > DETAIL_CHARS) return `${out} +${items.length - i} more`.trim();
    out = next;
  }
  return out;
}
