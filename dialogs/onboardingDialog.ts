import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { needsConsentQuestion, record } from '../core/consent/consent';
import { simplify } from '../core/conversation/globalCommands';
import { readYesNo } from '../core/conversation/yesNo';
import type { Locale } from '../core/i18n/locale';
import { CANADIAN_TIME_ZONES, isValidTimeZone, type PersonProfile } from '../core/people/profile';
import { DialogIds } from './dialogIds';
import { BUTTON_PROMPT, ButtonPrompt, buttonPromptOptions, chosenIndex } from './prompts/buttonPrompt';
import { declareCrisis } from './safetyHooks';
import { setTurnLocale, turnLocale } from './turnLocale';

export interface OnboardingDeps {
  readonly texts: Texts;
  readonly profile: StatePropertyAccessor<PersonProfile>;
  readonly consentVersion: string;
  readonly defaultTimeZone: string;
  readonly now?: () => Date;
}

export interface OnboardingResult {
  readonly consented: boolean;
}

type Step = (step: WaterfallStepContext) => Promise<DialogTurnResult>;
const ELIGIBILITY = ['ptsd', 'ocd', 'social', 'crisis', 'none'] as const;
const CONSENT_CHOICES = ['accept', 'refuse', 'more'] as const;

/**
 * First contact, resumable (each answer is saved as it comes): language, consent to keep data,
 * consent to share with a clinician, time zone, and a short eligibility check that orients people
 * whose needs call for more than self-care. People whose consent text changed since they agreed
 * see only the consent questions again.
 */
export class OnboardingDialog extends ComponentDialog {
  private readonly now: () => Date;

  constructor(private readonly deps: OnboardingDeps) {
    super(DialogIds.onboarding);
    this.now = deps.now ?? (() => new Date());
    const steps: Step[] = [
      this.askLanguage,
      this.readLanguage,
      this.askConsent,
      this.readConsent,
      this.askShare,
      this.readShare,
      this.askTimeZone,
      this.readTimeZone,
      this.readTimeZoneList,
      this.askEligibility,
      this.readEligibility,
    ].map((s) => s.bind(this));
    this.addDialog(
      new ButtonPrompt({
        language: (text) => languageOf(text) !== undefined,
        yesNo: (text) => readYesNo(text) !== 'unknown',
        timeZoneAnswer: (text) => readYesNo(text) !== 'unknown' || isValidTimeZone(text.trim()),
        timeZone: (text) => isValidTimeZone(text.trim()),
        no: (text) => readYesNo(text) === 'no',
      }),
    );
    this.addDialog(new WaterfallDialog(DialogIds.onboardingWaterfall, steps));
    this.initialDialogId = DialogIds.onboardingWaterfall;
  }

  private t(context: TurnContext, key: string): string {
    return this.deps.texts.t(turnLocale(context), key);
  }

  private ask(step: WaterfallStepContext, textKey: string, titles: string[], accept?: string): Promise<DialogTurnResult> {
    return step.prompt(BUTTON_PROMPT, buttonPromptOptions(this.t(step.context, textKey), titles, this.t(step.context, 'onboarding.unknown'), accept));
  }

  private profileOf(context: TurnContext): Promise<PersonProfile> {
    return this.deps.profile.get(context, {});
  }

  private async save(context: TurnContext, profile: PersonProfile): Promise<void> {
    await this.deps.profile.set(context, profile);
  }

  // 1. Language ------------------------------------------------------------------------------
  private languageTitles(context: TurnContext): string[] {
    return [this.t(context, 'onboarding.language.french'), this.t(context, 'onboarding.language.english')];
  }

  private async askLanguage(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((await this.profileOf(step.context)).locale) return step.next();
    return this.ask(step, 'onboarding.language.ask', this.languageTitles(step.context), 'language');
  }

  private async readLanguage(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (!profile.locale) {
      const index = chosenIndex(step.result, this.languageTitles(step.context));
      profile.locale = index === 0 ? 'fr-CA' : index === 1 ? 'en-CA' : (languageOf(String(step.result ?? '')) ?? turnLocale(step.context));
      setTurnLocale(step.context, profile.locale);
      await this.save(step.context, profile);
    }
    return step.next();
  }

  // 2. Consent to keep data --------------------------------------------------------------------
  private consentTitles(context: TurnContext): string[] {
    return CONSENT_CHOICES.map((key) => this.t(context, `onboarding.consent.${key}`));
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (!needsConsentQuestion(profile.consents, this.deps.consentVersion)) return step.next();
    if (!(step.options as { consentShown?: boolean } | undefined)?.consentShown) {
      if (profile.consents?.store) await step.context.sendActivity(this.t(step.context, 'onboarding.consent.changed'));
      await step.context.sendActivity(this.t(step.context, 'onboarding.consent.store'));
    }
    return this.ask(step, 'onboarding.consent.storeAsk', this.consentTitles(step.context), 'yesNo');
  }

  private async readConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (!needsConsentQuestion(profile.consents, this.deps.consentVersion)) return step.next();
    const choice = CONSENT_CHOICES[chosenIndex(step.result, this.consentTitles(step.context))];
    if (choice === 'more') {
      await step.context.sendActivity(this.t(step.context, 'onboarding.consent.moreText'));
      return step.replaceDialog(DialogIds.onboardingWaterfall, { consentShown: true });
    }
    // Consent is never assumed: an answer that is not a clear yes is a no.
    const granted = choice === 'accept' || (choice === undefined && readYesNo(String(step.result ?? '')) === 'yes');
    profile.consents = { ...profile.consents, store: record(granted, this.deps.consentVersion, this.now()) };
    await this.save(step.context, profile);
    if (!granted) return step.endDialog({ consented: false } satisfies OnboardingResult);
    return step.next();
  }

  // 3. Consent to share with a clinician ------------------------------------------------------
  private shareTitles(context: TurnContext): string[] {
    return [this.t(context, 'onboarding.consent.shareYes'), this.t(context, 'onboarding.consent.shareNo')];
  }

  private async askShare(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (profile.consents?.share?.version === this.deps.consentVersion) return step.next();
    await step.context.sendActivity(this.t(step.context, 'onboarding.consent.share'));
    return this.ask(step, 'onboarding.consent.shareAsk', this.shareTitles(step.context), 'yesNo');
  }

  private async readShare(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (profile.consents?.share?.version === this.deps.consentVersion) return step.next();
    const index = chosenIndex(step.result, this.shareTitles(step.context));
    const granted = index === 0 || (index === -1 && readYesNo(String(step.result ?? '')) === 'yes');
    profile.consents = { ...profile.consents, share: record(granted, this.deps.consentVersion, this.now()) };
    await this.save(step.context, profile);
    await step.context.sendActivity(this.t(step.context, 'onboarding.consent.shareNoted'));
    return step.next();
  }

  // 4. Time zone -------------------------------------------------------------------------------
  private timeZoneTitles(context: TurnContext): string[] {
    return [this.t(context, 'onboarding.timezone.quebec'), this.t(context, 'onboarding.timezone.other')];
  }

  private async askTimeZone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((await this.profileOf(step.context)).timeZone) return step.next();
    return this.ask(step, 'onboarding.timezone.ask', this.timeZoneTitles(step.context), 'timeZoneAnswer');
  }

  private async readTimeZone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (profile.timeZone) return step.next();
    const answer = String(step.result ?? '').trim();
    const index = chosenIndex(answer, this.timeZoneTitles(step.context));
    if (index === 0 || readYesNo(answer) === 'yes') return step.next('America/Toronto');
    if (isValidTimeZone(answer)) return step.next(answer);
    if (index === 1 || readYesNo(answer) === 'no') {
      return this.ask(step, 'onboarding.timezone.pick', [...CANADIAN_TIME_ZONES], 'timeZone');
    }
    return step.next(this.deps.defaultTimeZone);
  }

  private async readTimeZoneList(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (!profile.timeZone) {
      const answer = String(step.result ?? '').trim();
      profile.timeZone = isValidTimeZone(answer) ? answer : this.deps.defaultTimeZone;
      await this.save(step.context, profile);
      await step.context.sendActivity(this.t(step.context, 'onboarding.timezone.noted'));
    }
    return step.next();
  }

  // 5. Eligibility -----------------------------------------------------------------------------
  private eligibilityTitles(context: TurnContext): string[] {
    return ELIGIBILITY.map((key) => this.t(context, `onboarding.eligibility.${key}`));
  }

  private async askEligibility(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    if (profile.onboardedAt) return this.finish(step, profile);
    await step.context.sendActivity(this.t(step.context, 'onboarding.eligibility.intro'));
    return this.ask(step, 'onboarding.eligibility.ask', this.eligibilityTitles(step.context), 'no');
  }

  private async readEligibility(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = await this.profileOf(step.context);
    const choice = ELIGIBILITY[chosenIndex(step.result, this.eligibilityTitles(step.context))] ?? 'none';
    if (choice === 'crisis') {
      await step.context.sendActivity(this.t(step.context, 'onboarding.eligibility.crisisReply'));
      await declareCrisis(step.context, ['danger_abuse']);
    } else if (choice !== 'none') {
      const reported: 'ptsd' | 'ocd' | 'social_anxiety' = choice === 'social' ? 'social_anxiety' : choice;
      profile.reported = [...new Set([...(profile.reported ?? []), reported])];
      await step.context.sendActivity(this.t(step.context, 'onboarding.eligibility.oriented'));
    }
    return this.finish(step, profile);
  }

  private async finish(step: WaterfallStepContext, profile: PersonProfile): Promise<DialogTurnResult> {
    const first = !profile.onboardedAt;
    const now = this.now().toISOString();
    profile.onboardedAt ??= now;
    profile.programmeStartedAt ??= now;
    await this.save(step.context, profile);
    if (first) await step.context.sendActivity(this.t(step.context, 'onboarding.done'));
    return step.endDialog({ consented: true } satisfies OnboardingResult);
  }
}

function languageOf(text: string): Locale | undefined {
  const said = simplify(text);
  if (['francais', 'french', 'fr', 'en francais', 'in french'].includes(said)) return 'fr-CA';
  if (['english', 'anglais', 'en', 'in english', 'en anglais'].includes(said)) return 'en-CA';
  return undefined;
}
