/**
 * Writes the API's OpenAPI document, made from the routes' schemas, to
 * docs/api/openapi.json, so a change to the API shows as a diff in review:
 *
 *   npm run openapi
 *
 * A test fails when the written file and the routes disagree.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeApi } from '../src/server/http/openapi';

const target = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/api/openapi.json');
await writeFile(target, JSON.stringify(await describeApi(), null, 2) + '\n');
console.log(`wrote ${target}`);
