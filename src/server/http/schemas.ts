/**
 * Schema-first routes: each route declares its params, query, body and
 * response as zod schemas (from src/shared, which the clients compile
 * against too); Fastify validates requests and serialises responses with
 * them, and the OpenAPI document is written from the same schemas.
 *
 * One formatter turns a failed validation into the API's `{code, message}`:
 * the first issue's field names the code (see shared/field-errors), the
 * message names the field.
 */
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import { fieldErrorCodes } from '../../shared/field-errors';
import { HttpError } from '../errors';

export type { ZodTypeProvider };

/** Validates requests and serialises responses with the routes' zod schemas. */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A route that takes a body of optional fields accepts a request with none.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.routeOptions.schema?.body !== undefined) request.body = {};
    done();
  });
}

/**
 * Turns the routes' zod schemas into the OpenAPI document's JSON schemas.
 * Development-only routes are left out: the document describes what a
 * production server answers.
 */
export const openApiTransform: typeof jsonSchemaTransform = (document) =>
  document.url.startsWith('/dev/')
    ? { schema: { ...document.schema, hide: true }, url: document.url }
    : jsonSchemaTransform(document);

type Context = 'body' | 'params' | 'querystring' | 'headers';

/** The API's answer to a request that failed its route's schema, or undefined for any other error. */
export function validationError(error: unknown, request: FastifyRequest): HttpError | undefined {
  if (!hasZodFastifySchemaValidationErrors(error)) return undefined;
  const issue = error.validation[0]!;
  const path = issue.instancePath.split('/').filter((part) => part !== '');
  const context = (error as { validationContext?: Context }).validationContext ?? 'body';
  const schemas: FastifySchema | undefined = request.routeOptions.schema;
  const schema = schemas?.[context] as z.ZodType | undefined;
  const code = schema === undefined ? undefined : codeAt(schema, path, issue.keyword);
  const where = path.length > 0 ? path.join('.') : context === 'body' ? 'body' : context;
  return new HttpError(code ?? 'VALIDATION_FAILED', `${where}: ${issue.message}`);
}

/**
 * The error code the field at `path` names for this kind of issue: the field
 * itself or a wrapper around it (a default, an optional), not a field that
 * holds it, so a list's "too many" does not speak for its entries.
 */
function codeAt(root: z.ZodType, path: readonly string[], issueCode: string): ErrorCode | undefined {
  let found: ErrorCode | undefined;
  let schema: z.ZodType = root;
  let i = 0;
  for (;;) {
    if (i === path.length) {
      const meta = fieldErrorCodes.get(schema);
      found ??= meta?.[issueCode] ?? meta?.['*'];
    }
    const next = child(schema, i < path.length ? path[i]! : undefined);
    if (next === undefined) break;
    if (next.step) i++;
    schema = next.schema;
  }
  return found;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
}

/**
 * The schema one step further: a wrapper's inner schema (optional, default,
 * a refinement's or a transform's input) without using up a path segment,
 * or an object's field or an array's element for the next segment.
 */
function child(
  schema: z.ZodType,
  segment: string | undefined,
): { schema: z.ZodType; step: boolean } | undefined {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.innerType !== undefined) return { schema: def.innerType, step: false };
  if (def.type === 'pipe' && def.in !== undefined) return { schema: def.in, step: false };
  if (segment === undefined) return undefined;
  if (def.type === 'object' && def.shape !== undefined) {
    const field = def.shape[segment];
    return field === undefined ? undefined : { schema: field, step: true };
  }
  if (def.type === 'array' && def.element !== undefined) return { schema: def.element, step: true };
  if (def.type === 'record' && def.valueType !== undefined) return { schema: def.valueType, step: true };
  return undefined;
}
