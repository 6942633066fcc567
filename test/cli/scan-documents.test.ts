import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const doc = (name: string): string => `test/extract/fixtures/${name}`;

describe('secure-envelope scan on documents and attachments', () => {
  it('scans a spreadsheet given as FILE, by its columns', async () => {
    const r = await runCli(['scan', doc('roster.xlsx')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^US_SSN\s+\*{3}-\*{2}-1874\s+attachment:0 2:\d+ {2}\S+ {2}Social Security number.*'SSN'/m,
    );
    expect(r.stdout).not.toContain('536-22-1874');
  }, 60_000);

  it('scans an .eml with an XLSX and a forwarded message, and names why an archive was not read', async () => {
    const r = await runCli(['scan', doc('message.eml')]);
    expect(r.stdout).toMatch(/^US_SSN\s+\*{3}-\*{2}-2290\s+attachment:1 /m);
    const locked = await runCli(['scan', doc('secret.zip')]);
    expect(locked.stdout).toContain(
      "not scanned: attachment:0 'secret.zip': the archive is password-protected",
    );
  }, 60_000);
});
