/**
 * Proof that the detection engine runs where the on-send handler runs: a
 * JavaScript-only runtime that, on older Outlook builds, knows ES2016 and no
 * more (no lookbehind, named groups, `s` flag or `\p{}` in regular
 * expressions; no padStart, Object.entries, flat and the like).
 *
 * Four independent checks, since each catches what the others miss:
 * - the type checker with an ES2016 target and library (newer methods, named
 *   groups, newer flags; it does not flag lookbehind or `\p{}`);
 * - every regular-expression literal left in an ES2016 bundle, validated as
 *   ES2016 syntax (a bundler turns literals it cannot lower into `new RegExp`);
 * - every pattern given to `new RegExp` while the bundle runs, validated the
 *   same way;
 * - the bundle run over the whole corpus in a context stripped of built-ins
 *   newer than ES2016, giving exactly the findings of the engine run in Node.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createContext, runInContext, type Context } from 'node:vm';
import { RegExpValidator } from '@eslint-community/regexpp';
import { build } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanMessage } from '../../src/detect/index';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = resolve(ROOT, 'src/detect/index.ts');
const CORPUS = resolve(ROOT, '../shared/corpus/dev.jsonl');
const GLOBAL_NAME = 'SecureEnvelopeDetect';

const validator = new RegExpValidator({ ecmaVersion: 2016 });

/** Why `source` with `flags` is not an ES2016 regular expression, or undefined. */
function es2016Problem(source: string, flags: string): string | undefined {
  try {
    validator.validateFlags(flags);
    validator.validatePattern(source, 0, source.length, { unicode: flags.includes('u') });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Row {
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
}

function loadCorpus(): Row[] {
  return readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { subject, body, bodyType } = JSON.parse(line) as Row;
      return { subject, body, bodyType };
    });
}

function typeErrors(configPath: string): { files: string[]; options: ts.CompilerOptions; errors: string[] } {
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  };
  const configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d) },
  );
  if (parsed === undefined) {
    return { files: [], options: {}, errors: configErrors.map((d) => ts.formatDiagnostic(d, formatHost)) };
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const diagnostics = [...configErrors, ...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return {
    files: program.getRootFileNames().map((f) => relative(ROOT, f)),
    options: parsed.options,
    errors: diagnostics.map((d) => ts.formatDiagnostic(d, formatHost).trim()),
  };
}

/** Every regular-expression literal in a script, as written (`/…/flags`). */
function regexLiterals(code: string): string[] {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText(file));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The regular-expression literals of a script that are not ES2016, each with the reason. */
function literalProblems(code: string): string[] {
  return regexLiterals(code)
    .map((literal) => {
      try {
        validator.validateLiteral(literal);
        return undefined;
      } catch (e) {
        return `${literal}: ${e instanceof Error ? e.message : String(e)}`;
      }
    })
    .filter((p) => p !== undefined);
}

/**
 * Installed in the context before the bundle runs: a `RegExp` that reports
 * every pattern it is given, and the removal of built-ins newer than ES2016.
 * Returns the names that could not be removed. Plain ES5 on purpose.
 */
const PREPARE_CONTEXT = `(function (report) {
  var NativeRegExp = RegExp;
  var Checked = new Proxy(NativeRegExp, {
    construct: function (target, args, newTarget) {
      report(args[0], args[1]);
      return Reflect.construct(target, args, newTarget === Checked ? target : newTarget);
    },
    apply: function (target, self, args) {
      report(args[0], args[1]);
      return Reflect.apply(target, self, args);
    }
  });
  var typedArray = Object.getPrototypeOf(Int8Array.prototype);
  var newer = [
    ['String.prototype', String.prototype, ['padStart', 'padEnd', 'trimStart', 'trimEnd', 'trimLeft',
      'trimRight', 'matchAll', 'replaceAll', 'at', 'isWellFormed', 'toWellFormed']],
    ['Object', Object, ['entries', 'values', 'fromEntries', 'getOwnPropertyDescriptors', 'hasOwn', 'groupBy']],
    ['Array.prototype', Array.prototype, ['flat', 'flatMap', 'at', 'findLast', 'findLastIndex', 'toReversed',
      'toSorted', 'toSpliced', 'with']],
    ['Array', Array, ['fromAsync']],
    ['TypedArray.prototype', typedArray, ['at', 'findLast', 'findLastIndex', 'toReversed', 'toSorted', 'with']],
    ['Promise.prototype', Promise.prototype, ['finally']],
    ['Promise', Promise, ['allSettled', 'any', 'withResolvers']],
    ['Symbol.prototype', Symbol.prototype, ['description']],
    ['Map', Map, ['groupBy']],
    ['RegExp.prototype', NativeRegExp.prototype, [Symbol.matchAll]],
    ['global', this, ['structuredClone', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'WeakRef',
      'FinalizationRegistry', 'AggregateError', 'SharedArrayBuffer', 'Atomics', 'Iterator', 'globalThis']]
  ];
  var left = [];
  for (var i = 0; i < newer.length; i++) {
    for (var j = 0; j < newer[i][2].length; j++) {
      var key = newer[i][2][j];
      delete newer[i][1][key];
      if (key in newer[i][1]) left.push(newer[i][0] + '.' + String(key));
    }
  }
  this.RegExp = Checked;
  return left;
})`;

interface ContextRun {
  /** Built-ins newer than ES2016 that could not be removed. */
  leftovers: string[];
  /** Patterns given to `new RegExp`, with the reason each is not ES2016 (if it is not). */
  patterns: { source: string; flags: string; problem?: string }[];
  /** JSON of the scan results, one per corpus row. */
  results: string;
}

/** A fresh context prepared by PREPARE_CONTEXT, holding `sandbox`. */
function es2016Context(sandbox: Record<string, unknown>): Omit<ContextRun, 'results'> & { context: Context } {
  const patterns: ContextRun['patterns'] = [];
  const report = (pattern: unknown, flagsArg: unknown): void => {
    // The engine passes strings or regular expressions (from the context's realm, so no instanceof).
    const regExp =
      Object.prototype.toString.call(pattern) === '[object RegExp]' ? (pattern as RegExp) : undefined;
    const source = regExp?.source ?? (typeof pattern === 'string' ? pattern : '');
    const flags = typeof flagsArg === 'string' ? flagsArg : (regExp?.flags ?? '');
    const problem = es2016Problem(source, flags);
    patterns.push(problem === undefined ? { source, flags } : { source, flags, problem });
  };
  const context = createContext(sandbox);
  const prepare = runInContext(PREPARE_CONTEXT, context) as (r: typeof report) => string[];
  return { context, leftovers: prepare.call(context, report), patterns };
}

function runInEs2016Context(bundle: string, rows: readonly Row[]): ContextRun {
  const { context, leftovers, patterns } = es2016Context({ rowsJson: JSON.stringify(rows) });
  runInContext(bundle, context, { filename: 'detect.es2016.js' });
  const results = runInContext(
    `JSON.stringify(JSON.parse(rowsJson).map(function (row) { return ${GLOBAL_NAME}.scanMessage(row); }))`,
    context,
  ) as string;
  return { leftovers, patterns, results };
}

describe('detection engine under ES2016', () => {
  let bundle = '';
  let bundleInputs: string[] = [];
  let bundleErrors: string[] = [];

  beforeAll(async () => {
    const result = await build({
      entryPoints: [ENTRY],
      absWorkingDir: ROOT,
      bundle: true,
      format: 'iife',
      globalName: GLOBAL_NAME,
      target: 'es2016',
      platform: 'neutral',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]?.text ?? '';
    bundleInputs = Object.keys(result.metafile.inputs);
    bundleErrors = result.errors.map((e) => e.text);
  });

  it('type-checks with an ES2016 target and library', () => {
    const { files, options, errors } = typeErrors(resolve(ROOT, 'tsconfig.detect.json'));
    expect(options.target).toBe(ts.ScriptTarget.ES2016);
    expect(options.lib).toEqual(['lib.es2016.d.ts']);
    expect(files).toContain('src/detect/index.ts');
    expect(errors).toEqual([]);
  });

  it('bundles into one ES2016 file from detect and shared alone', () => {
    expect(bundleErrors).toEqual([]);
    expect(bundle).toContain(GLOBAL_NAME);
    expect(bundleInputs.filter((f) => !/^src\/(?:detect|shared)\//.test(f))).toEqual([]);
  });

  it('keeps only ES2016 regular-expression literals in the bundle', () => {
    expect(regexLiterals(bundle).length).toBeGreaterThan(10);
    expect(literalProblems(bundle)).toEqual([]);
  });

  it('has checks that see newer syntax and built-ins (self-test)', () => {
    // esbuild turns literals it cannot lower into `new RegExp`, so these show the
    // literal check works even though the engine's bundle may never trip it.
    expect(
      literalProblems('var a = /(?<=\\$)\\d+/, b = /(?<year>\\d{4})/, c = /a.b/s, d = /\\p{L}/u;'),
    ).toHaveLength(4);
    expect(literalProblems('var a = /\\b\\d{3}([- ])\\d{2}\\1\\d{4}\\b/gy, b = /[\\u{1F600}]/u;')).toEqual(
      [],
    );
    const { context, patterns } = es2016Context({});
    const typeOf = runInContext(
      "new RegExp('(?<=a)b'); RegExp('x', 's'); new RegExp(/c/, 'g'); typeof ''.padStart + typeof Object.entries",
      context,
    ) as string;
    expect(typeOf).toBe('undefinedundefined');
    expect(patterns.map((p) => p.problem !== undefined)).toEqual([true, true, false]);
  });

  describe('run in a context without built-ins newer than ES2016', () => {
    const rows = loadCorpus();
    let run: ContextRun = { leftovers: [], patterns: [], results: '[]' };

    beforeAll(() => {
      run = runInEs2016Context(bundle, rows);
    });

    it('removes every newer built-in before the engine loads', () => {
      expect(run.leftovers).toEqual([]);
    });

    it('builds only ES2016 patterns with new RegExp', () => {
      expect(run.patterns.length).toBeGreaterThan(0);
      expect(run.patterns.filter((p) => p.problem !== undefined)).toEqual([]);
    });

    it('finds on the whole corpus exactly what the engine finds in Node', () => {
      expect(rows.length).toBeGreaterThan(0);
      const expected = rows.map((row) => scanMessage(row));
      expect(JSON.parse(run.results)).toEqual(JSON.parse(JSON.stringify(expected)));
    });
  });
});
