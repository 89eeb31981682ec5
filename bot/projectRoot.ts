import { basename, resolve } from 'node:path';

/** The project root, whether this file runs from sources (ts-jest) or compiled under dist/. */
export function projectRoot(): string {
  const parent = resolve(__dirname, '..');
  return basename(parent) === 'dist' ? resolve(parent, '..') : parent;
}
