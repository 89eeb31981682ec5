/**
 * The person's side of linking with a clinician: type the one-time code the clinician gave them
 * (mode 'link', the default), or remove the link (mode 'unlink').
 *
 * Linking needs the consent to keep data and the consent to share with a clinician. Without the
 * first, the person is told how to revisit it; without the second, they are asked here with the
 * onboarding's own consent texts (so the recorded consent version is the one they read). A code is
 * read from what they type ("abcd-efgh", "mon code est ABCD EFGH"); three misses end the dialog
 * with a kind word, as do an expired or already used code. Nothing is linked on any doubt.
 *
 * Texts: clinician.person.* (content/<locale>/clinician.messages.yaml) and onboarding.consent.*.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts, TextVars } from '../content/texts';
import { extractLinkCode } from '../core/clinicians/linkCode';
import { mayShare, mayStore, record } from '../core/consent/consent';
import { simplify } from '../core/conversation/globalCommands';
import { readYesNo } from '../core/conversation/yesNo';
import type { PersonProfile } from '../core/people/profile';
import { DialogIds } from './dialogIds';
import { buttonPromptOptions, chosenIndex, MAX_MISSES } from './prompts/buttonPrompt';
import { turnLocale } from './turnLocale';

/** What the dialog needs of the link service (bot/clinicians/ClinicianLinks fits it). */
export interface LinkCodePort {
  redeem(input: {
    readonly code: string;
    readonly personKey: string;
    readonly mayShare: boolean;
    readonly userStateKey?: string;
    readonly now?: Date;
  }): Promise<{ readonly outcome: 'linked'; readonly relinked: boolean } | { readonly outcome: 'invalid' | 'expired' | 'used' | 'noConsent' }>;
  linkOf(personKey: string): Promise<{ readonly linkedAt: string } | undefined>;
  unlinkPerson(personKey: string): Promise<boolean>;
}

export interface LinkCodeDialogDeps {
  readonly texts: Texts;
  readonly profile: StatePropertyAccessor<PersonProfile>;
  readonly consentVersion: string;
  readonly links: LinkCodePort;
  /** The person's keys: personRefOf from bot/turnKeys fits. */
  readonly personRefOf: (context: TurnContext) => { readonly personKey: string; readonly userStateKey?: string };
  readonly now?: () => Date;
}

export interface LinkCodeDialogOptions {
  readonly mode?: 'link' | 'unlink';
  /** A code the person already typed ("code ABCD-EFGH"): no need to ask for it. */
  readonly code?: string;
}

export type LinkCodeDialogResult = { readonly linked: boolean } | { readonly unlinked: boolean };

/** Wrong codes accepted before the dialog gives up. */
export const MAX_CODE_ATTEMPTS = 3;

interface LinkState {
  readonly code?: string;
  readonly attempts?: number;
  readonly consentAsked?: boolean;
}

export class LinkCodeDialog extends ComponentDialog {
  private readonly now: () => Date;

  constructor(private readonly deps: LinkCodeDialogDeps) {
    super(DialogIds.linkCode);
    this.now = deps.now ?? (() => new Date());
    this.addDialog(new YesNoPrompt(DialogIds.linkCodeYesNo));
    this.addDialog(new TextPrompt(DialogIds.linkCodePrompt));
    this.addDialog(new WaterfallDialog(DialogIds.linkCodeWaterfall, [this.checkConsent, this.readConsent, this.askCode, this.redeem].map((s) => s.bind(this))));
    this.addDialog(new WaterfallDialog(DialogIds.linkCodeUnlink, [this.askUnlink, this.readUnlink].map((s) => s.bind(this))));
    this.initialDialogId = DialogIds.linkCodeWaterfall;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: LinkCodeDialogOptions): Promise<DialogTurnResult> {
    if (options?.mode === 'unlink') return innerDc.beginDialog(DialogIds.linkCodeUnlink);
    return innerDc.beginDialog(DialogIds.linkCodeWaterfall, { code: options?.code } satisfies LinkState);
  }

  private t(context: TurnContext, key: string, vars?: TextVars): string {
    return this.deps.texts.t(turnLocale(context), key, vars);
  }

  private say(context: TurnContext, key: string, vars?: TextVars): Promise<unknown> {
    return context.sendActivity(this.t(context, `clinician.person.${key}`, vars));
  }

  private shareTitles(context: TurnContext): string[] {
    return [this.t(context, 'onboarding.consent.shareYes'), this.t(context, 'onboarding.consent.shareNo')];
  }

  // Linking ----------------------------------------------------------------------------------

  private async checkConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.deps.profile.get(step.context, {});
    if (!mayStore(profile.consents, this.deps.consentVersion)) {
      await this.say(step.context, 'needStore');
      return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
    }
    if (mayShare(profile.consents, this.deps.consentVersion)) return step.next();
    (step.values as { consentAsked?: boolean }).consentAsked = true;
    await step.context.sendActivity(this.t(step.context, 'onboarding.consent.share'));
    return step.prompt(
      DialogIds.linkCodeYesNo,
      buttonPromptOptions(this.t(step.context, 'onboarding.consent.shareAsk'), this.shareTitles(step.context), this.t(step.context, 'onboarding.unknown')),
    );
  }

  private async readConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(step.values as { consentAsked?: boolean }).consentAsked) return step.next();
    const index = chosenIndex(step.result, this.shareTitles(step.context));
    // Consent is never assumed: only a clear yes is a yes.
    const granted = index === 0 || (index === -1 && readYesNo(String(step.result ?? '')) === 'yes');
    const profile = await this.deps.profile.get(step.context, {});
    profile.consents = { ...profile.consents, share: record(granted, this.deps.consentVersion, this.now()) };
    await this.deps.profile.set(step.context, profile);
    if (!granted) {
      await this.say(step.context, 'shareDeclined');
      return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
    }
    return step.next();
  }

  private async askCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const given = extractLinkCode((step.options as LinkState | undefined)?.code);
    if (given) return step.next(given);
    return step.prompt(DialogIds.linkCodePrompt, { prompt: this.t(step.context, 'clinician.person.askCode') });
  }

  private async redeem(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = (step.options ?? {}) as LinkState;
    const attempts = (state.attempts ?? 0) + 1;
    const code = extractLinkCode(typeof step.result === 'string' ? step.result : '');
    if (!code) return this.tryAgain(step, attempts, 'badShape');
    const profile = await this.deps.profile.get(step.context, {});
    const ref = this.deps.personRefOf(step.context);
    let result;
    try {
      result = await this.deps.links.redeem({
        code,
        personKey: ref.personKey,
        userStateKey: ref.userStateKey,
        mayShare: mayShare(profile.consents, this.deps.consentVersion),
        now: this.now(),
      });
    } catch {
      await this.say(step.context, 'unavailable');
      return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
    }
    switch (result.outcome) {
      case 'linked':
        await this.say(step.context, result.relinked ? 'relinked' : 'linked');
        return step.endDialog({ linked: true } satisfies LinkCodeDialogResult);
      case 'invalid':
        return this.tryAgain(step, attempts, 'invalid');
      case 'expired':
      case 'used':
        await this.say(step.context, result.outcome);
        return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
      case 'noConsent':
      default:
        await this.say(step.context, 'shareDeclined');
        return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
    }
  }

  private async tryAgain(step: WaterfallStepContext, attempts: number, key: 'badShape' | 'invalid'): Promise<DialogTurnResult> {
    if (attempts >= MAX_CODE_ATTEMPTS) {
      await this.say(step.context, 'giveUp');
      return step.endDialog({ linked: false } satisfies LinkCodeDialogResult);
    }
    await this.say(step.context, key);
    return step.replaceDialog(DialogIds.linkCodeWaterfall, { attempts } satisfies LinkState);
  }

  // Unlinking --------------------------------------------------------------------------------

  private unlinkTitles(context: TurnContext): string[] {
    return [this.t(context, 'clinician.person.unlinkYes'), this.t(context, 'clinician.person.unlinkNo')];
  }

  private async askUnlink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    let link;
    try {
      link = await this.deps.links.linkOf(this.deps.personRefOf(step.context).personKey);
    } catch {
      await this.say(step.context, 'unavailable');
      return step.endDialog({ unlinked: false } satisfies LinkCodeDialogResult);
    }
    if (!link) {
      await this.say(step.context, 'notLinked');
      return step.endDialog({ unlinked: false } satisfies LinkCodeDialogResult);
    }
    const profile = await this.deps.profile.get(step.context, {});
    const date = formatDate(link.linkedAt, turnLocale(step.context), profile.timeZone);
    return step.prompt(
      DialogIds.linkCodeYesNo,
      buttonPromptOptions(this.t(step.context, 'clinician.person.unlinkAsk', { date }), this.unlinkTitles(step.context), this.t(step.context, 'onboarding.unknown')),
    );
  }

  private async readUnlink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const index = chosenIndex(step.result, this.unlinkTitles(step.context));
    const yes = index === 0 || (index === -1 && readYesNo(String(step.result ?? '')) === 'yes');
    if (!yes) {
      await this.say(step.context, 'kept');
      return step.endDialog({ unlinked: false } satisfies LinkCodeDialogResult);
    }
    try {
      await this.deps.links.unlinkPerson(this.deps.personRefOf(step.context).personKey);
    } catch {
      await this.say(step.context, 'unavailable');
      return step.endDialog({ unlinked: false } satisfies LinkCodeDialogResult);
    }
    await this.say(step.context, 'unlinked');
    return step.endDialog({ unlinked: true } satisfies LinkCodeDialogResult);
  }
}

/**
 * A yes/no question with buttons that also takes "oui", "non", "yes", "nope"... The accepted words
 * are in the validator itself, not in the prompt's options: options live in the dialog state, which
 * is saved as JSON between turns, so a function placed there is gone by the time the answer comes.
 */
class YesNoPrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (prompt: PromptValidatorContext<string>) => {
      const text = prompt.recognized.succeeded ? (prompt.recognized.value ?? '') : '';
      const titles = ((prompt.options.validations as { titles?: unknown } | undefined)?.titles ?? []) as string[];
      if (text.trim() && (titles.some((title) => simplify(title) === simplify(text)) || readYesNo(text) !== 'unknown')) return true;
      return prompt.attemptCount > MAX_MISSES;
    });
  }
}

/** A person's words that ask to link or unlink ("code", "j'ai un code ABCD-EFGH", "délier"); undefined otherwise. */
export function readLinkRequest(text: string | undefined): LinkCodeDialogOptions | undefined {
  if (typeof text !== 'string' || text.length > 80) return undefined;
  const said = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(delier|me delier|unlink|retirer le lien|remove the link|remove link)$/.test(said)) return { mode: 'unlink' };
  const asks = /^(code|mon code|j ai un code|jai un code|code de liaison|lien|me lier|lier|i have a code|my code|link code|link|link me)\b/.test(said);
  const code = extractLinkCode(text);
  if (asks) return code ? { mode: 'link', code } : { mode: 'link' };
  // A bare code in the usual ABCD-EFGH form is a request too.
  if (code && /^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/.test(text.trim())) return { mode: 'link', code };
  return undefined;
}

function formatDate(iso: string, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: timeZone ?? 'America/Toronto' }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'America/Toronto' }).format(date);
  }
}
