#!/usr/bin/env node
// Runs the TypeScript CLI straight from src/ so `npx secure-envelope` works
// right after `npm ci`, with no build step to remember.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
