import type { ThreadSummary } from '../shared/portal-api';

/** Display helpers: dates in the reader's own locale, sizes people read. Pure. */

const DAY_MS = 86_400_000;

export function formatDateTime(iso: string, locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(t);
}

export function formatDate(iso: string, locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(t);
}

/** "Expired", "Expires today", "Expires in 3 days" — with the date, so nobody has to count. */
export function expiryText(iso: string, now: number, locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  if (t <= now) return `Expired ${formatDate(iso, locale)}`;
  const days = Math.floor((t - now) / DAY_MS);
  if (days === 0) return `Expires today, ${formatDateTime(iso, locale)}`;
  if (days === 1) return `Expires tomorrow, ${formatDate(iso, locale)}`;
  return `Expires in ${days} days, ${formatDate(iso, locale)}`;
}

export function isExpired(iso: string, now: number): boolean {
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t <= now;
}

export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Newest first, whatever order they came in; ties by subject so the order is stable. */
export function sortThreads(threads: readonly ThreadSummary[]): ThreadSummary[] {
  return [...threads].sort((a, b) => {
    const diff = (Date.parse(b.lastMessageAt) || 0) - (Date.parse(a.lastMessageAt) || 0);
    return diff !== 0 ? diff : a.subject.localeCompare(b.subject);
  });
}

/** "Dana Reyes <dana@plan.example>" or the address alone. */
export function personLabel(person: { address: string; name?: string | undefined }): string {
  const name = person.name?.trim();
  return name !== undefined && name !== '' ? `${name} <${person.address}>` : person.address;
}
