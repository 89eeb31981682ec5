/**
 * Days and times typed freely in French or English: "mardi 18h", "mardi et vendredi à 18 h 30",
 * "lun mer ven 7h", "tuesday 6pm", "weekdays 7:30 am", "tous les jours à midi", "6h du soir";
 * quiet hours as a range: "22h à 7h", "10pm-7am". What is not understood is left out (undefined):
 * the caller asks again rather than guess.
 */

export interface DaysAndTime {
  /** Weekdays (0 = Sunday), sorted; undefined when none was named. */
  readonly days?: number[];
  /** 'HH:MM'; undefined when none was given. */
  readonly time?: string;
}

const DAY_WORDS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['dimanche', 'dim', 'sunday', 'sun']],
  [1, ['lundi', 'lun', 'monday', 'mon']],
  [2, ['mardi', 'mar', 'tuesday', 'tue', 'tues']],
  [3, ['mercredi', 'mer', 'wednesday', 'wed']],
  [4, ['jeudi', 'jeu', 'thursday', 'thu', 'thur', 'thurs']],
  [5, ['vendredi', 'ven', 'friday', 'fri']],
  [6, ['samedi', 'sam', 'saturday', 'sat']],
];
const DAY_LOOKUP = new Map<string, number>(DAY_WORDS.flatMap(([day, words]) => words.flatMap((w) => (w.length > 4 ? [[w, day] as const, [`${w}s`, day] as const] : [[w, day] as const]))));

const GROUPS: ReadonlyArray<readonly [RegExp, readonly number[]]> = [
  [/\b(?:tous les jours|chaque jour|toute la semaine|every ?day|daily|each day|7 jours sur 7|7 days a week)\b/, [0, 1, 2, 3, 4, 5, 6]],
  [/\b(?:fins? de semaine|week ?ends?)\b/, [0, 6]],
  [/\b(?:en semaine|jours de semaine|la semaine|weekdays?|du lundi au vendredi|monday to friday|monday through friday)\b/, [1, 2, 3, 4, 5]],
];

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseDays(text: string): number[] | undefined {
  let said = normalise(text);
  const days = new Set<number>();
  for (const [pattern, group] of GROUPS) {
    if (pattern.test(said)) {
      group.forEach((d) => days.add(d));
      said = said.replace(pattern, ' ');
    }
  }
  for (const token of said.split(/[^a-z]+/)) {
    const day = DAY_LOOKUP.get(token);
    if (day !== undefined) days.add(day);
  }
  return days.size ? [...days].sort((a, b) => a - b) : undefined;
}

function hhmm(hour: number, minute: number): string | undefined {
  if (!Number.isInteger(hour) || !Number.isInteger(minute) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Every time named in the text, in order. */
export function parseTimes(text: string): string[] {
  const said = normalise(text);
  const found: Array<{ at: number; time: string }> = [];
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => !taken.some(([s, e]) => start < e && end > s);
  const add = (index: number, length: number, time: string | undefined) => {
    if (time === undefined || !free(index, index + length)) return;
    taken.push([index, index + length]);
    found.push({ at: index, time });
  };
  // 6pm, 6:30 pm, 6 p.m., 7am
  for (const m of said.matchAll(/\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/g)) {
    let hour = Number(m[1]);
    if (hour < 1 || hour > 12) continue;
    if (m[3].startsWith('p') && hour !== 12) hour += 12;
    if (m[3].startsWith('a') && hour === 12) hour = 0;
    add(m.index ?? 0, m[0].length, hhmm(hour, Number(m[2] ?? 0)));
  }
  // 18h, 18 h 30, 18h30, 18:30, 6h du soir
  for (const m of said.matchAll(/\b(\d{1,2})\s*(?:h|:)\s*(\d{2})?(?:\s*(du soir|de l apres[ -]midi|du matin))?(?![a-z0-9])/g)) {
    let hour = Number(m[1]);
    if ((m[3] === 'du soir' || m[3]?.startsWith('de l apres')) && hour >= 1 && hour < 12) hour += 12;
    add(m.index ?? 0, m[0].length, hhmm(hour, Number(m[2] ?? 0)));
  }
  for (const m of said.matchAll(/\b(midi|noon)\b/g)) add(m.index ?? 0, m[0].length, '12:00');
  for (const m of said.matchAll(/\b(minuit|midnight)\b/g)) add(m.index ?? 0, m[0].length, '00:00');
  // "à 18" (French: a bare hour after "à"), read as 24-hour.
  for (const m of said.matchAll(/\ba (\d{1,2})(?![\d:h])\b/g)) add(m.index ?? 0, m[0].length, hhmm(Number(m[1]), 0));
  return found.sort((a, b) => a.at - b.at).map((f) => f.time);
}

export function parseDaysAndTime(text: string): DaysAndTime {
  const days = parseDays(text);
  const time = parseTimes(text)[0];
  return { ...(days ? { days } : {}), ...(time ? { time } : {}) };
}

/** "22h à 7h", "de 21 h à 8 h", "10pm-7am": exactly two times. */
export function parseTimeRange(text: string): { start: string; end: string } | undefined {
  const times = parseTimes(text);
  if (times.length !== 2 || times[0] === times[1]) return undefined;
  return { start: times[0], end: times[1] };
}
