/**
 * Both manifests the project hands to Microsoft 365 pass Microsoft's own
 * schema, offline: the unified JSON manifest that `secure-envelope manifest`
 * writes, and the XML manifest (the one served at /addin/manifest.xml and the
 * ones the command writes) after Microsoft's converter has turned it into a
 * unified manifest, as the admin center does on upload.
 *
 * The schemas are the copies shipped in @microsoft/app-manifest, checked with
 * the same Ajv (draft-04) settings as its AppManifestUtils.validateAgainstSchema.
 * That entry point itself cannot be loaded here: it requires fs-extra, which the
 * package does not declare as a dependency. No XML Schema (XSD) for the XML
 * manifest ships in node_modules, so the XML's own checks stay those of
 * manifest.test.ts plus this conversion.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert } from 'office-addin-manifest-converter';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli';

interface SchemaError {
  instancePath: string;
  message?: string;
  params: unknown;
}
interface Validate {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
type AjvClass = new (options: { allErrors: boolean; strictTypes: boolean }) => {
  compile(schema: object): Validate;
};

const PACKAGE = join(repoRoot, 'node_modules', '@microsoft', 'app-manifest');
// Ajv and its formats as @microsoft/app-manifest resolves them (the versions it validates with).
const fromPackage = createRequire(join(PACKAGE, 'package.json'));
const Ajv = (fromPackage('ajv-draft-04') as { default: AjvClass }).default;
const addFormats = (fromPackage('ajv-formats') as { default: (ajv: object, formats: string[]) => void })
  .default;

/** Schema failures of a unified manifest, as "path message" lines; [] when it passes. */
function schemaFailures(manifest: { manifestVersion?: unknown }): string[] {
  expect(typeof manifest.manifestVersion).toBe('string');
  const file = join(
    PACKAGE,
    'build/json-schemas/teams',
    `v${String(manifest.manifestVersion)}`,
    'MicrosoftTeams.schema.json',
  );
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $schema: string };
  expect(schema.$schema).toContain('draft-04');
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

async function converted(xmlFile: string): Promise<{ manifestVersion?: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'se-converted-'));
  await convert(xmlFile, dir);
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { manifestVersion?: unknown };
}

const readJson = (file: string): { manifestVersion?: unknown } =>
  JSON.parse(readFileSync(file, 'utf8')) as { manifestVersion?: unknown };

describe("manifests against Microsoft's schema", () => {
  let plain: string;
  let sso: string;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'se-manifest-schema-'));
    plain = join(base, 'plain');
    sso = join(base, 'sso');
    const url = ['--url', 'https://addin.example.org'];
    const runs = await Promise.all([
      runCli(['manifest', ...url, '--out', plain]),
      runCli(['manifest', ...url, '--client-id', '6f1f8d2e-3b7a-4c1e-9a52-5d0c7e2b9a41', '--out', sso]),
    ]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
  });

  it('the unified manifest the command writes passes, with and without single sign-on', () => {
    expect(schemaFailures(readJson(join(plain, 'manifest.json')))).toEqual([]);
    expect(schemaFailures(readJson(join(sso, 'manifest.json')))).toEqual([]);
  });

  it('the XML manifest the command writes passes once converted', async () => {
    expect(schemaFailures(await converted(join(plain, 'manifest.xml')))).toEqual([]);
    expect(schemaFailures(await converted(join(sso, 'manifest.xml')))).toEqual([]);
  });

  it('the XML manifest the server serves for development passes once converted', async () => {
    expect(schemaFailures(await converted(join(repoRoot, 'manifest.xml')))).toEqual([]);
  });

  it('catches what the admin center would refuse: a ribbon button with a fourth icon', () => {
    const manifest = readJson(join(plain, 'manifest.json')) as {
      manifestVersion: string;
      extensions: { ribbons: { tabs: { groups: { controls: { icons: unknown[] }[] }[] }[] }[] }[];
    };
    const control = manifest.extensions[0]!.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!;
    control.icons = [
      ...control.icons,
      { size: 64, url: 'https://addin.example.org/addin/assets/icon-64.png' },
    ];
    expect(schemaFailures(manifest).join('\n')).toMatch(/controls\/0\/icons must NOT have more than 3 items/);
  });
});
