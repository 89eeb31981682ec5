import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ScheduleRepository } from '../../bot/people/scheduleRepository';
import type { Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import { CANADIAN_TIME_ZONES, type PersonProfile } from '../../core/people/profile';
import { parseDaysAndTime, parseTimeRange } from '../../core/measures/scheduleText';
import {
  defaultSettings,
  isPaused,
  nextCheckinAt,
  pauseSettings,
  resumeSettings,
  setCheckinDays,
  setCheckinTime,
  setLocale,
  setMeasureCadence,
  setQuietHours,
  setTimeZone,
  type BetweenSettings,
} from '../../core/measures/settings';
import { isValidTimeZone, type QuietHours } from '../../core/schedule/recurrence';
import { DialogIds } from '../dialogIds';
import { answerText, BetweenDialogBase, formatDay, formatMoment, formatTime, type BetweenDialogResult, type PersonKeyOf } from '../measures/betweenDialogBase';

export interface ScheduleDialogDeps {
  readonly texts: Texts;
  readonly schedule: ScheduleRepository;
  readonly personKeyOf: PersonKeyOf;
  /** The person's profile: its time zone is the default, and a new one is written back there too. */
  readonly profile?: StatePropertyAccessor<PersonProfile>;
  readonly defaultTimeZone?: string;
  readonly now?: () => Date;
  /** After every change (wire BetweenSessions.reschedule). Failures are ignored here. */
  readonly onChanged?: (personKey: string) => Promise<void>;
}

export interface ScheduleDialogOptions {
  /** Go straight to one question ('pause', 'when', …) instead of the overview. */
  readonly start?: 'when' | 'zone' | 'quiet' | 'measures' | 'pause' | 'resume';
}

interface HubOptions {
  readonly notice?: string;
}

interface WhenOptions {
  /** Days already given, the time still missing. */
  readonly days?: readonly number[];
}

type HubChoice = 'when' | 'zone' | 'quiet' | 'measures' | 'pause' | 'resume' | 'done';

/** Friendly names of the Canadian zones (content keys), by IANA name. */
const ZONE_KEYS: Readonly<Record<string, string>> = {
  'America/St_Johns': 'newfoundland',
  'America/Halifax': 'atlantic',
  'America/Toronto': 'eastern',
  'America/Winnipeg': 'central',
  'America/Regina': 'saskatchewan',
  'America/Edmonton': 'mountain',
  'America/Vancouver': 'pacific',
};
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const CADENCES: ReadonlyArray<readonly [string, number]> = [
  ['week', 7],
  ['twoWeeks', 14],
  ['fourWeeks', 28],
];
const PAUSES: ReadonlyArray<readonly [string, number | undefined]> = [
  ['week', 7],
  ['twoWeeks', 14],
  ['open', undefined],
];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * "Mes rappels": when check-ins come (days and time, by button or typed: "mardi 18h", "tuesday
 * 6pm"), the time zone, quiet hours, how often the questionnaires come, and pause / resume. Times
 * are wall-clock times in the person's zone (18:00 stays 18:00 across DST changes). Every change is
 * saved at once and reported to `onChanged`, which moves the scheduled reminders.
 */
export class ScheduleDialog extends BetweenDialogBase {
  private readonly now: () => Date;

  constructor(private readonly deps: ScheduleDialogDeps) {
    super(DialogIds.schedule, deps.texts);
    this.now = deps.now ?? (() => new Date());
    this.addDialog(new WaterfallDialog(DialogIds.scheduleHub, [(s) => this.askHub(s), (s) => this.readHub(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.scheduleWhen, [(s) => this.askWhen(s), (s) => this.readWhen(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.scheduleZone, [(s) => this.askZone(s), (s) => this.readZone(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.scheduleQuiet, [(s) => this.askQuiet(s), (s) => this.readQuiet(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.scheduleMeasures, [(s) => this.askMeasures(s), (s) => this.readMeasures(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.schedulePause, [(s) => this.askPause(s), (s) => this.readPause(s)]));
    this.acceptor('hub', (context, said, data) => this.readHubText(context, said, this.hubChoices(context, Boolean((data as { paused?: boolean }).paused))) !== undefined);
    this.acceptor('when', (context, said, data) => {
      const parsed = parseDaysAndTime(said);
      return Boolean((data as { needTime?: boolean }).needTime ? parsed.time : parsed.days || parsed.time) || this.matches(said, this.backWords(context));
    });
    this.acceptor('zone', (context, said) => this.pick(said, this.zoneChoices(context)) !== undefined || isValidTimeZone(said.trim()) || this.matches(said, this.backWords(context)));
    this.acceptor('quiet', (context, said) =>
      parseTimeRange(said) !== undefined || this.matches(said, [this.t(context, 'schedule.quiet.none'), ...this.words(context, 'schedule.quiet.noneWords'), ...this.backWords(context)]),
    );
    this.acceptor('cadence', (context, said) => this.pick(said, this.cadenceChoices(context)) !== undefined || this.matches(said, this.backWords(context)));
    this.acceptor('pause', (context, said) => this.pick(said, this.pauseChoices(context)) !== undefined);
    this.initialDialogId = DialogIds.scheduleHub;
  }

  // ── Storage ─────────────────────────────────────────────────────────────────────────────────

  private key(context: TurnContext): string {
    return this.deps.personKeyOf(context);
  }

  private async profileZone(context: TurnContext): Promise<string | undefined> {
    try {
      return this.deps.profile ? (await this.deps.profile.get(context, {})).timeZone : undefined;
    } catch {
      return undefined;
    }
  }

  private async settings(context: TurnContext): Promise<BetweenSettings | undefined> {
    try {
      const stored = await this.deps.schedule.load(this.key(context));
      if (stored) return stored;
      const zone = (await this.profileZone(context)) ?? this.deps.defaultTimeZone;
      return defaultSettings(this.now(), { timeZone: zone, locale: this.locale(context) });
    } catch {
      return undefined;
    }
  }

  /** Saves a change (on the defaults, with the profile's zone, when nothing is stored yet) and tells `onChanged`. */
  private async save(context: TurnContext, change: (settings: BetweenSettings) => BetweenSettings): Promise<BetweenSettings | undefined> {
    const locale = this.locale(context);
    const zone = (await this.profileZone(context)) ?? this.deps.defaultTimeZone;
    let saved: BetweenSettings | undefined;
    try {
      const exists = await this.deps.schedule.load(this.key(context));
      saved = await this.deps.schedule.update(this.key(context), (current) => {
        const base = exists || !zone || !isValidTimeZone(zone) ? current : setTimeZone(current, zone, this.now());
        return change(setLocale(base, locale, this.now()));
      });
    } catch {
      return undefined;
    }
    try {
      await this.deps.onChanged?.(this.key(context));
    } catch {
      // The reminders move on the next reschedule; the setting itself is saved.
    }
    return saved;
  }

  // ── Words ───────────────────────────────────────────────────────────────────────────────────

  private daysText(context: TurnContext, days: readonly number[]): string {
    if (days.length === 7) return this.t(context, 'schedule.everyDay');
    if (days.length === 5 && [1, 2, 3, 4, 5].every((d) => days.includes(d))) return this.t(context, 'schedule.weekdays');
    const names = [...days].sort((a, b) => a - b).map((d) => this.t(context, `schedule.days.${DAY_KEYS[d]}`));
    if (names.length === 1) return names[0];
    return `${names.slice(0, -1).join(', ')} ${this.t(context, 'schedule.and')} ${names[names.length - 1]}`;
  }

  private zoneText(context: TurnContext, zone: string): string {
    const key = ZONE_KEYS[zone];
    return key ? this.t(context, `schedule.zones.${key}`) : zone;
  }

  private quietText(context: TurnContext, quiet: QuietHours | undefined): string {
    const locale = this.locale(context);
    return quiet ? this.t(context, 'schedule.quiet.range', { start: formatTime(locale, quiet.start), end: formatTime(locale, quiet.end) }) : this.t(context, 'schedule.quiet.noneShort');
  }

  private cadenceText(context: TurnContext, everyDays: number): string {
    if (everyDays === 7) return this.t(context, 'schedule.cadence.week');
    if (everyDays % 7 === 0) return this.t(context, 'schedule.cadence.weeks', { count: everyDays / 7 });
    return this.t(context, 'schedule.cadence.days', { count: everyDays });
  }

  private summary(context: TurnContext, settings: BetweenSettings): string {
    const locale: Locale = this.locale(context);
    const { checkin } = settings;
    const lines = [
      this.t(context, 'schedule.summary', {
        days: this.daysText(context, checkin.days),
        time: formatTime(locale, checkin.time),
        zone: this.zoneText(context, checkin.timeZone),
        quiet: this.quietText(context, checkin.quietHours),
        cadence: this.cadenceText(context, settings.measures.everyDays),
      }),
    ];
    if (isPaused(settings, this.now())) {
      lines.push(settings.pause?.until ? this.t(context, 'schedule.pausedUntil', { date: formatDay(locale, settings.pause.until, checkin.timeZone) }) : this.t(context, 'schedule.paused'));
    }
    return lines.join('\n\n');
  }

  private nextText(context: TurnContext, settings: BetweenSettings): string {
    return formatMoment(this.locale(context), nextCheckinAt(settings, this.now()), settings.checkin.timeZone);
  }

  // ── Overview ────────────────────────────────────────────────────────────────────────────────

  private hubChoices(_context: TurnContext, paused: boolean): HubChoice[] {
    return ['when', 'zone', 'quiet', 'measures', paused ? 'resume' : 'pause', 'done'];
  }

  private async askHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as HubOptions & ScheduleDialogOptions;
    if (options.start) return this.open(step, options.start);
    const settings = await this.settings(step.context);
    if (!settings) return this.failed(step);
    const paused = isPaused(settings, this.now());
    (step.values as { paused?: boolean }).paused = paused;
    const text = [options.notice, this.summary(step.context, settings), this.t(step.context, 'schedule.hub.ask')].filter(Boolean).join('\n\n');
    const choices = this.hubChoices(step.context, paused);
    return this.ask(step, text, choices.map((c) => this.t(step.context, `schedule.hub.${c}`)), { name: 'hub', data: { paused } });
  }

  private readHubText(context: TurnContext, said: string, choices: readonly HubChoice[]): HubChoice | undefined {
    return this.pick(said, choices.map((c) => ({ value: c, titles: [this.t(context, `schedule.hub.${c}`), ...this.words(context, `schedule.hubWords.${c}`)] })));
  }

  private async readHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const paused = (step.values as { paused?: boolean }).paused ?? false;
    const choice = this.readHubText(step.context, answerText(step.result), this.hubChoices(step.context, paused)) ?? 'done';
    if (choice === 'done') {
      await this.say(step.context, this.t(step.context, 'schedule.end'));
      return step.endDialog({} satisfies BetweenDialogResult);
    }
    return this.open(step, choice);
  }

  private async open(step: WaterfallStepContext, choice: Exclude<HubChoice, 'done'>): Promise<DialogTurnResult> {
    switch (choice) {
      case 'when':
        return step.replaceDialog(DialogIds.scheduleWhen, {} satisfies WhenOptions);
      case 'zone':
        return step.replaceDialog(DialogIds.scheduleZone);
      case 'quiet':
        return step.replaceDialog(DialogIds.scheduleQuiet);
      case 'measures':
        return step.replaceDialog(DialogIds.scheduleMeasures);
      case 'pause':
        return step.replaceDialog(DialogIds.schedulePause);
      case 'resume': {
        const saved = await this.save(step.context, (settings) => resumeSettings(settings, this.now()));
        if (!saved) return this.failed(step);
        return this.backToHub(step, this.t(step.context, 'schedule.resumed', { next: this.nextText(step.context, saved) }));
      }
    }
  }

  private backToHub(step: WaterfallStepContext, notice: string): Promise<DialogTurnResult> {
    return step.replaceDialog(DialogIds.scheduleHub, { notice } satisfies HubOptions);
  }

  private async failed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step.context, this.t(step.context, 'schedule.errors.saveFailed'));
    return step.endDialog({ later: true } satisfies BetweenDialogResult);
  }

  private backWords(context: TurnContext): string[] {
    return [this.t(context, 'schedule.back'), ...this.words(context, 'schedule.backWords')];
  }

  // ── Days and time ───────────────────────────────────────────────────────────────────────────

  private async askWhen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as WhenOptions;
    const key = options.days ? 'schedule.when.needTime' : 'schedule.when.ask';
    const presets = this.words(step.context, options.days ? 'schedule.when.timePresets' : 'schedule.when.presets');
    const accept = { name: 'when', data: { needTime: Boolean(options.days) } };
    return this.ask(step, this.t(step.context, key), [...presets, this.t(step.context, 'schedule.back')], accept, this.t(step.context, 'schedule.when.retry'));
  }

  private async readWhen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as WhenOptions;
    const said = answerText(step.result);
    if (this.matches(said, this.backWords(step.context))) return this.backToHub(step, '');
    const parsed = parseDaysAndTime(said);
    const days = parsed.days ?? options.days;
    if (!parsed.time && !parsed.days) return this.backToHub(step, this.t(step.context, 'schedule.when.notUnderstood'));
    if (days && !parsed.time && !options.days && parsed.days) {
      // Days without a time: ask the time (the days are kept meanwhile).
      return step.replaceDialog(DialogIds.scheduleWhen, { days } satisfies WhenOptions);
    }
    const saved = await this.save(step.context, (settings) => {
      let next = settings;
      if (days) next = setCheckinDays(next, days, this.now());
      if (parsed.time) next = setCheckinTime(next, parsed.time, this.now());
      return next;
    });
    if (!saved) return this.failed(step);
    const parts = [this.t(step.context, 'schedule.when.saved', { days: this.daysText(step.context, saved.checkin.days), time: formatTime(this.locale(step.context), saved.checkin.time), next: this.nextText(step.context, saved) })];
    if (saved.checkin.quietHours && inQuietHours(saved.checkin.time, saved.checkin.quietHours)) {
      parts.push(this.t(step.context, 'schedule.when.quietWarning', { quiet: this.quietText(step.context, saved.checkin.quietHours) }));
    }
    return this.backToHub(step, parts.join('\n\n'));
  }

  // ── Time zone ───────────────────────────────────────────────────────────────────────────────

  private zoneChoices(context: TurnContext): Array<{ value: string; titles: string[] }> {
    return CANADIAN_TIME_ZONES.map((zone) => ({ value: zone, titles: [this.zoneText(context, zone), zone] }));
  }

  private async askZone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choices = this.zoneChoices(step.context);
    return this.ask(step, this.t(step.context, 'schedule.zone.ask'), [...choices.map((c) => c.titles[0]), this.t(step.context, 'schedule.back')], 'zone');
  }

  private async readZone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    const zone = this.pick(said, this.zoneChoices(step.context)) ?? (isValidTimeZone(said) && said.includes('/') ? said : undefined);
    if (!zone) return this.backToHub(step, '');
    const saved = await this.save(step.context, (settings) => setTimeZone(settings, zone, this.now()));
    if (!saved) return this.failed(step);
    try {
      if (this.deps.profile) {
        const profile = await this.deps.profile.get(step.context, {});
        await this.deps.profile.set(step.context, { ...profile, timeZone: zone });
      }
    } catch {
      // The reminders use the saved setting; the profile catches up next time.
    }
    return this.backToHub(step, this.t(step.context, 'schedule.zone.saved', { zone: this.zoneText(step.context, zone), next: this.nextText(step.context, saved) }));
  }

  // ── Quiet hours ─────────────────────────────────────────────────────────────────────────────

  private async askQuiet(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const presets = this.words(step.context, 'schedule.quiet.presets');
    const none = this.t(step.context, 'schedule.quiet.none');
    return this.ask(step, this.t(step.context, 'schedule.quiet.ask'), [...presets, none, this.t(step.context, 'schedule.back')], 'quiet', this.t(step.context, 'schedule.quiet.retry'));
  }

  private async readQuiet(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    if (this.matches(said, [this.t(step.context, 'schedule.quiet.none'), ...this.words(step.context, 'schedule.quiet.noneWords')])) {
      const saved = await this.save(step.context, (settings) => setQuietHours(settings, undefined, this.now()));
      if (!saved) return this.failed(step);
      return this.backToHub(step, this.t(step.context, 'schedule.quiet.savedNone'));
    }
    const range = parseTimeRange(said);
    if (!range) return this.backToHub(step, '');
    const saved = await this.save(step.context, (settings) => setQuietHours(settings, range, this.now()));
    if (!saved) return this.failed(step);
    return this.backToHub(step, this.t(step.context, 'schedule.quiet.saved', { quiet: this.quietText(step.context, range), next: this.nextText(step.context, saved) }));
  }

  // ── Questionnaires ──────────────────────────────────────────────────────────────────────────

  private cadenceChoices(context: TurnContext): Array<{ value: number; titles: string[] }> {
    return CADENCES.map(([key, days]) => ({ value: days, titles: [this.t(context, `schedule.measures.${key}`)] }));
  }

  private async askMeasures(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const settings = await this.settings(step.context);
    const choices = this.cadenceChoices(step.context);
    const parts = [this.t(step.context, 'schedule.measures.ask')];
    if (settings?.measures.setBy === 'clinician') parts.unshift(this.t(step.context, 'schedule.measures.byClinician', { cadence: this.cadenceText(step.context, settings.measures.everyDays) }));
    return this.ask(step, parts.join('\n\n'), [...choices.map((c) => c.titles[0]), this.t(step.context, 'schedule.back')], 'cadence');
  }

  private async readMeasures(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const everyDays = this.pick(answerText(step.result), this.cadenceChoices(step.context));
    if (everyDays === undefined) return this.backToHub(step, '');
    const saved = await this.save(step.context, (settings) => setMeasureCadence(settings, { everyDays }, 'person', this.now()));
    if (!saved) return this.failed(step);
    return this.backToHub(step, this.t(step.context, 'schedule.measures.saved', { cadence: this.cadenceText(step.context, everyDays) }));
  }

  // ── Pause ───────────────────────────────────────────────────────────────────────────────────

  private pauseChoices(context: TurnContext): Array<{ value: number | 'open' | 'back'; titles: string[] }> {
    return [
      ...PAUSES.map(([key, days]) => ({ value: days ?? ('open' as const), titles: [this.t(context, `schedule.pause.${key}`)] })),
      { value: 'back' as const, titles: [this.t(context, 'schedule.pause.no'), ...this.backWords(context), ...this.words(context, 'measures.common.noWords')] },
    ];
  }

  private async askPause(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choices = this.pauseChoices(step.context);
    return this.ask(step, this.t(step.context, 'schedule.pause.ask'), choices.map((c) => c.titles[0]), 'pause');
  }

  private async readPause(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = this.pick(answerText(step.result), this.pauseChoices(step.context)) ?? 'back';
    if (choice === 'back') return this.backToHub(step, '');
    const now = this.now();
    const until = choice === 'open' ? undefined : new Date(now.getTime() + choice * DAY_MS);
    const saved = await this.save(step.context, (settings) => pauseSettings(settings, now, until));
    if (!saved) return this.failed(step);
    const notice = until
      ? this.t(step.context, 'schedule.pause.saved', { date: formatDay(this.locale(step.context), until, saved.checkin.timeZone) })
      : this.t(step.context, 'schedule.pause.savedOpen');
    return this.backToHub(step, notice);
  }
}

/** Whether an 'HH:MM' wall time falls inside quiet hours (a period may cross midnight). */
export function inQuietHours(time: string, quiet: QuietHours): boolean {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const [m, start, end] = [minutes(time), minutes(quiet.start), minutes(quiet.end)];
  if (start === end) return false;
  return start < end ? m >= start && m < end : m >= start || m < end;
}
