import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, repoRoot, runCli } from './run-cli';

/** Parses the output of `scan --jsonl`. */
function jsonLines(
  stdout: string,
): { id: unknown; sensitive: unknown; findings: Record<string, unknown>[] }[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: unknown; sensitive: unknown; findings: Record<string, unknown>[] });
}

/** No trace lines: an error is one line an admin can read. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^ +at /m);
  expect(stderr).not.toMatch(/Error:|node:internal/);
}

describe.concurrent('secure-envelope scan (readable output)', () => {
  it('reports a text file: type, masked value, location, score, explanation and verdict', async () => {
    const r = await runCli(['scan', fixture('note.txt')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^US_SSN\s+\*\*\*-\*\*-4821\s+body 3:25\s+1\.00\s+Social Security number.*near 'ssn'$/,
    );
    expect(lines[1]).toMatch(/^DATE_OF_BIRTH +\*\*\/\*\*\/1985 +body 3:43 +0\.\d\d {2}[^\n]*'dob'$/);
    expect(lines[2]).toBe('sensitive: 2 findings (US_SSN, DATE_OF_BIRTH)');
    expect(r.stdout).not.toContain('212-67-4821');
    expect(r.stdout).not.toContain('03/14/1985');
  });

  it('reports an HTML file, showing the visible value masked, never the markup or the value', async () => {
    const r = await runCli(['scan', fixture('note.html')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^US_SSN\s+\*\*\*-\*\*-1874\s+body 7:28/m);
    expect(r.stdout).toMatch(/^CREDIT_CARD\s+\*{4} \*{4} \*{4} 1111\s+body 8:16/m);
    expect(r.stdout).toContain('sensitive: 2 findings (US_SSN, CREDIT_CARD)');
    for (const raw of ['536-22-1874', '536</span>', '4111 1111 1111 1111', '4111&nbsp;', '22-1874']) {
      expect(r.stdout).not.toContain(raw);
    }
  });

  it('says clean for a clean message', async () => {
    const r = await runCli(['scan', fixture('clean.txt')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('clean\n');
  });

  it('reads a multipart .eml: HTML body, decoded attachments, unreadable ones listed', async () => {
    const r = await runCli(['scan', fixture('multipart.eml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^US_SSN\s+\*\*\*-\*\*-7741\s+body 1:\d+/m);
    expect(r.stdout).toMatch(/^DATE_OF_BIRTH\s+\*\*\/\*\*\/1960\s+attachment:0 2:14/m);
    expect(r.stdout).toMatch(/^MRN\s+\*{4}3456\s+attachment:0 3:6/m);
    expect(r.stdout).toContain("not scanned: attachment:1 'scan.pdf' (application/pdf)");
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(
      'sensitive: 3 findings (US_SSN, DATE_OF_BIRTH, MRN) (1 attachment not scanned)',
    );
  });

  it('reads a Windows-1252 quoted-printable .eml', async () => {
    const r = await runCli(['scan', fixture('latin1.eml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^MEMBER_ID\s+\*{8}6789\s+body 1:23/m);
  });

  it('refuses mail with more MIME parts than the parser reads, as an error rather than a clean result', async () => {
    const lines: string[] = ['Subject: nested'];
    for (let i = 0; i < 1500; i++) lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('Content-Type: text/plain', '', 'SSN 212-67-4821');
    const r = await runCli(['scan', '-'], lines.join('\r\n'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^secure-envelope scan: cannot read stdin as mail: /);
    expectNoStackTrace(r.stderr);
  });

  it('reads stdin when FILE is - or missing, and recognises the format from the content', async () => {
    const text = readFileSync(`${repoRoot}/${fixture('note.txt')}`);
    const fromFile = (await runCli(['scan', fixture('note.txt')])).stdout;
    expect((await runCli(['scan', '-'], text)).stdout).toBe(fromFile);
    expect((await runCli(['scan'], text)).stdout).toBe(fromFile);
    const html = readFileSync(`${repoRoot}/${fixture('note.html')}`);
    expect((await runCli(['scan'], html)).stdout).toBe((await runCli(['scan', fixture('note.html')])).stdout);
    const eml = readFileSync(`${repoRoot}/${fixture('multipart.eml')}`);
    expect((await runCli(['scan', '-'], eml)).stdout).toBe(
      (await runCli(['scan', fixture('multipart.eml')])).stdout,
    );
    // Eight runs of the CLI one after another: on a loaded two-core machine each start takes seconds.
  }, 120_000);
});

describe.concurrent('secure-envelope scan --json', () => {
  it('prints one object with masked findings, counts and unscanned attachments', async () => {
    const r = await runCli(['scan', '--json', fixture('multipart.eml')]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      sensitive: boolean;
      findings: { type: string; field: string; start: number; end: number; masked: string; line: number }[];
      counts: Record<string, number>;
      unscannedAttachments: number[];
      attachments: { name: string; contentType: string }[];
    };
    expect(out.sensitive).toBe(true);
    expect(out.counts).toEqual({ US_SSN: 1, DATE_OF_BIRTH: 1, MRN: 1 });
    expect(out.unscannedAttachments).toEqual([1]);
    expect(out.attachments.map((a) => a.name)).toEqual(['membres détail.csv', 'scan.pdf']);
    expect(out.findings.map((f) => [f.type, f.field, f.masked])).toEqual([
      ['US_SSN', 'body', '***-**-7741'],
      ['DATE_OF_BIRTH', 'attachment:0', '**/**/1960'],
      ['MRN', 'attachment:0', '****3456'],
    ]);
    for (const raw of ['318-52-7741', '07/04/1960', '00123456']) expect(r.stdout).not.toContain(raw);
  });

  it('gives offsets into the raw field', async () => {
    const r = await runCli(['scan', '--json', fixture('note.txt')]);
    const out = JSON.parse(r.stdout) as { findings: { start: number; end: number }[] };
    const raw = readFileSync(`${repoRoot}/${fixture('note.txt')}`, 'utf8');
    expect(out.findings.map((f) => raw.slice(f.start, f.end))).toEqual(['212-67-4821', '03/14/1985']);
  });

  it('applies --policy', async () => {
    const r = await runCli([
      'scan',
      '--json',
      '--policy',
      fixture('dob-only-policy.json'),
      fixture('note.txt'),
    ]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: unknown }).counts).toEqual({ DATE_OF_BIRTH: 1 });
  });
});

describe.concurrent('secure-envelope scan --jsonl', () => {
  it('skips a bad line with an error naming it, processes the rest, and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 'a', subject: 'hi', body: 'SSN 212-67-4821', bodyType: 'text' }),
      '{"id": "b", "body": ',
      JSON.stringify({ id: 'c', body: 7 }),
      '',
      JSON.stringify({ id: 'd', subject: '', body: '<p>DOB: 01/02/1970</p>', bodyType: 'html' }),
    ].join('\n');
    const r = await runCli(['scan', '--jsonl', '-'], input + '\n');
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'secure-envelope scan: line 2: not valid JSON',
      'secure-envelope scan: line 3: body: Invalid input: expected string, received number',
    ]);
    const out = jsonLines(r.stdout);
    expect(out.map((o) => o.id)).toEqual(['a', 'd']);
    expect(out[0]!.findings).toEqual([
      expect.objectContaining({ type: 'US_SSN', field: 'body', start: 4, end: 15, rule: 'US_SSN/formatted' }),
    ]);
    expect(out[1]).toMatchObject({ sensitive: true, findings: [{ type: 'DATE_OF_BIRTH', field: 'body' }] });
  });

  it('accepts CRLF line ends and a byte order mark', async () => {
    const input =
      '\uFEFF' + JSON.stringify({ id: 'x', body: 'a' }) + '\r\n' + JSON.stringify({ id: 'y' }) + '\r\n';
    const r = await runCli(['scan', '--jsonl'], input);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((o) => o.id)).toEqual(['x', 'y']);
  });

  it('exits 0 when every line is good, and writes exactly {id, sensitive, findings}', async () => {
    const r = await runCli(['scan', '--jsonl'], JSON.stringify({ id: 7, body: 'nothing here' }) + '\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"id":7,"sensitive":false,"findings":[]}\n');
  });

  it('scans the development corpus: 300 lines, in order, each with id, sensitive and findings', async () => {
    const corpus = '../shared/corpus/dev.jsonl';
    const ids = readFileSync(`${repoRoot}/${corpus}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const r = await runCli(['scan', '--jsonl', corpus]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(300);
    expect(out.map((o) => o.id)).toEqual(ids);
    for (const o of out) {
      expect(Object.keys(o)).toEqual(['id', 'sensitive', 'findings']);
      expect(o.sensitive).toBe(o.findings.length > 0);
      for (const f of o.findings) {
        // A PHI finding also says the health category and where the person is.
        const extra = f.type === 'PHI' ? ['category', 'person'] : [];
        expect(Object.keys(f).sort()).toEqual(
          [...extra, 'end', 'explanation', 'field', 'rule', 'score', 'start', 'type'].sort(),
        );
      }
    }
    expect(out.some((o) => o.sensitive)).toBe(true);
  });
});

describe.concurrent('secure-envelope errors', () => {
  it('names a missing file in one line and exits 2', async () => {
    const r = await runCli(['scan', 'missing.txt']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("secure-envelope scan: cannot read 'missing.txt': no such file\n");
    expect((await runCli(['scan', '--jsonl', 'missing.jsonl'])).stderr).toBe(
      "secure-envelope scan: cannot read 'missing.jsonl': no such file\n",
    );
  });

  it('refuses a directory', async () => {
    const r = await runCli(['scan', 'test']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("secure-envelope scan: cannot read 'test': is a directory\n");
  });

  it('rejects an unknown flag', async () => {
    const r = await runCli(['scan', '--frobnicate', fixture('note.txt')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^secure-envelope scan: unknown option '--frobnicate' \(run 'secure-envelope scan --help'/,
    );
  });

  it('rejects conflicting modes and extra files', async () => {
    expect((await runCli(['scan', '--json', '--jsonl', fixture('note.txt')])).status).toBe(2);
    expect((await runCli(['scan', fixture('note.txt'), fixture('clean.txt')])).status).toBe(2);
    expect((await runCli(['scan', '--policy'])).stderr).toMatch(/option '--policy' needs a value/);
  });

  it('names the problem in an invalid policy file', async () => {
    const r = await runCli(['scan', '--policy', fixture('bad-policy.json'), fixture('note.txt')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^secure-envelope scan: invalid policy '.*bad-policy\.json': typeThresholds\.US_SSN: .*<=1/,
    );
    expectNoStackTrace(r.stderr);
  });

  it('rejects an unknown command with a usage hint', async () => {
    for (const name of ['frobnicate', 'servee']) {
      const r = await runCli([name]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `secure-envelope: unknown command '${name}' (run 'secure-envelope help' for the list)\n`,
      );
    }
  });

  it('prints help and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: secure-envelope <command>/);
    expect(help.stdout).toMatch(/^ {2}scan {2}/m);
    expect((await runCli(['help', 'scan'])).stdout).toMatch(/^usage: secure-envelope scan/);
    expect((await runCli(['scan', '--help'])).stdout).toMatch(/^usage: secure-envelope scan/);
    const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout).toBe(`secure-envelope ${pkg.version}\n`);
    expect((await runCli([])).status).toBe(2);
  });
});
