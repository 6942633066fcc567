/**
 * Schema problems (zod issues) as one line a person can act on:
 * `typeThresholds.US_SSN: Too big: expected number to be <=1`.
 */
export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The first problem as `path.to[0].field: message`, and how many more there are. */
export function describeIssues(issues: readonly Issue[]): string {
  const first = issues[0];
  if (first === undefined) return 'invalid';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${formatPath(first.path)}${first.message}${more}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += (out === '' ? '' : '.') + String(key);
  }
  return out + ': ';
}
