import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MessageTree } from './schema';
import type { ContentProblem } from './yamlFile';

/**
 * Finds message keys the code uses ('welcome.hello', `menu.options.${x}` excluded) and checks the
 * reference messages still hold them, so an editor who deletes a text in both locales hears about
 * it from the content check instead of from a person seeing a raw key.
 */
export function checkKeysUsedByCode(codeDirs: readonly string[], root: string, messages: MessageTree): ContentProblem[] {
  const sections = Object.keys(messages);
  if (sections.length === 0) return [];
  const literal = new RegExp(`['"](?:${sections.map(escape).join('|')})\\.[A-Za-z0-9_.]+['"]`, 'g');
  const problems: ContentProblem[] = [];
  for (const file of codeDirs.flatMap((dir) => listSources(dir))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(literal)) {
        const key = match[0].slice(1, -1);
        if (key.endsWith('.') || resolveKey(messages, key) !== undefined) continue;
        problems.push({
          file: relative(root, file),
          line: index + 1,
          message: `the code uses the text "${key}" but content/fr-CA/messages.yaml has no such key`,
        });
      }
    });
  }
  return problems;
}

function resolveKey(tree: MessageTree, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function listSources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
