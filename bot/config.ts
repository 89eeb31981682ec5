import { z } from 'zod';
import { SUPPORTED_LOCALES, normalizeLocale, type Locale } from '../core/i18n/locale';

/**
 * Every environment variable the bot reads, in one place. `.env.example` documents each of them;
 * test/bot/config.test.ts keeps the two in step. Invalid configuration is refused as a whole, with
 * one line per problem naming the variable, so the bot never starts half-configured.
 */

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }))
      .optional(),
  ).transform((value) => value ?? fallback);

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    PORT: integer(0, 65535, 3978),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL such as https://petitspas.example.ca' }).optional()),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    STORAGE_PROVIDER: z.preprocess(
      emptyToUndefined,
      z.enum(['file', 'cosmos'], { message: 'must be "file" or "cosmos"' }).default('file'),
    ),
    COSMOS_ENDPOINT: z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL such as https://account.documents.azure.com:443/' }).optional()),
    COSMOS_KEY: optionalText,
    COSMOS_DATABASE: z.preprocess(emptyToUndefined, z.string().default('petitspas')),
    COSMOS_USE_MANAGED_IDENTITY: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false')),
    COSMOS_ALLOW_SELF_SIGNED: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false')),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.preprocess(
      emptyToUndefined,
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }).default('SingleTenant'),
    ),
    MicrosoftAppTenantId: optionalText,
    DEFAULT_LOCALE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('fr-CA')
        .refine((value) => normalizeLocale(value) !== undefined, { message: `must be one of ${SUPPORTED_LOCALES.join(', ')}` })
        .transform((value) => normalizeLocale(value) as Locale),
    ),
    DEFAULT_TIMEZONE: z.preprocess(
      emptyToUndefined,
      z.string().default('America/Toronto').refine(isValidTimeZone, { message: 'must be an IANA time zone such as America/Toronto' }),
    ),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent'], { message: 'must be debug, info, warn, error or silent' }).default('info')),
    PSEUDONYM_SECRET: optionalText,
    ESCALATION_ACK_MINUTES: integer(1, 1440, 15),
    ESCALATION_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be an https URL' }).optional()),
    ESCALATION_WEBHOOK_SECRET: optionalText,
    DIRECT_LINE_SECRET: optionalText,
    DIRECT_LINE_ENDPOINT: z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL such as https://directline.botframework.com' }).optional()),
    TEAMS_SERVICE_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be the Teams service URL, e.g. https://smba.trafficmanager.net/ca/' }).optional()),
    TEAMS_ONCALL_CHANNEL_ID: optionalText,
    TEAMS_BACKUP_CHANNEL_ID: optionalText,
    RETENTION_DAYS: integer(1, 3650, 365),
    MAX_MESSAGE_CHARS: integer(100, 100000, 4000),
    RATE_LIMIT_CONVERSATION: integer(0, 10000, 30),
    RATE_LIMIT_IP: integer(0, 100000, 120),
    TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false')),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_PROVIDER === 'cosmos') {
      if (!env.COSMOS_ENDPOINT) ctx.addIssue({ code: 'custom', path: ['COSMOS_ENDPOINT'], message: 'is required when STORAGE_PROVIDER=cosmos' });
      if (!env.COSMOS_KEY && env.COSMOS_USE_MANAGED_IDENTITY !== 'true') {
        ctx.addIssue({ code: 'custom', path: ['COSMOS_KEY'], message: 'is required when STORAGE_PROVIDER=cosmos (or set COSMOS_USE_MANAGED_IDENTITY=true)' });
      }
    }
    const hasId = Boolean(env.MicrosoftAppId);
    const needsPassword = env.MicrosoftAppType !== 'UserAssignedMSI';
    if (hasId && needsPassword && !env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (!hasId && env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required when MicrosoftAppPassword is set' });
    }
    if (hasId && env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `is required when MicrosoftAppType=${env.MicrosoftAppType}` });
    }
    if (env.TEAMS_ONCALL_CHANNEL_ID || env.TEAMS_BACKUP_CHANNEL_ID) {
      if (!hasId) ctx.addIssue({ code: 'custom', path: ['TEAMS_ONCALL_CHANNEL_ID'], message: 'needs MicrosoftAppId (Teams only accepts proactive cards from a registered bot)' });
      if (!env.TEAMS_SERVICE_URL) ctx.addIssue({ code: 'custom', path: ['TEAMS_SERVICE_URL'], message: 'is required when a Teams channel is configured' });
      if (!env.TEAMS_ONCALL_CHANNEL_ID) ctx.addIssue({ code: 'custom', path: ['TEAMS_ONCALL_CHANNEL_ID'], message: 'is required when TEAMS_BACKUP_CHANNEL_ID is set' });
    }
    if (env.ESCALATION_WEBHOOK_URL) {
      const url = new URL(env.ESCALATION_WEBHOOK_URL);
      const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      if (url.protocol !== 'https:' && !local) {
        ctx.addIssue({ code: 'custom', path: ['ESCALATION_WEBHOOK_URL'], message: 'must use https (plain http only for localhost)' });
      }
      if (!env.ESCALATION_WEBHOOK_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['ESCALATION_WEBHOOK_SECRET'], message: 'is required when ESCALATION_WEBHOOK_URL is set' });
      }
    }
  });

export type Config = Readonly<{
  port: number;
  host: string;
  /** How people reach the bot (download links); defaults to the local address. */
  publicBaseUrl?: string;
  dataDir: string;
  storage:
    | { provider: 'file' }
    | { provider: 'cosmos'; endpoint: string; key?: string; database: string; useManagedIdentity: boolean; allowSelfSigned: boolean };
  /** Undefined in local mode: /api/messages is then open, which start-up says loudly. */
  credentials?: { appId: string; appPassword?: string; appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI'; tenantId?: string };
  defaultLocale: Locale;
  defaultTimeZone: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  pseudonymSecret: string;
  pseudonymSecretIsDefault: boolean;
  escalation: {
    ackMinutes: number;
    webhook?: { url: string; secret: string };
    teams?: { serviceUrl: string; oncallChannelId: string; backupChannelId?: string; tenantId?: string };
  };
  retentionDays: number;
  maxMessageChars: number;
  /** Production web chat: the page gets tokens exchanged from this secret (never sent to browsers). */
  directLine?: { secret: string; endpoint?: string };
  /** Messages per 10 s per conversation and per client address; null = off. */
  rateLimit: { perConversation: { limit: number; windowMs: number } | null; perIp: { limit: number; windowMs: number } | null };
  /** Behind App Service / Front Door: trust X-Forwarded-For and -Proto. */
  trustProxy: boolean;
  /** The clinicians' Teams team (linking, acknowledgements, summaries); undefined = not configured. */
  clinicians?: ClinicianSettings;
}>;

import { CLINICIAN_VARIABLES, readClinicianSettings, type ClinicianSettings } from './clinicians/settings';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** A fixed development secret: pseudonyms stay stable locally; production must set its own. */
const LOCAL_PSEUDONYM_SECRET = 'petits-pas-local-development-only';

export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = schema.safeParse(env);
  const clinicians = readClinicianSettings(env);
  if (!parsed.success || !clinicians.ok) {
    const clinicianProblems = clinicians.ok ? [] : clinicians.problems;
    if (parsed.success) return { ok: false, problems: [...clinicianProblems] };
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'configuration');
      const value = env[variable];
      const shown = value === undefined || /KEY|PASSWORD|SECRET/i.test(variable) ? '' : ` (got "${value}")`;
      return `${variable} ${issue.message}${shown}`;
    });
    return { ok: false, problems: [...new Set([...problems, ...clinicianProblems])] };
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    dataDir: e.DATA_DIR,
    storage:
      e.STORAGE_PROVIDER === 'cosmos'
        ? {
            provider: 'cosmos',
            endpoint: e.COSMOS_ENDPOINT as string,
            key: e.COSMOS_KEY,
            database: e.COSMOS_DATABASE,
            useManagedIdentity: e.COSMOS_USE_MANAGED_IDENTITY === 'true',
            allowSelfSigned: e.COSMOS_ALLOW_SELF_SIGNED === 'true',
          }
        : { provider: 'file' },
    credentials: e.MicrosoftAppId
      ? { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId }
      : undefined,
    defaultLocale: e.DEFAULT_LOCALE,
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    pseudonymSecret: e.PSEUDONYM_SECRET ?? LOCAL_PSEUDONYM_SECRET,
    pseudonymSecretIsDefault: !e.PSEUDONYM_SECRET,
    escalation: {
      ackMinutes: e.ESCALATION_ACK_MINUTES,
      webhook: e.ESCALATION_WEBHOOK_URL ? { url: e.ESCALATION_WEBHOOK_URL, secret: e.ESCALATION_WEBHOOK_SECRET as string } : undefined,
      teams:
        e.TEAMS_ONCALL_CHANNEL_ID && e.TEAMS_SERVICE_URL
          ? { serviceUrl: e.TEAMS_SERVICE_URL, oncallChannelId: e.TEAMS_ONCALL_CHANNEL_ID, backupChannelId: e.TEAMS_BACKUP_CHANNEL_ID, tenantId: e.MicrosoftAppTenantId }
          : undefined,
    },
    retentionDays: e.RETENTION_DAYS,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    directLine: e.DIRECT_LINE_SECRET ? { secret: e.DIRECT_LINE_SECRET, endpoint: e.DIRECT_LINE_ENDPOINT } : undefined,
    clinicians: clinicians.settings,
    rateLimit: {
      perConversation: e.RATE_LIMIT_CONVERSATION ? { limit: e.RATE_LIMIT_CONVERSATION, windowMs: 10_000 } : null,
      perIp: e.RATE_LIMIT_IP ? { limit: e.RATE_LIMIT_IP, windowMs: 10_000 } : null,
    },
    trustProxy: e.TRUST_PROXY === 'true',
  };
  return { ok: true, config };
}

/** The variable names the schema knows, for the .env.example parity test. */
export const CONFIG_VARIABLES: readonly string[] = [...new Set([...Object.keys(schema.shape), ...CLINICIAN_VARIABLES])];
