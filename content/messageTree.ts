import type { ContentProblem, YamlFile } from './yamlFile';
import type { MessageTree } from './schema';

/** `{{name}}` placeholders in a text, sorted, for comparing locales. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]))].sort();
}

export type Leaf = { path: string[]; value: string | string[] };
/** Leaves plus the keys that exist but hold a wrong value (already reported; not "missing"). */
export type Leaves = Leaf[] & { invalidKeys?: Set<string> };

/** Checks the tree's shape (sections of texts) and lists its leaves with their paths. */
export function collectLeaves(file: YamlFile, problems: ContentProblem[]): Leaves {
  const leaves: Leaves = [];
  const invalidKeys = new Set<string>();
  leaves.invalidKeys = invalidKeys;
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node === 'string') {
      if (node.trim() === '') {
        invalidKeys.add(path.join('.'));
        problems.push(file.problemAt(path, `"${path.join('.')}" is empty: write a text`));
      } else leaves.push({ path, value: node });
      return;
    }
    if (Array.isArray(node)) {
      if (node.length === 0 || node.some((item) => typeof item !== 'string' || item.trim() === '')) {
        invalidKeys.add(path.join('.'));
        problems.push(file.problemAt(path, `"${path.join('.')}" should be a list of texts (variants), each in quotes`));
      } else leaves.push({ path, value: node as string[] });
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
      return;
    }
    invalidKeys.add(path.join('.'));
    const kind = node === null || node === undefined ? 'empty' : typeof node;
    problems.push(file.problemAt(path, `"${path.join('.')}" should be a text in quotes, not ${kind === 'empty' ? 'empty' : `a ${kind}`}`));
  };
  if (file.data === null || typeof file.data !== 'object' || Array.isArray(file.data)) {
    problems.push(file.problemAt([], 'the file should hold sections of texts (key: "text")'));
    return leaves;
  }
  walk(file.data, []);
  return leaves;
}

/**
 * Compares a locale's messages with the reference locale's: same keys, same placeholders.
 * The reference (fr-CA) is the product's first language, so its keys are the truth.
 */
export function compareWithReference(reference: { file: YamlFile; leaves: Leaves }, other: { file: YamlFile; leaves: Leaves }): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const refByKey = new Map(reference.leaves.map((leaf) => [leaf.path.join('.'), leaf]));
  const otherByKey = new Map(other.leaves.map((leaf) => [leaf.path.join('.'), leaf]));
  for (const [key, leaf] of refByKey) {
    const twin = otherByKey.get(key);
    if (!twin) {
      if (other.leaves.invalidKeys?.has(key)) continue;
      problems.push(
        other.file.problemAt(leaf.path.slice(0, -1), `"${key}" is missing here (it is in ${reference.file.displayPath} line ${reference.file.lineOf(leaf.path)})`),
      );
      continue;
    }
    const refPlaceholders = placeholdersOf([leaf.value].flat().join(' '));
    const otherPlaceholders = placeholdersOf([twin.value].flat().join(' '));
    if (refPlaceholders.join() !== otherPlaceholders.join()) {
      const show = (names: string[]) => (names.length ? names.map((n) => `{{${n}}}`).join(', ') : 'no placeholder');
      problems.push(
        other.file.problemAt(twin.path, `"${key}" uses ${show(otherPlaceholders)} but ${reference.file.displayPath} uses ${show(refPlaceholders)}`),
      );
    }
  }
  for (const [key, leaf] of otherByKey) {
    if (!refByKey.has(key)) {
      problems.push(other.file.problemAt(leaf.path, `"${key}" is an unknown key: it is not in ${reference.file.displayPath}`));
    }
  }
  return problems;
}

export function toTree(leaves: Leaf[]): MessageTree {
  const tree: MessageTree = {};
  for (const { path, value } of leaves) {
    let node = tree;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as MessageTree;
    node[path[path.length - 1]] = value;
  }
  return tree;
}
