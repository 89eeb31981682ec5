import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CompiledLexicon } from '../core/safety/lexicon';
import { screenMessage } from '../core/safety/screen';

/**
 * Public labelled data (../shared/data relative to the project root, or SHARED_DATA_DIR) read
 * for measuring the risk screen. None of it was written for the product; it is used to measure,
 * never copied into the lexicon. Message texts are never printed, only shares.
 */

export function sharedDataDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.SHARED_DATA_DIR ? resolve(env.SHARED_DATA_DIR) : resolve(root, '..', 'shared', 'data');
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: quoted fields with commas, doubled quotes and new lines; \r\n or \n)

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field.length === 0) {
      quoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (field.length > 0 || row.length > 0) endRow();
  return rows;
}

/** Rows as objects keyed by the header line. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

/**
 * The strings of a Python list literal (['a', "b\'s"]). Lenient: a list cut short (the C-SSRS
 * file has cells truncated at 32,759 characters) yields the strings that are complete.
 */
export function parsePythonStringList(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('[');
  if (i < 0) return out;
  i += 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"') {
      const quote = ch;
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const c = text[j] as string;
        if (c === '\\' && j + 1 < n) {
          const next = text[j + 1] as string;
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
          if (next in simple) {
            value += simple[next];
            j += 2;
          } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(j + 2, j + 4))) {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 4), 16));
            j += 4;
          } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
          } else {
            value += next;
            j += 2;
          }
          continue;
        }
        if (c === quote) {
          closed = true;
          break;
        }
        value += c;
        j += 1;
      }
      if (!closed) break;
      out.push(value);
      i = j + 1;
    } else if (ch === ']') {
      break;
    } else {
      i += 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loaders

export interface CssrsUser {
  readonly user: string;
  readonly label: string;
  readonly posts: readonly string[];
}

export function loadCssrs(dataDir: string): CssrsUser[] | undefined {
  const path = join(dataDir, 'cssrs_reddit_500', '500_Reddit_users_posts_labels.csv');
  if (!existsSync(path)) return undefined;
  return csvRecords(readFileSync(path, 'utf8')).map((r) => ({
    user: r.User ?? '',
    label: (r.Label ?? '').trim(),
    posts: parsePythonStringList(r.Post ?? ''),
  }));
}

export interface CounselQuestion {
  readonly id: string;
  /** A question may be filed under several topics (one CSV row per answer). */
  readonly topics: readonly string[];
  readonly title: string;
  readonly text: string;
}

export function loadCounselChat(dataDir: string): CounselQuestion[] | undefined {
  const path = join(dataDir, 'counsel_chat', '20200325_counsel_chat.csv');
  if (!existsSync(path)) return undefined;
  const seen = new Map<string, { id: string; topics: string[]; title: string; text: string }>();
  for (const r of csvRecords(readFileSync(path, 'utf8'))) {
    const id = r.questionID ?? '';
    if (!id) continue;
    const topic = (r.topic ?? '').trim() || 'unknown';
    const known = seen.get(id);
    if (known) {
      if (!known.topics.includes(topic)) known.topics.push(topic);
      continue;
    }
    seen.set(id, { id, topics: [topic], title: r.questionTitle ?? '', text: r.questionText ?? '' });
  }
  return [...seen.values()];
}

/** Every utterance of the French ChatterBot conversations (all implicitly ordinary). */
export function loadChatterbotFr(dataDir: string): string[] | undefined {
  const dir = join(dataDir, 'chatterbot_fr');
  if (!existsSync(dir)) return undefined;
  const out: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort()) {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const conversations = (data as { conversations?: unknown } | null)?.conversations;
    if (!Array.isArray(conversations)) continue;
    for (const conversation of conversations) {
      if (!Array.isArray(conversation)) continue;
      for (const line of conversation) if (typeof line === 'string' || typeof line === 'number') out.push(String(line));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Figures

export interface PublicFigures {
  /** Share of users with at least one flagged post, per C-SSRS label (and grouped). */
  readonly cssrs?: {
    readonly users: number;
    readonly postsScreened: number;
    readonly byLabel: Record<string, { users: number; flagged: number; crisis: number; share: number }>;
    readonly positiveShare: number;
    readonly negativeShare: number;
  };
  /** Share of unique questions flagged, per topic (a question counts in each of its topics), with self-harm/suicide topics apart. */
  readonly counselChat?: {
    readonly questions: number;
    readonly byTopic: Record<string, { questions: number; flagged: number; share: number }>;
    readonly riskTopics: { questions: number; flagged: number; share: number };
    readonly otherTopics: { questions: number; flagged: number; share: number };
  };
  readonly chatterbotFr?: { readonly utterances: number; readonly flagged: number; readonly share: number };
}

const POSITIVE = ['Ideation', 'Behavior', 'Attempt'];
const NEGATIVE = ['Supportive', 'Indicator'];
/** CounselChat topics about self-harm or suicide (the rest are ordinary help-seeking). */
const RISK_TOPIC = /self-harm|suicid/i;

function flagged(text: string, compiled: CompiledLexicon): 'none' | 'concern' | 'crisis' {
  return screenMessage(text, compiled).level;
}

export function publicDataFigures(compiled: CompiledLexicon, dataDir: string): PublicFigures {
  const figures: { -readonly [K in keyof PublicFigures]: PublicFigures[K] } = {};

  const users = loadCssrs(dataDir);
  if (users) {
    const byLabel: Record<string, { users: number; flagged: number; crisis: number; share: number }> = {};
    let postsScreened = 0;
    for (const u of users) {
      const entry = (byLabel[u.label] ??= { users: 0, flagged: 0, crisis: 0, share: 0 });
      entry.users += 1;
      let any = false;
      let crisis = false;
      for (const post of u.posts) {
        postsScreened += 1;
        const level = flagged(post, compiled);
        if (level !== 'none') any = true;
        if (level === 'crisis') crisis = true;
      }
      if (any) entry.flagged += 1;
      if (crisis) entry.crisis += 1;
    }
    for (const e of Object.values(byLabel)) e.share = e.users ? e.flagged / e.users : 0;
    const sum = (labels: string[], key: 'users' | 'flagged'): number => labels.reduce((s, l) => s + (byLabel[l]?.[key] ?? 0), 0);
    figures.cssrs = {
      users: users.length,
      postsScreened,
      byLabel,
      positiveShare: sum(POSITIVE, 'flagged') / Math.max(1, sum(POSITIVE, 'users')),
      negativeShare: sum(NEGATIVE, 'flagged') / Math.max(1, sum(NEGATIVE, 'users')),
    };
  }

  const questions = loadCounselChat(dataDir);
  if (questions) {
    const byTopic: Record<string, { questions: number; flagged: number; share: number }> = {};
    const risk = { questions: 0, flagged: 0, share: 0 };
    const other = { questions: 0, flagged: 0, share: 0 };
    for (const q of questions) {
      const isFlagged = flagged(`${q.title}\n${q.text}`, compiled) !== 'none';
      for (const name of q.topics) {
        const topic = (byTopic[name] ??= { questions: 0, flagged: 0, share: 0 });
        topic.questions += 1;
        if (isFlagged) topic.flagged += 1;
      }
      const group = q.topics.some((t) => RISK_TOPIC.test(t)) ? risk : other;
      group.questions += 1;
      if (isFlagged) group.flagged += 1;
    }
    for (const t of [...Object.values(byTopic), risk, other]) t.share = t.questions ? t.flagged / t.questions : 0;
    figures.counselChat = { questions: questions.length, byTopic, riskTopics: risk, otherTopics: other };
  }

  const utterances = loadChatterbotFr(dataDir);
  if (utterances) {
    const count = utterances.filter((u) => flagged(u, compiled) !== 'none').length;
    figures.chatterbotFr = { utterances: utterances.length, flagged: count, share: utterances.length ? count / utterances.length : 0 };
  }
  return figures;
}
