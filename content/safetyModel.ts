/**
 * Train the learned stage of the risk screen from the example files, with the compiled lexicon
 * (whose matches are features). Deterministic: the same files always give the same model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GLOBAL_COMMAND_WORDS } from '../core/conversation/globalCommands';
import type { CompiledLexicon, Lexicon } from '../core/safety/lexicon';
import { screenForms } from '../core/safety/normalize';
import { DEFAULT_TRAINING, trainRiskModel, type TrainingExample, type TrainingOptions } from '../core/safety/model/train';
import type { RiskModel } from '../core/safety/model/riskModel';
import { riskFeatures } from '../core/safety/screen';
import type { SafetyExample } from './safetyExamples';
import { cachedRiskModel, modelKey, type CachedModel } from './safetyModelCache';

export function trainScreenModel(compiled: CompiledLexicon, examples: readonly SafetyExample[], options: TrainingOptions = DEFAULT_TRAINING): RiskModel {
  const training: TrainingExample[] = examples.map((e) => ({ features: riskFeatures(e.text, compiled, []), level: e.level, category: e.category }));
  return trainRiskModel(training, options);
}

/**
 * The screen's model for this lexicon and these examples: read from `cacheDir` when it holds
 * the model of exactly these inputs (see safetyModelCache.ts), else trained and cached.
 */
export function screenModel(lexicon: Lexicon, compiled: CompiledLexicon, examples: readonly SafetyExample[], cacheDir: string | undefined): CachedModel {
  // The options the key names are the options training gets.
  const options = DEFAULT_TRAINING;
  const key = modelKey([
    JSON.stringify(lexicon),
    JSON.stringify(examples.map((e) => [e.level, e.category ?? '', e.text])),
    JSON.stringify(options),
  ]);
  return cachedRiskModel(cacheDir, key, () => trainScreenModel(compiled, examples, options));
}

/** Bot texts at most this long are phrases people may send back (buttons, titles). */
export const BOT_PHRASE_MAX_WORDS = 8;

/**
 * Skeletons of the short texts in every locale's message files: a person tapping "C'est tout pour
 * cette étape" sends the bot's own words back, which the learned stage must not read as a farewell.
 * The global command words ("urgence", "menu", "stop"…) are in too: the bot answers them as
 * commands ("urgence" shows the crisis lines and asks whether the person is safe), and the model
 * must not turn a command into an alert. Unreadable files give nothing here: the content loader
 * reports them.
 */
export function botPhrases(contentDir: string): Set<string> {
  const phrases = new Set<string>();
  for (const word of GLOBAL_COMMAND_WORDS) {
    const { skeleton } = screenForms(word);
    if (skeleton) phrases.add(skeleton);
  }
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.split(/\s+/).length <= BOT_PHRASE_MAX_WORDS && !node.includes('{{')) {
        const { skeleton } = screenForms(node);
        if (skeleton) phrases.add(skeleton);
      }
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  for (const locale of readdirSync(contentDir, { withFileTypes: true })) {
    if (!locale.isDirectory()) continue;
    for (const name of readdirSync(join(contentDir, locale.name))) {
      if (!name.endsWith('messages.yaml')) continue;
      try {
        visit(parse(readFileSync(join(contentDir, locale.name, name), 'utf8')));
      } catch {
        // reported by the content loader
      }
    }
  }
  return phrases;
}
