/**
 * Text normalisation for the risk screen: one canonical, ASCII, lower-case form shared by the
 * messages and the lexicon patterns (patterns are normalised by this very function when the
 * lexicon is compiled), so editors write natural text and people can write however they write.
 *
 * What the canonical form looks like:
 * - lower case, no accents, only `a-z 0-9 '` words separated by single spaces;
 * - a sentence end (. ! ? ; new line) becomes the token `.`, so gaps in patterns never cross it;
 *   an ellipsis ("je veux... mourir") is a pause, not a sentence end;
 * - a letter repeated 3+ times collapses to one ("mourirrrr" → "mourir", "noooon" → "non"),
 *   a double letter stays ("fee", "kill"); the matcher works on the skeleton (`screenForms`),
 *   where every run of one letter is a single letter;
 * - digits inside a word stand for letters ("mour1r", "su1c1de"); inclusive-writing marks
 *   ("coupé(e)", "seul·e") and the prefix "re-" are dropped;
 * - French elisions are written out (j' → je, m' → me, qu' → que…) and "ne" is dropped, since
 *   spoken Quebec French drops it: "je ne veux plus" and "j'veux pu" both become "je veux plus";
 * - common Quebec, SMS and English chat spellings become standard words (chu → je suis,
 *   jpp → je en peux plus, tlm → tout le monde, im → i am, wanna → want to, idk → i do not know);
 *   swear-word fillers (osti, en criss…) are dropped; laughter (lol, mdr, haha, 😂) becomes `lol`
 *   so figurative-speech phrases can refer to it.
 *
 * Pure and never throws: anything that is not a string, lone surrogates, control characters,
 * other scripts and emojis simply become spaces. Only the first MAX_SCREENED_CHARS characters are
 * looked at. Fast (a few microseconds for a chat message): a short character stage (guarded so that
 * plain ASCII text skips the Unicode work), then one pass per rule over the list of words, in a
 * fixed order, each rule looking at its neighbours where it needs to.
 */

/** Longer input is cut here (still screened): bounds the cost of one message. */
export const MAX_SCREENED_CHARS = 4000;

// ---------------------------------------------------------------------------------------------
// Character stage

/** Anything beyond ASCII, or a backtick: the Unicode steps are needed. */
const NEEDS_UNICODE = /[^\x00-\x5f\x61-\x7f]/;
/** Astral characters and symbols: the laughing-emoji step is needed. */
const MAY_HAVE_EMOJI = /[\u2600-\u27bf\ud800-\udfff]/;
const LAUGH_EMOJI = /[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F639}\u{1F601}\u{1F604}\u{1F92A}\u{1F61C}\u{1F61D}\u{1F480}\u{2620}]/gu;
const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+/g;
const LIGATURES = /[œæßøłđı]/g;
const LIGATURE_MAP: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };
const APOSTROPHES = /[\u2019\u2018\u201b\u0060\u00b4\u02bc\u02b9\u2032\uff07]/g;
/** Inclusive-writing gender and plural marks ("coupé(e)", "seul·e", "fatigué.es", "tous·tes"): dropped. */
const GENDER_MARK = /(?<=[a-z])(?:\((?:e|es|s|x|se|ne|le|te)\)|[\u00b7\u2022\u22c5](?:e|es|s|x|se|ne|le|te|tes)(?![a-z])|\.(?:e|es)(?![a-z0-9]))/g;
/** The prefix "re-" ("re-coupé", "re-fait") is dropped: "again" is not what decides a reading. */
const RE_PREFIX = /(?<![a-z0-9'])re-(?=[a-z])/g;
const ELLIPSIS = /\.{2,}/g;
const SENTENCE_END = /[.!?;\n\r\u2028\u2029\u0085]+/g;
const NOT_KEPT = /[^a-z0-9' .]+/g;
const LETTER_RUN = /([a-z])\1{2,}/g;
/** "j' veux" (a space after the elision) is the same as "j'veux". */
const DETACHED_ELISION = /(?<![a-z0-9'])(j|m|t|s|l|d|n|c|qu)' +(?=[a-z])/g;
const STRAY_APOSTROPHE = /'+(?![a-z0-9])|(?<![a-z0-9])'+/g;

function ligature(ch: string): string {
  return LIGATURE_MAP[ch] ?? ch;
}

/** Accented Latin letters of French and English text, and typographic apostrophes, by table. */
const FOLD: Readonly<Record<string, string>> = {
  à: 'a', â: 'a', ä: 'a', á: 'a', ã: 'a', å: 'a', ç: 'c', é: 'e', è: 'e', ê: 'e', ë: 'e', î: 'i', ï: 'i', í: 'i',
  ì: 'i', ô: 'o', ö: 'o', ó: 'o', ò: 'o', õ: 'o', ù: 'u', û: 'u', ü: 'u', ú: 'u', ÿ: 'y', ñ: 'n', œ: 'oe', æ: 'ae',
  '\u2019': "'", '\u2018': "'", '\u201b': "'", '`': "'", '\u00b4': "'", '\u02bc': "'",
};
const LATIN_ACCENTED = /[àâäáãåçéèêëîïíìôöóòõùûüúÿñœæ\u2019\u2018\u201b`\u00b4\u02bc]/g;

function fold(ch: string): string {
  return FOLD[ch] ?? ch;
}

/** Does `text` hold a letter three times in a row (cheaper than running LETTER_RUN blindly)? */
function hasLetterRun(text: string): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === text.charCodeAt(i - 1) && code >= 97 && code <= 122) {
      run += 1;
      if (run >= 3) return true;
    } else {
      run = 1;
    }
  }
  return false;
}

/** Lower case, ASCII, `a-z 0-9 ' .` only, sentence ends as " . ", single spaces. */
function characterStage(input: string): string {
  let text = (input.length > MAX_SCREENED_CHARS ? input.slice(0, MAX_SCREENED_CHARS) : input).toLowerCase();
  if (NEEDS_UNICODE.test(text)) {
    if (MAY_HAVE_EMOJI.test(text)) text = text.replace(LAUGH_EMOJI, ' lol ');
    // Common accented letters and apostrophes by table (fast); anything else through NFKD.
    text = text.replace(LATIN_ACCENTED, fold);
    if (text.includes('\u00b7') || text.includes('\u2022') || text.includes('\u22c5')) text = text.replace(GENDER_MARK, '');
    if (NEEDS_UNICODE.test(text)) {
      text = text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(LIGATURES, ligature).replace(APOSTROPHES, "'");
    }
  }
  if (text.includes('(') || text.includes('.e')) text = text.replace(GENDER_MARK, '');
  if (text.includes('re-')) text = text.replace(RE_PREFIX, '');
  if (text.includes('..')) text = text.replace(ELLIPSIS, ' ');
  text = text.replace(SENTENCE_END, ' . ').replace(NOT_KEPT, ' ');
  if (hasLetterRun(text)) text = text.replace(LETTER_RUN, '$1');
  if (text.includes("'")) text = text.replace(DETACHED_ELISION, "$1'").replace(STRAY_APOSTROPHE, ' ');
  return text;
}

/**
 * Whole-word spellings → canonical words. Keys are already lower case, unaccented and use a
 * straight apostrophe (the map is applied after those steps), and still carry their elision
 * (the elisions are written out afterwards).
 */
const SPELLINGS: Readonly<Record<string, string>> = {
  // je suis
  chu: 'je suis', chus: 'je suis', chui: 'je suis', chuis: 'je suis', shu: 'je suis', shui: 'je suis',
  jsuis: 'je suis', jsui: 'je suis', jsu: 'je suis', jsus: 'je suis', jss: 'je suis', "j'suis": 'je suis',
  "j'sui": 'je suis', "j'su": 'je suis', "j'suiss": 'je suis',
  // j'en peux plus, je sais pas, je vais, j'ai…
  jm: 'je me', "jm'ai": 'je me suis', jmai: 'je me suis', "m'ai": "m'ai", jmen: "je m'en", jten: "je t'en", jsen: "je s'en", boutte: 'bout', "su'l": 'sur le', sul: 'sur le',
  jpp: "j'en peux plus", jpu: "j'en peux plus", jenpeuxplus: "j'en peux plus",
  jsp: 'je sais pas', chpas: 'je sais pas', chaispas: 'je sais pas', jsaispas: 'je sais pas', chepas: 'je sais pas',
  chais: 'je sais', chsais: 'je sais', jsais: 'je sais', "j'sais": 'je sais',
  jvais: 'je vais', "j'vais": 'je vais', jva: 'je vais', "j'va": 'je vais', jvai: 'je vais',
  veu: 'veux', vx: 'veux', jveu: 'je veux', "j'veu": 'je veux', jvx: 'je veux',
  jai: "j'ai", jen: "j'en", jetais: "j'etais", javais: "j'avais", jaimerais: "j'aimerais", jaime: "j'aime",
  jaurais: "j'aurais", jarrive: "j'arrive", jarrete: "j'arrete", jessaie: "j'essaie", jy: "j'y", jattends: "j'attends",
  jallais: "j'allais", javoue: "j'avoue", jecoute: "j'ecoute", jhais: 'je hais', jtm: "je t'aime",
  g: "j'ai",
  // Quebec words
  pis: 'puis', pi: 'puis', ben: 'bien', pantoute: 'pas du tout', pentoute: 'pas du tout',
  "t'es": 'tu es', "t'e": 'tu es', "t'etais": 'tu etais', "t'as": 'tu as', "t'avais": 'tu avais', "t'vas": 'tu vas',
  toute: 'tout', toutte: 'tout', "y'a": 'il y a', "y'avait": 'il y avait', yavait: 'il y avait', "y'aura": 'il y aura',
  "y'est": 'il est', ye: 'il est', "y'etait": 'il etait', "y'ont": 'ils ont', "y'vont": 'ils vont',
  mwa: 'moi', moe: 'moi', twa: 'toi', toe: 'toi', icitte: 'ici', asteure: 'maintenant', astheure: 'maintenant',
  'a soir': 'ce soir', 'a matin': 'ce matin', 'a nuit': 'cette nuit', ptit: 'petit', ptite: 'petite',
  oue: 'ouais', ouai: 'ouais', ouaip: 'ouais', wai: 'ouais', ouaisse: 'ouais', ui: 'oui', wi: 'oui', nn: 'non',
  // French SMS
  tlm: 'tout le monde', tlj: 'tous les jours', tjrs: 'toujours', tjr: 'toujours', tjs: 'toujours', tjours: 'toujours',
  bcp: 'beaucoup', dla: 'de la', "d'la": 'de la', vrm: 'vraiment', vrmt: 'vraiment', vrmnt: 'vraiment',
  srx: 'serieux', serieu: 'serieux', cmb: 'combien', cb: 'combien', qqn: "quelqu'un", qqun: "quelqu'un",
  kelkun: "quelqu'un", qqch: 'quelque chose', qqc: 'quelque chose', pk: 'pourquoi', pq: 'pourquoi', pkoi: 'pourquoi',
  pourkoi: 'pourquoi', pcq: 'parce que', pck: 'parce que', psk: 'parce que', pske: 'parce que', koi: 'quoi',
  kwa: 'quoi', ki: 'qui', ke: 'que', kan: 'quand', qd: 'quand', pr: 'pour', ds: 'dans', ns: 'nous', tt: 'tout',
  dmain: 'demain', dem1: 'demain', dmn: 'demain', auj: "aujourd'hui", ajd: "aujourd'hui", ajrd: "aujourd'hui",
  aujd: "aujourd'hui", mtn: 'maintenant', mnt: 'maintenant', mtnt: 'maintenant', msg: 'message', c: "c'est",
  ct: "c'etait", ctait: "c'etait", "c'tait": "c'etait", cmt: 'comment', cmnt: 'comment', dsl: 'desole',
  tkt: "t'inquiete", ptete: 'peut etre', "p'tete": 'peut etre', ptet: 'peut etre', "p'tet": 'peut etre',
  "pt'etre": 'peut etre', ptetre: 'peut etre', peutetre: 'peut etre', slt: 'salut', bjr: 'bonjour',
  // English contractions and chat spellings
  im: 'i am', "i'm": 'i am', "i'am": 'i am', ima: 'i am going to', imma: 'i am going to', "i'mma": 'i am going to',
  "i'ma": 'i am going to', ive: 'i have', "i've": 'i have', "i'll": 'i will', "i'd": 'i would', youre: 'you are',
  "you're": 'you are', theyre: 'they are', "they're": 'they are', "it's": 'it is', "he's": 'he is', "she's": 'she is',
  "that's": 'that is', thats: 'that is', "there's": 'there is', theres: 'there is', "what's": 'what is', whats: 'what is',
  "don't": 'do not', doesnt: 'does not', didnt: 'did not', cant: 'can not', "can't": 'can not', cannot: 'can not',
  wont: 'will not', "won't": 'will not', isnt: 'is not', arent: 'are not', wasnt: 'was not', werent: 'were not',
  havent: 'have not', hasnt: 'has not', hadnt: 'had not', couldnt: 'could not', wouldnt: 'would not',
  shouldnt: 'should not', aint: 'am not', "ain't": 'am not', wanna: 'want to', wana: 'want to', wnat: 'want', wnt: 'want', watn: 'want', gonna: 'going to', gona: 'going to', gotta: 'got to',
  hafta: 'have to', tryna: 'trying to', kinda: 'kind of', sorta: 'sort of', dunno: 'do not know',
  idk: 'i do not know', idc: 'i do not care', idgaf: 'i do not care', idw: 'i do not want', idwt: 'i do not want to',
  idwanna: 'i do not want to', rn: 'right now', atm: 'at the moment', tbh: 'to be honest', fr: 'for real',
  u: 'you', ur: 'your', r: 'are', ppl: 'people', bc: 'because', bcuz: 'because', cuz: 'because', coz: 'because',
  cos: 'because', pls: 'please', plz: 'please', smth: 'something', sth: 'something', '2day': 'today',
  '2nite': 'tonight', tonite: 'tonight', '2night': 'tonight', '2morrow': 'tomorrow', tmrw: 'tomorrow',
  tmr: 'tomorrow', tomoro: 'tomorrow', tmrow: 'tomorrow', b4: 'before', nothin: 'nothing', goin: 'going',
  tryin: 'trying', thinkin: 'thinking', feelin: 'feeling', somethin: 'something', livin: 'living', dyin: 'dying',
  killin: 'killing', cuttin: 'cutting', gettin: 'getting', doin: 'doing', jk: 'just kidding',
  od: 'overdose', "od'd": 'overdosed', oded: 'overdosed', "od'ed": 'overdosed',
  sewerslide: 'suicide', 'sewer slide': 'suicide', selfharm: 'self harm', unalived: 'unalived',
};

// ---------------------------------------------------------------------------------------------
// Word stage: one pass per rule over the words, in this order.

/** First letters of laughter words (a h l r m p x): only those words are tested. */
const LAUGH_FIRST: ReadonlySet<number> = new Set([...'ahlrmpx'].map((ch) => ch.charCodeAt(0)));
const HAS_LEET_DIGIT = /[a-z][013457][a-z]/;
/** Cheap pre-check for LAUGH_WORD: laughter has one of these letter pairs. */
const LAUGH_HINT = /ha|ah|hi|he|hu|lo|lm|ro|md|td|xd/;
const LAUGH_WORD = /^(?:a?(?:ha|ah){2,}h?|(?:hi){2,}h?|(?:he){3,}|(?:hu){2,}|lo+l(?:z|s)?|lmf?ao|rofl|mdr+|ptdr+|x+d+)$/;
/** Digits standing for letters inside a word ("mour1r", "su1c1de", "k1ll", "m0urir"). */
const LEET = /(?<=[a-z])[013457](?=[a-z])/g;
const LEET_MAP: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
/** Misspellings of suicide/suicidaire/suicider/suicidal: sucide, suiside, siucide, suicyde, suicde… */
const SUICIDE_TYPO = /^s(?:ui|iu|u|ou|wi)(?:cc|c|ss|s|sc|z)(?:i|y)?d/;
/** English SMS "2" for "to" after the verbs it follows ("want 2 die"). */
const TWO_AFTER = words('want wanna going gonna need have got ready deserve trying try tryna plan planning decided about used like');
/** SPELLINGS as a Map: a plain object would answer for "constructor" or "__proto__". */
const SPELLING_MAP: ReadonlyMap<string, string> = new Map(Object.entries(SPELLINGS));
/** "isn't", "didn't" (the common ones are in SPELLINGS). */
const NT_CONTRACTION = /^(.*[a-z])n't$/;
/** English contractions on any word ("they'd", "she'll", "we're", "you've"); "'s" stays (possessive). */
const EN_CONTRACTION = /^(.*[a-z])'(d|ll|re|ve|m)$/;
const EN_CONTRACTION_MAP: Readonly<Record<string, string>> = { d: 'would', ll: 'will', re: 'are', ve: 'have', m: 'am' };
const ELISION = /^(j|m|t|s|l|d|n|c|qu)'(.*)$/;
const ELISION_MAP: Readonly<Record<string, string>> = {
  j: 'je', m: 'me', t: 'te', s: 'se', l: 'le', d: 'de', n: 'ne', c: 'ce', qu: 'que',
};
/** "jveux", "jme", "jcrois": a j glued to a consonant-initial word is "je". */
const GLUED_J = /^j([bcdfghklmnpqrstvwxz][a-z].*)$/;
/** A lone SMS "m" for "me" after the words it follows ("jveux m suicider", "j vais m tuer"). */
const M_AFTER = words('je veux veut vais va vas peux dois faut pas plus de pour voudrais aimerais pense');
/** Quebec swear words used as fillers or intensifiers ("chu tanné en criss de vivre"). */
const SWEARS = words(
  'osti ostie esti sti stie tabarnak tabarnac tabarnaque tabarouette calisse caliss calice criss crisse ciboire sacrament ' +
    'sacrement torieu viarge maudit mautadit',
);
/** Quebec fillers "tsé" and "genre" (not "genre de", which means "kind of"). */
const FILLERS = words("tse tsais t'sais tsai");
/**
 * Quebec "pu"/"pus" = "plus" ("j'veux pu vivre"), except right after a form of avoir, where
 * "pu" is usually the participle of pouvoir ("j'ai pu dormir"). Those stay "pu"; patterns
 * accept "pu" wherever they say "plus", so "j'ai pu le goût" is still read as "plus le goût".
 */
const AVOIR = words(
  'ai as a avons avez ont avais avait avions aviez avaient aurais aurait aurai aura auras aurons aurez auront aurions auriez auraient eu avoir',
);
const AVOIR_ADVERBS = words('pas jamais rien tout meme juste deja vraiment toujours encore');
/** Quebec "ya"/"y a" = "il y a" before what usually follows it ("ya pu d'espoir"); "ya" alone may be "yeah". */
const YA_NEXT = words(
  "pas plus pu pus rien personne aucun aucune un une des du de trop quelqu'un quelque juste encore toujours jamais vraiment presque bien comme tu eu moyen",
);
/** English "dont" without apostrophe = "do not", but French "dont" ("la personne dont je parle") stays. */
const DONT_FRENCH = words(
  'je tu il elle on nous vous ils elles le la les mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs un une des du ce cette ces cet ' +
    "certains certaines plusieurs quelques tout tous toutes personne rien chacun aucun qui que me te se",
);

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}

function leet(ch: string): string {
  return LEET_MAP[ch] ?? ch;
}

function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** Replace words[i] by the words of `replacement` (which may hold several, or none). */
function splice(list: string[], i: number, count: number, replacement: string): number {
  const parts = replacement.length > 0 ? replacement.split(' ') : [];
  list.splice(i, count, ...parts);
  return parts.length;
}

function wordStage(text: string): string[] {
  const w = text.split(' ').filter((x) => x.length > 0);
  const digits = HAS_LEET_DIGIT.test(text);
  // Laughter, digits for letters, "suicide" misspellings, "2" for "to".
  for (let i = 0; i < w.length; i += 1) {
    let t = w[i] as string;
    if (t.length > 1 && LAUGH_FIRST.has(t.charCodeAt(0)) && LAUGH_HINT.test(t) && LAUGH_WORD.test(t)) {
      w[i] = 'lol';
      continue;
    }
    if (digits && HAS_LEET_DIGIT.test(t)) t = t.replace(LEET, leet);
    if (t.charCodeAt(0) === 115 && SUICIDE_TYPO.test(t)) t = t.replace(SUICIDE_TYPO, 'suicid');
    if (t === '2' && i > 0 && TWO_AFTER.has(w[i - 1] as string)) t = 'to';
    w[i] = t;
  }
  // Whole-word spellings (two-word keys first), then "m'as", English contractions.
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    const next = w[i + 1];
    if (next !== undefined && (t === 'a' || t === 'sewer')) {
      const pair = SPELLING_MAP.get(`${t} ${next}`);
      if (pair !== undefined) {
        i += splice(w, i, 2, pair) - 1;
        continue;
      }
    }
    const spelled = SPELLING_MAP.get(t);
    if (spelled !== undefined) i += splice(w, i, 1, spelled) - 1;
  }
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    if (t === "m'as" && w[i - 1] !== 'tu') {
      i += splice(w, i, 1, 'je vais') - 1;
      continue;
    }
    if (!t.includes("'")) continue;
    const nt = NT_CONTRACTION.exec(t);
    const base = nt ? (nt[1] as string) : t;
    const en = EN_CONTRACTION.exec(base);
    const out = en ? `${en[1]} ${EN_CONTRACTION_MAP[en[2] as string]}` : base;
    if (nt || en) i += splice(w, i, 1, nt ? `${out} not` : out) - 1;
  }
  // French elisions, a j glued to the next word, lone j and m.
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    const el = t.length > 1 && t.includes("'") ? ELISION.exec(t) : null;
    if (el) {
      const rest = el[2] as string;
      // The rest is looked at next (a glued j may follow: "d'jviens").
      splice(w, i, 1, rest ? `${ELISION_MAP[el[1] as string]} ${rest}` : (ELISION_MAP[el[1] as string] as string));
      continue;
    }
    if (t.charCodeAt(0) === 106) {
      if (t === 'j') {
        w[i] = 'je';
        continue;
      }
      const glued = GLUED_J.exec(t);
      if (glued) {
        w.splice(i, 1, 'je', glued[1] as string);
        i += 1;
        continue;
      }
    }
    if (t === 'm' && i > 0 && isLetter((w[i + 1] ?? '').charCodeAt(0))) {
      const prev = w[i - 1] as string;
      const multi = (prev === 'de' && w[i - 2] === 'envie' && w[i - 3] === 'ai') || (prev === 'falloir' && w[i - 2] === 'va');
      if (M_AFTER.has(prev) || multi) w[i] = 'me';
    }
  }
  // Colloquial "je m'ai coupé" is "je me suis coupé".
  for (let i = 2; i < w.length; i += 1) if (w[i] === 'ai' && w[i - 1] === 'me' && w[i - 2] === 'je') w[i] = 'suis';
  // Swear fillers ("en criss"), "tsé", "genre".
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    if (SWEARS.has(t)) {
      const withEn = i > 0 && w[i - 1] === 'en';
      w.splice(withEn ? i - 1 : i, withEn ? 2 : 1);
      i -= withEn ? 2 : 1;
    } else if (FILLERS.has(t) || (t === 'genre' && w[i + 1] !== 'de')) {
      w.splice(i, 1);
      i -= 1;
    }
  }
  // Quebec "pu", "ya", English "dont", dropped "ne".
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    if (t === 'pu' || t === 'pus') {
      const p1 = w[i - 1];
      const p2 = w[i - 2];
      const afterAvoir = (p1 !== undefined && AVOIR.has(p1)) || (p1 !== undefined && AVOIR_ADVERBS.has(p1) && p2 !== undefined && AVOIR.has(p2));
      if (!afterAvoir) w[i] = 'plus';
    }
  }
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    if ((t === 'ya' || (t === 'y' && w[i + 1] === 'a')) && w[i - 1] !== 'il') {
      const next = w[t === 'ya' ? i + 1 : i + 2];
      if (next !== undefined && YA_NEXT.has(next)) i += splice(w, i, t === 'ya' ? 1 : 2, 'il y a') - 1;
    } else if (t === 'dont') {
      const next = w[i + 1];
      if (next === undefined || !DONT_FRENCH.has(next)) i += splice(w, i, 1, 'do not') - 1;
    }
  }
  const out: string[] = [];
  for (let i = 0; i < w.length; i += 1) {
    const t = w[i] as string;
    if (t === 'ne' && isLetter((w[i + 1] ?? '').charCodeAt(0))) continue;
    if (t === '.' && (out.length === 0 || out[out.length - 1] === '.')) continue;
    out.push(t);
  }
  while (out.length > 0 && out[out.length - 1] === '.') out.pop();
  return out;
}

/** Runs of one letter collapse to one ("appelle" → "apele", "kill" → "kil"); works on whole texts too. */
export function skeletonWord(word: string): string {
  let out = '';
  let from = 0;
  for (let i = 1; i < word.length; i += 1) {
    const code = word.charCodeAt(i);
    if (code === word.charCodeAt(i - 1) && isLetter(code)) {
      out += word.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? word : out + word.slice(from);
}

/** The canonical form of a message (or of a pattern's words). Never throws. */
export function normalizeText(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  return wordStage(characterStage(input)).join(' ');
}

/**
 * Both forms the screen needs: the canonical text (short answers are read on it) and its
 * skeleton (every run of one letter collapsed: what lexicon patterns are matched against).
 */
export function screenForms(input: unknown): { readonly normalized: string; readonly skeleton: string } {
  if (typeof input !== 'string' || input.length === 0) return { normalized: '', skeleton: '' };
  const list = wordStage(characterStage(input));
  const normalized = list.join(' ');
  const kept = withoutFillers(list);
  return { normalized, skeleton: skeletonWord(kept.length === list.length ? normalized : kept.join(' ')) };
}

/**
 * Words that only intensify or fill ("just", "really", "vraiment", "juste", "kind of"…). The
 * lexicon matcher ignores them (in messages and in patterns alike), so patterns need not foresee
 * every place they may appear: "je veux tellement juste mourir" is "je veux mourir".
 * Short answers to the bot's questions are read without this (there "pas vraiment" matters).
 */
export const MATCH_FILLERS: ReadonlySet<string> = new Set(
  (
    'just really literally honestly actually seriously truly totally basically genuinely fucking fuckin freaking frickin ' +
    'lowkey highkey legit deadass ngl tbh um uh umm uhh very so ' +
    'vraiment juste tellement franchement honnetement serieusement carrement litteralement completement totalement mettons donc'
  ).split(' '),
);

/** The words without MATCH_FILLERS (and without "kind of" / "sort of"). */
export function withoutFillers(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] as string;
    if (MATCH_FILLERS.has(w)) continue;
    if ((w === 'kind' || w === 'sort') && words[i + 1] === 'of') {
      i += 1;
      continue;
    }
    out.push(w);
  }
  return out;
}
