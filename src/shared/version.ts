import { readFileSync } from 'node:fs';

/** nnlab's own version, from its package.json. */
export const NNLAB_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
