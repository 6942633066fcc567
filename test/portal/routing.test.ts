import { describe, expect, it } from 'vitest';
import { needsSession, parseRoute, routeHash, signInReasonText, type Route } from '../../src/portal/routing';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['', { name: 'start' }],
    ['#', { name: 'start' }],
    ['#/', { name: 'start' }],
    ['#/link', { name: 'link' }],
    ['#/reset', { name: 'reset' }],
    ['#/forgot', { name: 'forgot' }],
    ['#/inbox', { name: 'inbox' }],
    ['#/inbox/', { name: 'inbox' }],
    ['#/sign-in', { name: 'sign-in' }],
    ['#/sign-in?reason=idle', { name: 'sign-in', reason: 'idle' }],
    ['#/sign-in?reason=absolute', { name: 'sign-in', reason: 'absolute' }],
    ['#/sign-in?reason=<script>', { name: 'sign-in' }],
    ['#/thread/th_01HZX', { name: 'thread', id: 'th_01HZX' }],
    ['#/thread/abc%2Fdef', { name: 'not-found' }],
    ['#/thread/..', { name: 'not-found' }],
    ['#/thread/%E0%A4%A', { name: 'not-found' }],
    ['#/thread/', { name: 'not-found' }],
    ['#/thread/a/b', { name: 'not-found' }],
    ['#/new', { name: 'new' }],
    ['#/new?to=rep%40plan.example', { name: 'new', to: 'rep@plan.example' }],
    ['#/link/extra', { name: 'not-found' }],
    ['#/admin', { name: 'not-found' }],
    ['#javascript:alert(1)', { name: 'not-found' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each<Route>([
    { name: 'start' },
    { name: 'link' },
    { name: 'sign-in' },
    { name: 'sign-in', reason: 'password-reset' },
    { name: 'forgot' },
    { name: 'reset' },
    { name: 'inbox' },
    { name: 'thread', id: 'x-1_Y' },
    { name: 'new' },
    { name: 'new', to: 'a+b@clinic.example' },
    { name: 'not-found' },
  ])('round-trips %j', (route) => {
    expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('only the message pages need a session', () => {
    expect(needsSession({ name: 'inbox' })).toBe(true);
    expect(needsSession({ name: 'thread', id: 'a' })).toBe(true);
    expect(needsSession({ name: 'new' })).toBe(true);
    for (const name of ['link', 'forgot', 'reset', 'sign-in', 'start', 'not-found'] as const) {
      expect(needsSession({ name })).toBe(false);
    }
  });

  it('explains every sign-in reason in words, and says nothing without one', () => {
    expect(signInReasonText('idle')).toMatch(/15 minutes/);
    expect(signInReasonText('absolute')).toMatch(/8 hours/);
    expect(signInReasonText('password-reset')).toMatch(/new password/);
    expect(signInReasonText(undefined)).toBeUndefined();
  });
});
