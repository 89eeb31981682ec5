/**
 * The clinician side's environment variables, read with the same conventions as bot/config.ts
 * (empty = unset, one plain sentence per problem naming the variable, secrets never echoed), so the
 * lead can fold `clinicianEnvSchema` into the main schema or call `readClinicianSettings` beside it.
 *
 * | variable | meaning |
 * |---|---|
 * | TEAMS_CLINICIAN_TEAM_ID | the clinicians' team (channelData.team.id, "19:…@thread.tacv2"); unset = clinician side off |
 * | TEAMS_CLINICIAN_TENANT_ID | their Azure AD tenant; default MicrosoftAppTenantId (one of them is required) |
 * | CLINICIAN_LINK_CODE_HOURS | lifetime of a link code, 1–336 h, default 72 |
 * | CLINICIAN_SUMMARY_HOURS_BEFORE | a scheduled summary goes out this long before the meeting, 1–168 h, default 24 |
 * | CLINICIAN_SUMMARY_WEBHOOK_URL | optional: summaries also POSTed there (https; http only for localhost) |
 * | CLINICIAN_SUMMARY_WEBHOOK_SECRET | HMAC secret for that webhook, required with the URL |
 */
import { z } from 'zod';
import { DEFAULT_LINK_CODE_TTL_HOURS } from '../../core/clinicians/linkCode';

export interface ClinicianSettings {
  readonly tenantId: string;
  readonly teamId: string;
  readonly linkCodeHours: number;
  readonly summaryHoursBefore: number;
  readonly summaryWebhook?: { readonly url: string; readonly secret: string };
}

export type ClinicianSettingsResult =
  | { readonly ok: true; readonly settings?: ClinicianSettings }
  | { readonly ok: false; readonly problems: readonly string[] };

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
        .transform(Number)
        .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }))
        .optional(),
    )
    .transform((value) => value ?? fallback);

export const clinicianEnvSchema = z
  .object({
    TEAMS_CLINICIAN_TEAM_ID: optionalText,
    TEAMS_CLINICIAN_TENANT_ID: optionalText,
    MicrosoftAppTenantId: optionalText,
    CLINICIAN_LINK_CODE_HOURS: wholeNumber(1, 336, DEFAULT_LINK_CODE_TTL_HOURS),
    CLINICIAN_SUMMARY_HOURS_BEFORE: wholeNumber(1, 168, 24),
    CLINICIAN_SUMMARY_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be an https URL' }).optional()),
    CLINICIAN_SUMMARY_WEBHOOK_SECRET: optionalText,
  })
  .superRefine((env, ctx) => {
    if (env.TEAMS_CLINICIAN_TEAM_ID) {
      if (!/^19:[^\s]{1,200}$/.test(env.TEAMS_CLINICIAN_TEAM_ID)) {
        ctx.addIssue({ code: 'custom', path: ['TEAMS_CLINICIAN_TEAM_ID'], message: 'must be the team id Teams sends (channelData.team.id), e.g. 19:…@thread.tacv2' });
      }
      if (!env.TEAMS_CLINICIAN_TENANT_ID && !env.MicrosoftAppTenantId) {
        ctx.addIssue({ code: 'custom', path: ['TEAMS_CLINICIAN_TENANT_ID'], message: 'is required when TEAMS_CLINICIAN_TEAM_ID is set (or set MicrosoftAppTenantId)' });
      }
    }
    const tenant = env.TEAMS_CLINICIAN_TENANT_ID;
    if (tenant && !/^[0-9a-fA-F-]{36}$/.test(tenant)) {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_CLINICIAN_TENANT_ID'], message: 'must be an Azure AD tenant id (a GUID)' });
    }
    if (env.CLINICIAN_SUMMARY_WEBHOOK_URL) {
      const url = new URL(env.CLINICIAN_SUMMARY_WEBHOOK_URL);
      const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
        ctx.addIssue({ code: 'custom', path: ['CLINICIAN_SUMMARY_WEBHOOK_URL'], message: 'must use https (plain http only for localhost)' });
      }
      if (!env.CLINICIAN_SUMMARY_WEBHOOK_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['CLINICIAN_SUMMARY_WEBHOOK_SECRET'], message: 'is required when CLINICIAN_SUMMARY_WEBHOOK_URL is set' });
      }
    }
  });

/** The clinician settings, `settings: undefined` when the clinician side is not configured. */
export function readClinicianSettings(env: NodeJS.ProcessEnv): ClinicianSettingsResult {
  const parsed = clinicianEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'configuration');
      const value = env[variable];
      const shown = value === undefined || /KEY|PASSWORD|SECRET/i.test(variable) ? '' : ` (got "${value}")`;
      return `${variable} ${issue.message}${shown}`;
    });
    return { ok: false, problems: [...new Set(problems)] };
  }
  const e = parsed.data;
  if (!e.TEAMS_CLINICIAN_TEAM_ID) return { ok: true };
  return {
    ok: true,
    settings: {
      tenantId: (e.TEAMS_CLINICIAN_TENANT_ID ?? e.MicrosoftAppTenantId) as string,
      teamId: e.TEAMS_CLINICIAN_TEAM_ID,
      linkCodeHours: e.CLINICIAN_LINK_CODE_HOURS,
      summaryHoursBefore: e.CLINICIAN_SUMMARY_HOURS_BEFORE,
      ...(e.CLINICIAN_SUMMARY_WEBHOOK_URL ? { summaryWebhook: { url: e.CLINICIAN_SUMMARY_WEBHOOK_URL, secret: e.CLINICIAN_SUMMARY_WEBHOOK_SECRET as string } } : {}),
    },
  };
}

/** The variables read here (for the .env.example parity test). */
export const CLINICIAN_VARIABLES: readonly string[] = [
  'TEAMS_CLINICIAN_TEAM_ID',
  'TEAMS_CLINICIAN_TENANT_ID',
  'CLINICIAN_LINK_CODE_HOURS',
  'CLINICIAN_SUMMARY_HOURS_BEFORE',
  'CLINICIAN_SUMMARY_WEBHOOK_URL',
  'CLINICIAN_SUMMARY_WEBHOOK_SECRET',
];
