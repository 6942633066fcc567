/**
 * Routes are schema-first: each declares what it takes and what it answers,
 * and the OpenAPI document written to docs/api is made from those schemas.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeApi } from '../../src/server/http/openapi';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/** Routes that answer pages, scripts, files or redirects rather than JSON. */
const NOT_JSON =
  /^\/(?:addin\/|r\/|portal\/?$|portal\/(?:reset|assets|sign-in-link|\{\*\})|portal\/api\/(?:messages\/\{messageId\}\/attachments|\{\*\}))|^\/\.well-known\//;

describe('the OpenAPI document', () => {
  it('is what the routes declare today: run `npm run openapi` after changing a route', async () => {
    const written: unknown = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../docs/api/openapi.json'), 'utf8'),
    );
    expect(await describeApi()).toEqual(written);
  });

  it('describes every JSON route with its answer, every path parameter and every body', async () => {
    const paths = (await describeApi()) as { paths: Paths };
    const described = Object.entries(paths.paths);
    expect(described.length).toBeGreaterThan(25);
    const missing: string[] = [];
    for (const [path, methods] of described) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
          if (!(op.parameters ?? []).some((p) => p.in === 'path' && p.name === name))
            missing.push(`${where}: path parameter ${name}`);
        }
        if (
          method === 'post' &&
          path !== '/portal/api/sign-out' &&
          op.requestBody === undefined &&
          !NOT_JSON.test(path)
        )
          missing.push(`${where}: request body`);
        if (NOT_JSON.test(path) || path === '/portal/api/sign-out' || path === '/portal/api/password/reset')
          continue;
        const ok = Object.entries(op.responses ?? {}).some(
          ([status, r]) => status.startsWith('2') && r.content?.['application/json']?.schema !== undefined,
        );
        if (!ok) missing.push(`${where}: response schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('leaves the development-only routes out', async () => {
    const doc = (await describeApi()) as { paths: Paths };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dev/'))).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/v1/envelopes');
  });
});
