/**
 * One formatter answers every route's failed validation with the registry's
 * code, chosen by the field that failed, and a message that names the field.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEnvelopeRequest, idempotencyHeaders } from '../../src/shared/api';
import { fieldErrorCodes } from '../../src/shared/field-errors';
import { tlsCheckRequest } from '../../src/shared/tls-verdict';
import { useZodSchemas, validationError, type ZodTypeProvider } from '../../src/server/http/schemas';

const nested = z.object({
  batch: z
    .array(z.string().max(5).register(fieldErrorCodes, { too_big: 'INVALID_DOMAIN' }))
    .max(2)
    .register(fieldErrorCodes, { too_big: 'TOO_MANY_DOMAINS' })
    .optional(),
});

describe('validation errors', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    useZodSchemas(app);
    app.setErrorHandler((error, request, reply) => {
      const invalid = validationError(error, request);
      if (invalid === undefined) return reply.status(500).send({ code: 'INTERNAL' });
      return reply.status(invalid.status).send(invalid.toJSON());
    });
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.post(
      '/envelopes',
      { schema: { headers: idempotencyHeaders, body: createEnvelopeRequest } },
      () => ({}),
    );
    api.post('/tls', { schema: { body: tlsCheckRequest } }, () => ({}));
    api.post('/nested', { schema: { body: nested } }, (request) => ({ got: request.body.batch ?? [] }));
    api.get('/items/:n', { schema: { params: z.object({ n: z.coerce.number().int().min(1) }) } }, (r) => ({
      n: r.params.n,
    }));
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  const key = { 'idempotency-key': 'abcdefgh-1234' };

  it('names the code of the field that failed, with the field in the message', async () => {
    const bad = await post(
      '/envelopes',
      { from: 'rep@plan.example', to: ['ok@clinic.example', 'not an address'] },
      key,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'INVALID_ADDRESS',
      message: expect.stringContaining('to.1:') as string,
    });

    const none = await post('/envelopes', { from: 'rep@plan.example' }, key);
    expect(none.json()).toMatchObject({
      code: 'INVALID_ADDRESS',
      message: expect.stringContaining('recipient') as string,
    });

    const many = await post(
      '/envelopes',
      { from: 'rep@plan.example', to: Array.from({ length: 501 }, (_, i) => `r${i}@clinic.example`) },
      key,
    );
    expect(many.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('to:') as string,
    });

    const unknown = await post(
      '/envelopes',
      { from: 'rep@plan.example', to: ['a@b.example'], colour: 'red' },
      key,
    );
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(unknown.json<{ message: string }>().message).toContain('colour');
  });

  it('reads headers and path parameters with the same formatter', async () => {
    const noKey = await post('/envelopes', { from: 'rep@plan.example', to: ['a@b.example'] });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REQUIRED',
      message: expect.stringContaining('Idempotency-Key') as string,
    });
    const param = await app.inject({ method: 'GET', url: '/items/0' });
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('n:') as string,
    });
    expect((await app.inject({ method: 'GET', url: '/items/7' })).json()).toEqual({ n: 7 });
  });

  it("takes a list's code for the list only, and an entry's for the entry", async () => {
    expect((await post('/nested', { batch: ['a', 'b', 'c'] })).json()).toMatchObject({
      code: 'TOO_MANY_DOMAINS',
    });
    expect((await post('/nested', { batch: ['a', 'toolong'] })).json()).toMatchObject({
      code: 'INVALID_DOMAIN',
    });
    expect((await post('/tls', { domains: ['x'.repeat(1001)] })).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      (await post('/tls', { domains: Array.from({ length: 501 }, () => 'a.example') })).json(),
    ).toMatchObject({
      code: 'TOO_MANY_DOMAINS',
    });
  });

  it('takes a request with no body as one with no fields', async () => {
    const empty = await app.inject({ method: 'POST', url: '/nested' });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ got: [] });
  });
});
