import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';

/** One problem found in a content file, phrased for a content editor. */
export interface ContentProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A path as problems show it: relative to the project root when inside it, else as given. */
export function displayPath(path: string, root: string): string {
  const inside = relative(root, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/**
 * A parsed YAML content file that remembers where each value came from, so every later check
 * (zod schema, cross-locale parity, safety corpus) can point an editor at the exact line.
 */
export class YamlFile {
  private constructor(
    readonly path: string,
    readonly displayPath: string,
    readonly data: unknown,
    private readonly document: Document | undefined,
    private readonly lines: LineCounter,
    readonly problems: ContentProblem[],
  ) {}

  static read(path: string, root = process.cwd()): YamlFile {
    const shown = displayPath(path, root);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is missing' : 'the file cannot be read';
      return new YamlFile(path, shown, undefined, undefined, new LineCounter(), [{ file: shown, line: 1, message: reason }]);
    }
    return YamlFile.parse(text, path, shown);
  }

  static parse(text: string, path: string, displayPath = path): YamlFile {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    const problems: ContentProblem[] = [...document.errors, ...document.warnings].map((e) => ({
      file: displayPath,
      line: e.linePos?.[0]?.line ?? 1,
      message: `this is not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`,
    }));
    const data = problems.length === 0 ? document.toJS() : undefined;
    return new YamlFile(path, displayPath, data, document, lines, problems);
  }

  /** The line where the value at `path` starts, or the nearest existing parent's line. */
  lineOf(path: ReadonlyArray<string | number>): number {
    if (!this.document) return 1;
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
      // A key whose value is null has no node range; point at the key itself.
      const parent = depth > 0 ? this.document.getIn(path.slice(0, depth - 1), true) : undefined;
      if (parent && typeof parent === 'object' && 'items' in parent) {
        const pair = (parent.items as Array<{ key?: unknown }>).find(
          (item) => isNode(item.key) && (item.key as { value?: unknown }).value === path[depth - 1],
        );
        if (pair && isNode(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]).line;
      }
    }
    return 1;
  }

  problemAt(path: ReadonlyArray<string | number>, message: string): ContentProblem {
    return { file: this.displayPath, line: this.lineOf(path), message };
  }
}
