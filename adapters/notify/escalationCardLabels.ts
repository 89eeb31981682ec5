/**
 * Texts of the clinician escalation card, per locale. Kept as plain objects (not hard-coded in the
 * card builder) so the lead can move them into content files later without touching the builder.
 * Clinical register: short, factual, no diagnosis.
 */
export interface EscalationCardLabels {
  readonly locale: string;
  /** IANA zone used to print times; Quebec by default. */
  readonly timeZone: string;
  readonly title: { readonly alert: string; readonly reminder: string; readonly followup: string };
  /** Appended to the title when sent to the backup channel. */
  readonly backupSuffix: string;
  readonly level: string;
  readonly levels: Readonly<Record<string, string>>;
  readonly categories: string;
  /** Keys are category ids with case, '-', '_' and spaces removed ('self-harm' → 'selfharm'). */
  readonly categoryNames: Readonly<Record<string, string>>;
  readonly excerpt: string;
  readonly time: string;
  readonly person: string;
  readonly reference: string;
  readonly target: string;
  readonly targets: { readonly clinician: string; readonly oncall: string };
  readonly scores: string;
  readonly noScores: string;
  readonly bands: Readonly<Record<string, string>>;
  readonly plan: string;
  readonly noPlan: string;
  readonly saidSafe: string;
  readonly safe: { readonly yes: string; readonly no: string; readonly noAnswer: string; readonly notAsked: string };
  readonly acknowledge: string;
  /** '{by}' and '{time}' are replaced. */
  readonly acknowledgedBy: string;
  /** Reminder number, '{n}' replaced. */
  readonly reminderNumber: string;
  readonly footer: string;
}

export const escalationCardLabelsFrCA: EscalationCardLabels = {
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  title: {
    alert: 'Alerte : personne possiblement en danger',
    reminder: 'Rappel : alerte sans accusé de réception',
    followup: 'Suivi d’une alerte',
  },
  backupSuffix: ' (canal de relève)',
  level: 'Niveau',
  levels: { crisis: 'Crise', concern: 'Préoccupation' },
  categories: 'Signaux',
  categoryNames: {
    selfharm: 'automutilation',
    suicidalideation: 'idées suicidaires',
    suicide: 'idées suicidaires',
    planmeans: 'plan ou moyens',
    plan: 'plan',
    means: 'moyens',
    harmtoothers: 'intention de blesser autrui',
    dangerviolence: 'danger ou violence subie',
    violence: 'danger ou violence subie',
    overdose: 'surdose',
    thirdparty: 'inquiétude pour une autre personne',
  },
  excerpt: 'Extrait du message',
  time: 'Heure',
  person: 'Personne (pseudonyme)',
  reference: 'Référence',
  target: 'Destinataire',
  targets: { clinician: 'Intervenant·e lié·e', oncall: 'Garde' },
  scores: 'Derniers questionnaires',
  noScores: 'Aucun questionnaire récent',
  bands: {
    minimal: 'minimal',
    none: 'aucun',
    mild: 'léger',
    moderate: 'modéré',
    moderately_severe: 'modérément sévère',
    moderatelysevere: 'modérément sévère',
    severe: 'sévère',
    subclinical: 'sous-clinique',
    significant: 'important',
  },
  plan: 'Petits pas en cours',
  noPlan: 'Aucun petit pas en cours',
  saidSafe: 'En sécurité en ce moment ?',
  safe: { yes: 'Oui, selon la personne', no: 'Non, selon la personne', noAnswer: 'Pas de réponse', notAsked: 'Pas encore demandé' },
  acknowledge: 'Accuser réception',
  acknowledgedBy: 'Réception accusée par {by}, {time}',
  reminderNumber: 'Rappel no {n}',
  footer: 'Les ressources de crise ont été montrées à la personne. Suivez le protocole de l’équipe.',
};

export const escalationCardLabelsEnCA: EscalationCardLabels = {
  locale: 'en-CA',
  timeZone: 'America/Toronto',
  title: {
    alert: 'Alert: person possibly at risk',
    reminder: 'Reminder: alert not acknowledged',
    followup: 'Alert follow-up',
  },
  backupSuffix: ' (backup channel)',
  level: 'Level',
  levels: { crisis: 'Crisis', concern: 'Concern' },
  categories: 'Signals',
  categoryNames: {
    selfharm: 'self-harm',
    suicidalideation: 'suicidal thoughts',
    suicide: 'suicidal thoughts',
    planmeans: 'plan or means',
    plan: 'plan',
    means: 'means',
    harmtoothers: 'intent to harm others',
    dangerviolence: 'danger or violence experienced',
    violence: 'danger or violence experienced',
    overdose: 'overdose',
    thirdparty: 'worry about someone else',
  },
  excerpt: 'Message excerpt',
  time: 'Time',
  person: 'Person (pseudonym)',
  reference: 'Reference',
  target: 'Recipient',
  targets: { clinician: 'Linked clinician', oncall: 'On call' },
  scores: 'Latest questionnaires',
  noScores: 'No recent questionnaire',
  bands: {
    minimal: 'minimal',
    none: 'none',
    mild: 'mild',
    moderate: 'moderate',
    moderately_severe: 'moderately severe',
    moderatelysevere: 'moderately severe',
    severe: 'severe',
    subclinical: 'subclinical',
    significant: 'significant',
  },
  plan: 'Current tiny steps',
  noPlan: 'No tiny step in progress',
  saidSafe: 'Safe right now?',
  safe: { yes: 'Yes, per the person', no: 'No, per the person', noAnswer: 'No answer', notAsked: 'Not asked yet' },
  acknowledge: 'Acknowledge',
  acknowledgedBy: 'Acknowledged by {by}, {time}',
  reminderNumber: 'Reminder #{n}',
  footer: 'Crisis resources were shown to the person. Follow your team’s protocol.',
};

/** fr-CA unless the locale is English. */
export function escalationCardLabelsFor(locale: string | undefined): EscalationCardLabels {
  return /^en\b/i.test(locale ?? '') ? escalationCardLabelsEnCA : escalationCardLabelsFrCA;
}
