import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Path of a compiled entry point; the test command builds before jest runs. */
export function distEntry(relative: string): string {
  const path = join(PROJECT_ROOT, 'dist', relative);
  if (!existsSync(path)) throw new Error(`${relative} is not built: run "npm run build" (npm test does it first)`);
  return path;
}
