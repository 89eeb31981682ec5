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
 *   a double letter stays ("fee", "kill"); the matcher tolerates 1 or 2 of each letter anyway;
 * - French elisions are written out (j' → je, m' → me, qu' → que…) and "ne" is dropped, since
 *   spoken Quebec French drops it: "je ne veux plus" and "j'veux pu" both become "je veux plus";
 * - common Quebec, SMS and English chat spellings become standard words (chu → je suis,
 *   jpp → je en peux plus, tlm → tout le monde, im → i am, wanna → want to, idk → i do not know);
 *   swear-word fillers (osti, en criss…) are dropped; laughter (lol, mdr, haha, 😂) becomes `lol`
 *   so figurative-speech phrases can refer to it.
 *
 * Pure, allocation-light (a fixed series of precompiled replaces), and never throws: anything
 * that is not a string, lone surrogates, control characters, other scripts and emojis simply
 * become spaces. Only the first MAX_SCREENED_CHARS characters are looked at.
 */

/** Longer input is cut here (still screened): bounds the cost of one message. */
export const MAX_SCREENED_CHARS = 4000;

const LAUGH_EMOJI = /[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F639}\u{1F601}\u{1F604}\u{1F92A}\u{1F61C}\u{1F61D}\u{1F480}\u{2620}]/gu;
const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+/g;
const LIGATURES = /[œæßøłđı]/g;
const LIGATURE_MAP: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };
const APOSTROPHES = /[\u2019\u2018\u201b\u0060\u00b4\u02bc\u02b9\u2032\uff07]/g;
const ELLIPSIS = /\.{2,}/g;
/** Inclusive-writing gender and plural marks ("coupé(e)", "seul·e", "fatigué.es", "tous·tes"): dropped. */
const GENDER_MARK = /(?<=[a-z])(?:\((?:e|es|s|x|se|ne|le|te)\)|[\u00b7\u2022\u22c5](?:e|es|s|x|se|ne|le|te|tes)(?![a-z])|\.(?:e|es)(?![a-z0-9]))/g;
const SENTENCE_END = /[.!?;\n\r\u2028\u2029\u0085]+/g;
const NOT_KEPT = /[^a-z0-9' .]+/g;
const LETTER_RUN = /([a-z])\1{2,}/g;
/** "j' veux" (a space after the elision) is the same as "j'veux". */
const DETACHED_ELISION = /(?<![a-z0-9'])(j|m|t|s|l|d|n|c|qu)' +(?=[a-z])/g;
const STRAY_APOSTROPHE = /'+(?![a-z0-9])|(?<![a-z0-9])'+/g;
const LAUGHTER = /(?<![a-z0-9'])(?:a?(?:ha|ah){2,}h?|(?:hi){2,}h?|(?:he){3,}|(?:hu){2,}|lo+l(?:z|s)?|lmf?ao|rofl|mdr+|ptdr+|x+d+)(?![a-z0-9'])/g;
/** Misspellings of suicide/suicidaire/suicider/suicidal: sucide, suiside, siucide, suicyde… */
const SUICIDE_TYPO = /(?<![a-z0-9'])s(?:ui|iu|u|ou|wi)(?:cc|c|ss|s|sc|z)(?:i|y)d/g;
/** English SMS "2" for "to" after the verbs it follows ("want 2 die"). */
const TWO_FOR_TO = /(?<=(?:^| )(?:want|wanna|going|gonna|need|have|got|ready|deserve|trying|try|tryna|plan|planning|decided|about|used|like) )2(?![a-z0-9'])/g;
/** Quebec "m'as" = "je vais" ("m'as me tuer"), but "tu m'as" is the standard "you have … me". */
const MAS_FUTURE = /(?<!(?:^| )tu )(?<![a-z0-9'])m'as(?![a-z0-9'])/g;
const ELISION = /(?<![a-z0-9'])(j|m|t|s|l|d|n|c|qu)'/g;
/** Digits standing for letters inside a word ("mour1r", "su1c1de", "k1ll", "m0urir"). */
const LEET = /(?<=[a-z])[013457](?=[a-z])/g;
const LEET_MAP: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
/** The prefix "re-" ("re-coupé", "re-fait") is dropped: "again" is not what decides a reading. */
const RE_PREFIX = /(?<![a-z0-9'])re-(?=[a-z])/g;
/** English contractions on any word ("they'd", "she'll", "we're", "you've"); "'s" stays (possessive). */
const EN_CONTRACTION = /(?<=[a-z])'(d|ll|re|ve|m)(?![a-z0-9'])/g;
const EN_CONTRACTION_MAP: Readonly<Record<string, string>> = { d: ' would', ll: ' will', re: ' are', ve: ' have', m: ' am' };
/** A lone SMS "m" for "me" after the words it follows ("jveux m suicider", "j vais m tuer"). */
const LONE_M =
  /(?<=(?:^| )(?:je|veux|veut|vais|va|vas|peux|dois|faut|pas|plus|de|pour|voudrais|aimerais|pense|vas|ai envie de|va falloir) )m(?= [a-z])/g;
/** "jveux", "jme", "jcrois": a j glued to a consonant-initial word is "je". */
const GLUED_J = /(?<![a-z0-9'])j(?=[bcdfghklmnpqrstvwxz][a-z])/g;
const LONE_J = /(?<![a-z0-9'])j(?![a-z0-9'])/g;
/**
 * Quebec "pu"/"pus" = "plus" ("j'veux pu vivre"), except right after a form of avoir, where
 * "pu" is usually the participle of pouvoir ("j'ai pu dormir"). Those stay "pu"; patterns
 * accept "pu" wherever they say "plus", so "j'ai pu le goût" is still read as "plus le goût".
 */
const PU_AS_PLUS = new RegExp(
  '(?<!(?:^| )(?:ai|as|a|avons|avez|ont|avais|avait|avions|aviez|avaient|aurais|aurait|aurai|aura|auras|aurons|aurez|auront|aurions|auriez|auraient|eu|avoir)' +
    '(?: pas| jamais| rien| tout| meme| juste| deja| vraiment| toujours| encore)? )(?<![a-z0-9\'])pus?(?![a-z0-9\'])',
  'g',
);
/** Quebec "ya"/"y a" = "il y a" before what usually follows it ("ya pu d'espoir"); "ya" alone may be "yeah". */
const YA_THERE_IS =
  /(?<!(?:^| )il )(?<![a-z0-9'])(?:ya|y a)(?= (?:pas|plus|pu|pus|rien|personne|aucun|aucune|un|une|des|du|de|trop|quelqu'un|quelque|juste|encore|toujours|jamais|vraiment|presque|bien|comme|tu|eu|quelque|moyen|aucun)(?![a-z0-9']))/g;
/** English "dont" without apostrophe = "do not", but French "dont" ("la personne dont je parle") stays. */
const DONT_ENGLISH =
  /(?<![a-z0-9'])dont(?! (?:je|tu|il|elle|on|nous|vous|ils|elles|le|la|les|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs|un|une|des|du|ce|cette|ces|cet|certains|certaines|plusieurs|quelques|tout|tous|toutes|personne|rien|chacun|aucun|qui|que|me|te|se)(?![a-z0-9']))(?![a-z0-9'])/g;
const NT_CONTRACTION = /([a-z])n't(?![a-z0-9])/g;
const DROPPED_NE = /(?<![a-z0-9'])ne (?=[a-z])/g;
/** Quebec swear words used as fillers or intensifiers ("chu tanné en criss de vivre"). */
const SWEAR_FILLER =
  /(?<![a-z0-9'])(?:en )?(?:osti|ostie|esti|sti|stie|tabarnak|tabarnac|tabarnaque|tabarouette|calisse|caliss|calice|criss|crisse|ciboire|sacrament|sacrement|torieu|viarge|maudit|mautadit)(?![a-z0-9'])/g;
/** Quebec filler "genre" (not "genre de", which means "kind of") and "tsé". */
const FILLER = /(?<![a-z0-9'])(?:genre(?! de)|tse|tsais|t'sais|tsai)(?![a-z0-9'])/g;
const SPACES = / {2,}/g;
const REPEATED_BOUNDARY = /(?: \.)+(?= \.)/g;
const EDGE_BOUNDARY = /^(?:\. ?)+|(?: ?\.)+$/g;

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
  jm: 'je me', jmen: "je m'en", jten: "je t'en", jsen: "je s'en", boutte: 'bout', "su'l": 'sur le', sul: 'sur le',
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
  shouldnt: 'should not', aint: 'am not', "ain't": 'am not', wanna: 'want to', gonna: 'going to', gotta: 'got to',
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

const SPELLING_RE = new RegExp(
  `(?<![a-z0-9'])(?:${Object.keys(SPELLINGS)
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?![a-z0-9'])`,
  'g',
);

const ELISION_MAP: Readonly<Record<string, string>> = {
  j: 'je ', m: 'me ', t: 'te ', s: 'se ', l: 'le ', d: 'de ', n: 'ne ', c: 'ce ', qu: 'que ',
};

function spelling(word: string): string {
  return SPELLINGS[word] ?? word;
}

function elision(_: string, letter: string): string {
  return ELISION_MAP[letter] ?? `${letter} `;
}

function leet(ch: string): string {
  return LEET_MAP[ch] ?? ch;
}

function contraction(_: string, tail: string): string {
  return EN_CONTRACTION_MAP[tail] ?? _;
}

function ligature(ch: string): string {
  return LIGATURE_MAP[ch] ?? ch;
}

/** The canonical form of a message (or of a pattern's words). Never throws. */
export function normalizeText(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  let text = input.length > MAX_SCREENED_CHARS ? input.slice(0, MAX_SCREENED_CHARS) : input;
  text = text.toLowerCase().replace(LAUGH_EMOJI, ' lol ').normalize('NFKD');
  text = text.replace(COMBINING_MARKS, '').replace(LIGATURES, ligature).replace(APOSTROPHES, "'");
  text = text.replace(GENDER_MARK, '').replace(RE_PREFIX, '').replace(ELLIPSIS, ' ').replace(SENTENCE_END, ' . ').replace(NOT_KEPT, ' ');
  text = text.replace(LETTER_RUN, '$1').replace(DETACHED_ELISION, "$1'").replace(STRAY_APOSTROPHE, ' ');
  text = text.replace(SPACES, ' ');
  text = text.replace(LAUGHTER, 'lol').replace(LEET, leet).replace(SUICIDE_TYPO, 'suicid').replace(TWO_FOR_TO, 'to');
  text = text.replace(SPELLING_RE, spelling).replace(MAS_FUTURE, 'je vais').replace(NT_CONTRACTION, '$1 not').replace(EN_CONTRACTION, contraction);
  text = text.replace(ELISION, elision).replace(GLUED_J, 'je ').replace(LONE_J, 'je').replace(LONE_M, 'me');
  text = text.replace(SWEAR_FILLER, ' ').replace(FILLER, ' ').replace(SPACES, ' ');
  text = text.replace(PU_AS_PLUS, 'plus').replace(YA_THERE_IS, 'il y a').replace(DONT_ENGLISH, 'do not');
  text = text.replace(DROPPED_NE, '').replace(SPACES, ' ').replace(REPEATED_BOUNDARY, '').trim();
  return text.replace(EDGE_BOUNDARY, '').trim();
}
