import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CONTENT_DIR = resolve(__dirname, '..', '..', 'content');

/** A throw-away copy of the real content folder, for tests that break a file on purpose. */
export function copyContent(): { dir: string; edit(relative: string, change: (text: string) => string): void; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'petits-pas-content-'));
  const dir = join(root, 'content');
  cpSync(CONTENT_DIR, dir, { recursive: true });
  return {
    dir,
    edit(relative, change) {
      const path = join(dir, relative);
      writeFileSync(path, change(readFileSync(path, 'utf8')));
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
