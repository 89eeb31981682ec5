/**
 * Hand-written screening examples, per category and language (fr = standard French, qc = Quebec
 * colloquial / SMS, en = English, mix = code-switching). Written independently of the labelled
 * corpus (test/safety/corpus/) and of the lexicon's own `examples`, to check that the lexicon
 * generalises by families of phrasings. Never copy these into the lexicon.
 */
import type { Category, Level } from '../../../core/safety/types';

export interface Example {
  readonly text: string;
  readonly level: Level;
  /** A category that must be among the result's categories (when level is not none). */
  readonly category?: Category;
}

const c = (category: Category, ...texts: string[]): Example[] => texts.map((text) => ({ text, level: 'crisis', category }));
const w = (category: Category, ...texts: string[]): Example[] => texts.map((text) => ({ text, level: 'concern', category }));
const n = (...texts: string[]): Example[] => texts.map((text) => ({ text, level: 'none' }));

export const CRISIS_EXAMPLES: Readonly<Record<string, Example[]>> = {
  fr: [
    ...c('suicidal_ideation',
      "Je n'ai plus envie de vivre, je veux que tout s'arrête pour de bon.",
      'Je pense à me suicider tous les soirs.',
      "J'ai décidé de mettre fin à mes jours.",
      "J'aimerais être morte, vraiment.",
      'Je suis prête à passer à l’acte.',
      'Je veux en finir une fois pour toutes.',
      'Je souhaiterais mourir cette nuit.',
      "J'ai envie de m'enlever la vie.",
      'Je compte me tuer demain.',
      'Je mérite de mourir.',
    ),
    ...c('plan_means',
      "J'ai acheté des somnifères pour en finir.",
      "J'ai écrit une lettre d'adieu à mes parents.",
      'Je suis au bord du pont et je regarde l’eau.',
      "Combien d'Ativan faut-il pour ne plus se réveiller ?",
      'Ceci est mon dernier message, adieu à tous.',
    ),
    ...c('self_harm', "Je me suis encore coupé les poignets ce soir.", "J'ai tellement envie de me faire du mal en ce moment."),
    ...c('overdose', "J'ai avalé tous mes antidépresseurs il y a une heure."),
    ...c('harm_to_others', "J'ai envie d'étrangler mon beau-père pour vrai, j'ai un plan."),
    ...c('danger_abuse', 'Mon conjoint me frappe et il va revenir ce soir.', "J'ai peur qu'il me tue, il a une arme."),
    ...c('command_hallucination', 'Une voix me dit de me jeter par la fenêtre.'),
    ...c('third_party', 'Ma sœur menace de se suicider ce soir.', 'Mon ami vient de prendre une boîte de pilules.'),
  ],
  qc: [
    ...c('suicidal_ideation',
      'jveux pu vivre pantoute',
      "chu pu capable, j'vais en finir à soir",
      'jai le gout de mourir tlj',
      'jpense juste à me tuer ces temps-ci',
      'jvx crever osti',
      "m'as me pendre",
      'g pu envie de vivre srx',
      'JVEUX MOURIRRRR',
      'jveu mourir',
      'chu tanné de vivre, jveux juste que ça finisse',
    ),
    ...c('plan_means', "g ramassé mes pilules depuis 2 semaines", "jai une corde dans mon garde-robe pour à soir", "jsais où j'vais le faire pis quand"),
    ...c('self_harm', 'jme suis scarifié encore hier', 'jai vrm envie de me couper là'),
    ...c('overdose', "j'ai pris toute ma prescription d'un coup"),
    ...c('danger_abuse', 'mon chum ma étranglée pis y revient'),
    ...c('third_party', 'mon chum veut se tuer, y répond pu à ses textos'),
  ],
  en: [
    ...c('suicidal_ideation',
      'I really want to die tonight',
      "I don't want to be alive anymore",
      "I'm going to end my life",
      'i wanna kill myself',
      'I keep thinking about killing myself',
      "I've decided to commit suicide",
      'i wish i were dead',
      'I am so done with living',
      'kms for real this time',
      'i want 2 die',
    ),
    ...c('plan_means',
      "I've been stockpiling my sleeping pills",
      'What is the lethal dose of acetaminophen?',
      "I'm standing on the roof of my building",
      'I wrote a suicide note for my kids',
      'This is my final goodbye, thank you for everything',
    ),
    ...c('self_harm', 'I cut my arms again tonight', 'I really want to hurt myself right now'),
    ...c('overdose', 'I just swallowed a whole bottle of pills'),
    ...c('harm_to_others', "I'm going to stab him tonight, I mean it"),
    ...c('danger_abuse', 'My boyfriend is choking me when he drinks', 'My stepdad threatened to kill me'),
    ...c('command_hallucination', 'The voices keep telling me to jump'),
    ...c('third_party', 'My best friend says she is going to kill herself', 'My roommate took a bunch of pills and is not waking up'),
  ],
  mix: [
    ...c('suicidal_ideation', 'honestly jveux juste mourir', "I can't anymore, je veux mourir", 'chu done, I want to die'),
    ...c('overdose', "j'ai pris a whole bottle of tylenol"),
  ],
};

export const CONCERN_EXAMPLES: Readonly<Record<string, Example[]>> = {
  fr: [
    ...w('passive_ideation', "Parfois j'aimerais m'endormir et ne plus jamais me réveiller.", 'Je voudrais juste disparaître de la surface de la terre.', "J'aurais préféré ne jamais naître."),
    ...w('hopelessness', "Je ne vois aucune issue à ma situation.", 'À quoi bon continuer comme ça ?', 'Plus rien ne va jamais changer.'),
    ...w('burden', 'Ma famille serait mieux sans moi.', 'Je suis un poids pour tout le monde.'),
    ...w('suicidal_ideation', "J'ai déjà pensé au suicide quand j'étais au cégep."),
    ...w('third_party', 'Je suis inquiète pour mon fils, il parle souvent de la mort.'),
  ],
  qc: [
    ...w('passive_ideation', "jaimerais ça m'endormir pis pu me réveiller", 'jvoudrais juste disparaître'),
    ...w('hopelessness', 'jvois pu le bout', 'chu pu capable', "jpp de ma vie"),
    ...w('burden', 'tlm serait mieux sans moi'),
  ],
  en: [
    ...w('passive_ideation', 'Sometimes I wish I could just fall asleep and never wake up', 'I wish I could disappear', "I wouldn't mind if I didn't wake up tomorrow"),
    ...w('hopelessness', "There's no way out of this", "I can't take this anymore", 'What is the point of living'),
    ...w('burden', "Everyone would be better off without me", "I'm just a burden"),
    ...w('suicidal_ideation', 'I used to be suicidal in high school'),
    ...w('third_party', "I'm worried about my sister, she keeps talking about dying"),
  ],
  mix: [...w('hopelessness', "honnêtement I can't do this anymore")],
};

export const FIGURATIVE_EXAMPLES: Readonly<Record<string, Example[]>> = {
  fr: n(
    'Je meurs de rire avec cette émission',
    'Ce trafic me tue chaque matin',
    'Je suis mort de fatigue après le gym',
    "C'est du suicide de conduire dans cette tempête",
    'Ma mère va me tuer si je rate le souper',
    'Je me tue à te le répéter',
    'On a tué le temps au café',
    "J'ai fait une overdose de séries cette fin de semaine",
  ),
  qc: n('jmeurs de faim', 'chu mort de rire', 'kms lol jai oublié mes clés', "jpp mdr l'autobus est encore en retard", 'on crève de chaud icitte', 'mon boss va me tuer'),
  en: n(
    'I killed it at my presentation',
    'dead tired after work',
    "I'm dying to see the new movie",
    'that dessert is to die for',
    'my feet are killing me',
    'we watched Suicide Squad last night',
    'I died laughing at that meme',
    'I nailed the interview, killed it',
  ),
  mix: n('lol je meurs', "I'm dead lol c'est trop drôle"),
};

export const DENIAL_EXAMPLES: Readonly<Record<string, Example[]>> = {
  fr: n('Je ne suis pas suicidaire, juste fatigué.', "Non, je n'ai aucune idée noire.", 'Je ne vais pas me faire de mal, promis.', 'Je ne veux pas mourir.'),
  qc: n('chu pas suicidaire pantoute', "jferais jamais ça, inquiète-toi pas", "g pas d'idées noires"),
  en: n("I'm not suicidal", 'I would never hurt myself', "I don't want to die", 'No suicidal thoughts at all'),
  mix: n("non I'm not suicidal, juste stressé"),
};

/** A denial and a real signal in one message: the signal must still be flagged. */
export const DENIAL_WITH_SIGNAL: Example[] = [
  { text: 'Je ne suis pas suicidaire mais je veux mourir.', level: 'crisis' },
  { text: "I'm not suicidal, I just don't want to live anymore.", level: 'crisis' },
  { text: 'chu pas suicidaire mais jvois pu d’issue', level: 'concern' },
  { text: "I don't want to die, I just want the pain to stop.", level: 'concern' },
];

export const ORDINARY_EXAMPLES: Readonly<Record<string, Example[]>> = {
  fr: n(
    "J'ai fait ma marche de 20 minutes aujourd'hui.",
    'Je me sens un peu anxieux avant mon examen.',
    "Je n'ai pas eu le temps de faire mes exercices cette semaine.",
    'Mon humeur est à 6 sur 10.',
    "J'ai pris mes médicaments ce matin comme prévu.",
    "Ma grand-mère est décédée l'an passé, j'y pense souvent avec tendresse.",
    'Comment je change la langue de l’application ?',
    "J'ai acheté une corde à linge pour le balcon.",
  ),
  qc: n('chu fatigué à soir', "g pas dormi de la nuit", 'ça va bien, merci', "jai pogné une rondelle dans face au hockey", 'pas eu le temps cette semaine'),
  en: n('I went for a walk today', 'I feel a bit lonely lately', 'My mood is a 5 today', 'How do I pause my reminders?', 'I took my meds this morning', 'My brother beat me at chess again'),
  mix: n("j'ai fait mon workout, feeling good", 'merci, that helped'),
};
