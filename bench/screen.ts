import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../bot/projectRoot';
import { readCorpus } from '../content/safetyCorpus';
import { loadSafetyLexicon } from '../content/safetyLexicon';
import { formatProblem } from '../content/yamlFile';
import type { CompiledLexicon } from '../core/safety/lexicon';
import { screenMessage } from '../core/safety/screen';
import { loadChatterbotFr, loadCounselChat, publicDataFigures, sharedDataDir, type PublicFigures } from './publicData';

/**
 * Risk-screen benchmark: time per message over a realistic mix (short chat messages, check-ins,
 * longer help-seeking questions, crisis talk), and the public-dataset figures. Prints a small
 * report and returns the figures, so `npm run bench` can include them. No message text is printed.
 */

export interface ScreenBenchFigures {
  readonly screen_us_median: number;
  readonly screen_us_p99: number;
  readonly screen_us_mean: number;
  readonly screen_messages: number;
  readonly screen_chars_median: number;
  readonly public?: PublicFigures;
  readonly publicSkipped?: string;
}

/** A mix of what the bot receives: mostly short chat lines, some long paragraphs. */
export function benchMessages(root: string, dataDir: string): string[] {
  const out: string[] = [];
  const corpusDir = join(root, 'test', 'safety', 'corpus');
  if (existsSync(corpusDir)) out.push(...readCorpus(corpusDir, root).lines.map((l) => l.text));
  const chatter = loadChatterbotFr(dataDir);
  if (chatter) out.push(...chatter);
  const questions = loadCounselChat(dataDir);
  if (questions) {
    out.push(...questions.map((q) => q.title));
    // One long paragraph in ten messages.
    out.push(...questions.slice(0, Math.ceil(out.length / 10)).map((q) => q.text));
  }
  out.push(
    'oui', 'non', 'ok', 'merci', 'menu', '2', 'ça va', 'bof', 'pas eu le temps cette semaine', 'I went for a walk today',
    'chu fatigué à soir', 'je veux mourir', 'I want to die', 'je meurs de rire', 'kms lol', '', '😂😂😂',
  );
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function timeScreening(compiled: CompiledLexicon, messages: readonly string[], rounds = 5): { median: number; p99: number; mean: number } {
  // Warm up the regular expressions and the JIT.
  for (let r = 0; r < 2; r += 1) for (const m of messages) screenMessage(m, compiled);
  const samples = new Float64Array(messages.length * rounds);
  let k = 0;
  let sink = 0;
  for (let r = 0; r < rounds; r += 1) {
    for (const m of messages) {
      const start = process.hrtime.bigint();
      const result = screenMessage(m, compiled);
      const end = process.hrtime.bigint();
      sink += result.matches.length;
      samples[k] = Number(end - start) / 1000;
      k += 1;
    }
  }
  if (sink < 0) process.stdout.write('');
  const total = samples.reduce((s, v) => s + v, 0);
  samples.sort();
  return { median: percentile(samples, 50), p99: percentile(samples, 99), mean: total / samples.length };
}

export function runScreenBench(options: { root?: string; print?: boolean; env?: NodeJS.ProcessEnv } = {}): ScreenBenchFigures {
  const root = options.root ?? projectRoot();
  const print = options.print ?? true;
  const log = (line: string): void => {
    if (print) process.stdout.write(`${line}\n`);
  };
  const loaded = loadSafetyLexicon(join(root, 'content'), root);
  if (!loaded.compiled) {
    throw new Error(`The safety lexicon is invalid:\n${loaded.problems.map(formatProblem).join('\n')}`);
  }
  const compiled = loaded.compiled;
  const dataDir = sharedDataDir(root, options.env);
  const messages = benchMessages(root, dataDir);
  const lengths = messages.map((m) => m.length).sort((a, b) => a - b);
  const timing = timeScreening(compiled, messages);

  log('Risk screen benchmark');
  log(`  messages in the mix: ${messages.length} (median ${lengths[Math.floor(lengths.length / 2)] ?? 0} characters)`);
  log(`  screening time per message: median ${timing.median.toFixed(1)} µs, p99 ${timing.p99.toFixed(1)} µs, mean ${timing.mean.toFixed(1)} µs`);

  let publicFigures: PublicFigures | undefined;
  let publicSkipped: string | undefined;
  if (!existsSync(dataDir)) {
    publicSkipped = `public data not found at ${dataDir} (set SHARED_DATA_DIR); skipped`;
    log(`  ${publicSkipped}`);
  } else {
    publicFigures = publicDataFigures(compiled, dataDir);
    printPublic(publicFigures, log);
  }
  return {
    screen_us_median: round(timing.median),
    screen_us_p99: round(timing.p99),
    screen_us_mean: round(timing.mean),
    screen_messages: messages.length,
    screen_chars_median: lengths[Math.floor(lengths.length / 2)] ?? 0,
    public: publicFigures,
    publicSkipped,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function printPublic(figures: PublicFigures, log: (line: string) => void): void {
  if (figures.cssrs) {
    const c = figures.cssrs;
    log(`  C-SSRS Reddit (${c.users} users, ${c.postsScreened} posts): users with >= 1 flagged post`);
    for (const label of ['Attempt', 'Behavior', 'Ideation', 'Indicator', 'Supportive']) {
      const e = c.byLabel[label];
      if (e) log(`    ${label.padEnd(10)} ${pct(e.share).padStart(7)}  (${e.flagged}/${e.users}; with a crisis post ${e.crisis})`);
    }
    log(`    Ideation+Behavior+Attempt ${pct(c.positiveShare)}; Supportive+Indicator ${pct(c.negativeShare)}`);
  } else {
    log('  C-SSRS Reddit: not found, skipped');
  }
  if (figures.counselChat) {
    const c = figures.counselChat;
    log(`  CounselChat (${c.questions} questions): flagged ${pct(c.riskTopics.share)} of self-harm/suicide topics (${c.riskTopics.flagged}/${c.riskTopics.questions}), ${pct(c.otherTopics.share)} of other topics (${c.otherTopics.flagged}/${c.otherTopics.questions})`);
    const topics = Object.entries(c.byTopic).sort((a, b) => b[1].questions - a[1].questions);
    for (const [topic, t] of topics) log(`    ${topic.padEnd(24)} ${pct(t.share).padStart(7)}  (${t.flagged}/${t.questions})`);
  } else {
    log('  CounselChat: not found, skipped');
  }
  if (figures.chatterbotFr) {
    const c = figures.chatterbotFr;
    log(`  chatterbot_fr: ${pct(c.share)} flagged (${c.flagged}/${c.utterances})`);
  } else {
    log('  chatterbot_fr: not found, skipped');
  }
}

if (require.main === module) {
  try {
    runScreenBench();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
