import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { loadSafetyLexicon } from '../../content/safetyLexicon';
import { formatProblem } from '../../content/yamlFile';
import type { CompiledLexicon } from '../../core/safety/lexicon';
import { screenMessage } from '../../core/safety/screen';
import { projectRoot } from '../projectRoot';

/**
 * `npm run --silent screen`: risk-screen messages read from stdin, one per line (UTF-8; \n or
 * \r\n; the last line may lack its newline; invalid bytes become U+FFFD), and print exactly one
 * JSON object per input line, in order, as soon as the line is read:
 *   {"level":"none|concern|crisis","categories":[...]}
 * Nothing else goes to stdout; problems go to stderr. Exit code 0, or 2 when the lexicon is invalid.
 * Message texts are never logged.
 */

/** Bytes of one line kept for screening (the screen itself reads the first 4,000 characters). */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export function screenLine(line: string, compiled: CompiledLexicon): string {
  const result = screenMessage(line, compiled);
  return JSON.stringify({ level: result.level, categories: result.categories });
}

/**
 * Splits a byte stream into lines without holding more than MAX_LINE_BYTES of any line, and
 * hands each complete line (decoded) to `onLine`.
 */
export class LineSplitter {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  private pending = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, end));
      this.emit();
      start = end + 1;
    }
  }

  /** End of input: a last line without its newline is still a line. */
  end(): void {
    if (this.pending) this.emit();
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending = true;
    const room = MAX_LINE_BYTES - this.kept;
    if (room <= 0) return;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.parts.push(Buffer.from(part));
    this.kept += part.length;
  }

  private emit(): void {
    let bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.kept);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    this.parts.length = 0;
    this.kept = 0;
    this.pending = false;
    this.onLine(bytes.toString('utf8'));
  }
}

/** Screen `input` line by line into `output`; resolves when the input has ended and all is written. */
export function runScreen(compiled: CompiledLexicon, input: Readable, output: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let batch: string[] = [];
    const splitter = new LineSplitter((line) => batch.push(screenLine(line, compiled)));
    const flush = (): boolean => {
      if (batch.length === 0) return true;
      const text = `${batch.join('\n')}\n`;
      batch = [];
      return output.write(text);
    };
    input.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      if (!flush()) {
        input.pause();
        output.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      splitter.end();
      flush();
      resolve();
    });
    input.on('error', reject);
  });
}

export async function main(): Promise<number> {
  const root = projectRoot();
  const loaded = loadSafetyLexicon(join(root, 'content'), root);
  if (!loaded.compiled) {
    process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\nThe safety lexicon is invalid; nothing was screened.\n`);
    return 2;
  }
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head`): stop quietly.
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`cannot write the results: ${error.message}\n`);
    process.exit(1);
  });
  await runScreen(loaded.compiled, process.stdin, process.stdout);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`screen failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
