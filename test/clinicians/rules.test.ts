/**
 * Pure rules of the clinician side: link codes, the Teams gate, command parsing, reading requests
 * from people. No store, no SDK.
 */
import { randomInt } from 'node:crypto';
import { gateClinicianTurn, isPersonId, mayClinicianSee, readPersonId, type TeamsTurnFacts } from '../../core/clinicians/access';
import { parseClinicianCommand } from '../../core/clinicians/commands';
import {
  extractLinkCode,
  formatLinkCode,
  generateLinkCode,
  LINK_CODE_ALPHABET,
  linkCodeDigest,
  linkCodeState,
  newLinkCodeRecord,
  normalizeLinkCode,
  useLinkCode,
} from '../../core/clinicians/linkCode';
import { readLinkRequest } from '../../dialogs/linkCodeDialog';
import { readClinicianSettings } from '../../bot/clinicians/settings';
import { CLIN_A, TEAM, TENANT } from './helpers';

describe('link codes', () => {
  it('are 8 characters from an alphabet without look-alikes, uniformly drawn', () => {
    expect(LINK_CODE_ALPHABET).toHaveLength(31);
    expect(LINK_CODE_ALPHABET).not.toMatch(/[IL O01]/);
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const code = generateLinkCode(randomInt);
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
      for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(31); // every character shows up
    expect(() => generateLinkCode(() => 31)).toThrow(RangeError);
  });

  it('are read back from what people type, and nothing else', () => {
    expect(normalizeLinkCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalizeLinkCode(' ABCD EFGH ')).toBe('ABCDEFGH');
    expect(normalizeLinkCode('ab cd–ef.gh')).toBe('ABCDEFGH');
    expect(normalizeLinkCode('ABCD-EFG0')).toBeUndefined(); // 0 is not in the alphabet
    expect(normalizeLinkCode('ABCDEFGHJ')).toBeUndefined();
    expect(normalizeLinkCode(12345678)).toBeUndefined();
    expect(formatLinkCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(extractLinkCode('mon code est ABCD-EFGH merci')).toBe('ABCDEFGH');
    expect(extractLinkCode("j'ai un code abcd efgh")).toBe('ABCDEFGH');
    expect(extractLinkCode('ABCD-EFGH ou WXYZ-2345 ?')).toBeUndefined(); // two candidates: ask again
    expect(extractLinkCode('bonjour tout le monde')).toBeUndefined();
  });

  it('are stored as a keyed digest: same code and secret, same digest; another secret, another', () => {
    const a = linkCodeDigest('secret-1', 'abcd-efgh');
    expect(a).toBe(linkCodeDigest('secret-1', 'ABCDEFGH'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain('ABCDEFGH');
    expect(linkCodeDigest('secret-2', 'ABCDEFGH')).not.toBe(a);
    expect(() => linkCodeDigest('', 'ABCDEFGH')).toThrow(TypeError);
  });

  it('live 72 h by default, once; used beats expired', () => {
    const now = new Date('2025-03-01T12:00:00.000Z');
    const record = newLinkCodeRecord('clin', now);
    expect(record.expiresAt).toBe('2025-03-04T12:00:00.000Z');
    expect(linkCodeState(record, new Date('2025-03-04T11:59:59.999Z'))).toBe('valid');
    expect(linkCodeState(record, new Date('2025-03-04T12:00:00.000Z'))).toBe('expired');
    const used = useLinkCode(record, 'P-0123456789AB', now);
    expect(linkCodeState(used, now)).toBe('used');
    expect(linkCodeState(used, new Date('2025-04-01T00:00:00.000Z'))).toBe('used');
    expect(useLinkCode(used, 'P-FFFFFFFFFFFF', now)).toBe(used); // a second use changes nothing
    expect(newLinkCodeRecord('clin', now, 1).expiresAt).toBe('2025-03-01T13:00:00.000Z');
    expect(newLinkCodeRecord('clin', now, 10_000).expiresAt).toBe('2025-03-15T12:00:00.000Z'); // capped at 14 days
  });
});

describe('the Teams gate', () => {
  const team = { tenantId: TENANT, teamId: TEAM };
  const personal: TeamsTurnFacts = { channelId: 'msteams', tenantId: TENANT, conversationType: 'personal', aadObjectId: CLIN_A.aad, userId: CLIN_A.id };

  it('asks for a membership check in a personal chat or a channel of the team', () => {
    expect(gateClinicianTurn(personal, team)).toEqual({ outcome: 'check_membership', clinicianId: CLIN_A.aad, userId: CLIN_A.id, place: 'personal' });
    expect(gateClinicianTurn({ ...personal, conversationType: 'channel', teamId: TEAM }, team)).toMatchObject({ outcome: 'check_membership', place: 'channel' });
    expect(gateClinicianTurn({ ...personal, tenantId: TENANT.toUpperCase(), aadObjectId: CLIN_A.aad.toUpperCase() }, team)).toMatchObject({ clinicianId: CLIN_A.aad });
  });

  it('refuses other channels, tenants, teams, group chats, and missing identities', () => {
    const refuse = (facts: TeamsTurnFacts) => (gateClinicianTurn(facts, team) as { reason?: string }).reason;
    expect(refuse({ ...personal, channelId: 'webchat' })).toBe('not_teams');
    expect(refuse({ ...personal, tenantId: '0e2a4f57-1b9c-4d6e-8f10-2a3b4c5d6e7f' })).toBe('other_tenant');
    expect(refuse({ ...personal, tenantId: undefined })).toBe('other_tenant');
    expect(refuse({ ...personal, aadObjectId: undefined })).toBe('no_identity');
    expect(refuse({ ...personal, aadObjectId: 'not an id!' })).toBe('no_identity');
    expect(refuse({ ...personal, conversationType: 'channel', teamId: '19:other@thread.tacv2' })).toBe('other_team');
    expect(refuse({ ...personal, conversationType: 'channel' })).toBe('other_team');
    expect(refuse({ ...personal, conversationType: 'groupChat' })).toBe('group_chat');
    expect(gateClinicianTurn(personal, undefined)).toMatchObject({ outcome: 'refuse' });
  });

  it('lets a clinician see a person only through the person’s own link and consent', () => {
    const link = { clinicianId: 'clin-a', personId: 'P-0123456789AB' };
    expect(mayClinicianSee('clin-a', 'P-0123456789AB', link, true)).toBe(true);
    expect(mayClinicianSee('clin-b', 'P-0123456789AB', link, true)).toBe(false);
    expect(mayClinicianSee('clin-a', 'P-0123456789AB', link, false)).toBe(false);
    expect(mayClinicianSee('clin-a', 'P-FFFFFFFFFFFF', link, true)).toBe(false);
    expect(mayClinicianSee('clin-a', 'P-0123456789AB', undefined, true)).toBe(false);
  });

  it('reads pseudonyms as clinicians type them', () => {
    expect(readPersonId('résumé p-7a1c03e9b2d4')).toBe('P-7A1C03E9B2D4');
    expect(readPersonId('summary P 7A1C03E9B2D4')).toBe('P-7A1C03E9B2D4');
    expect(readPersonId('P-7A1C03E9B2D')).toBeUndefined();
    expect(readPersonId('P-7A1C03E9B2D4X')).toBeUndefined();
    expect(isPersonId('P-7A1C03E9B2D4')).toBe(true);
    expect(isPersonId('P-7a1c03e9b2d4')).toBe(false);
  });
});

describe('clinician commands', () => {
  it('reads the commands in French and English', () => {
    expect(parseClinicianCommand('nouveau code', 'personal')).toEqual({ command: { kind: 'newCode' }, ambiguous: true });
    expect(parseClinicianCommand('Code', 'personal')).toEqual({ command: { kind: 'newCode' }, ambiguous: true });
    expect(parseClinicianCommand('new code', 'channel')?.command).toEqual({ kind: 'newCode' });
    expect(parseClinicianCommand('liste', 'personal')?.command).toEqual({ kind: 'list' });
    expect(parseClinicianCommand('Résumé P-7A1C03E9B2D4', 'personal')).toEqual({ command: { kind: 'summary', personId: 'P-7A1C03E9B2D4' }, ambiguous: false });
    expect(parseClinicianCommand('summary p-7a1c03e9b2d4', 'personal')?.command).toEqual({ kind: 'summary', personId: 'P-7A1C03E9B2D4' });
    expect(parseClinicianCommand('délier P-7A1C03E9B2D4', 'channel')?.command).toEqual({ kind: 'unlink', personId: 'P-7A1C03E9B2D4' });
    expect(parseClinicianCommand('unlink P-7A1C03E9B2D4', 'personal')?.command).toEqual({ kind: 'unlink', personId: 'P-7A1C03E9B2D4' });
    expect(parseClinicianCommand('résumé', 'personal')).toEqual({ command: { kind: 'missingPerson', command: 'summary' }, ambiguous: true });
    expect(parseClinicianCommand('résumé P-12', 'personal')).toEqual({ command: { kind: 'missingPerson', command: 'summary' }, ambiguous: false });
  });

  it('keeps the person’s own words for the person: help only in the channel, no command in ordinary sentences', () => {
    expect(parseClinicianCommand('aide', 'personal')).toBeUndefined();
    expect(parseClinicianCommand('aide', 'channel')?.command).toEqual({ kind: 'help' });
    expect(parseClinicianCommand('', 'channel')?.command).toEqual({ kind: 'help' });
    expect(parseClinicianCommand('aide clinicien', 'personal')?.command).toEqual({ kind: 'help' });
    expect(parseClinicianCommand('résumé de ma semaine', 'personal')).toBeUndefined();
    expect(parseClinicianCommand('je veux un code pour mon téléphone', 'personal')).toBeUndefined();
    expect(parseClinicianCommand('x'.repeat(300), 'personal')).toBeUndefined();
  });

  it('reads a person’s request to link or unlink', () => {
    expect(readLinkRequest('code')).toEqual({ mode: 'link' });
    expect(readLinkRequest("J'ai un code : abcd-efgh")).toEqual({ mode: 'link', code: 'ABCDEFGH' });
    expect(readLinkRequest('ABCD-EFGH')).toEqual({ mode: 'link', code: 'ABCDEFGH' });
    expect(readLinkRequest('délier')).toEqual({ mode: 'unlink' });
    expect(readLinkRequest('unlink')).toEqual({ mode: 'unlink' });
    expect(readLinkRequest('je me sens mieux')).toBeUndefined();
  });
});

describe('clinician settings', () => {
  it('are off without a team, read with defaults, and refuse half configurations', () => {
    expect(readClinicianSettings({})).toEqual({ ok: true });
    expect(readClinicianSettings({ TEAMS_CLINICIAN_TEAM_ID: TEAM, MicrosoftAppTenantId: TENANT })).toEqual({
      ok: true,
      settings: { tenantId: TENANT, teamId: TEAM, linkCodeHours: 72, summaryHoursBefore: 24 },
    });
    const full = readClinicianSettings({
      TEAMS_CLINICIAN_TEAM_ID: TEAM,
      TEAMS_CLINICIAN_TENANT_ID: TENANT,
      CLINICIAN_LINK_CODE_HOURS: '48',
      CLINICIAN_SUMMARY_WEBHOOK_URL: 'https://ehr.example.ca/hooks/summary',
      CLINICIAN_SUMMARY_WEBHOOK_SECRET: 'shh',
    });
    expect(full).toMatchObject({ ok: true, settings: { linkCodeHours: 48, summaryWebhook: { url: 'https://ehr.example.ca/hooks/summary', secret: 'shh' } } });
    const bad = readClinicianSettings({ TEAMS_CLINICIAN_TEAM_ID: 'general', CLINICIAN_SUMMARY_WEBHOOK_URL: 'http://ehr.example.ca/x', CLINICIAN_LINK_CODE_HOURS: '0' });
    expect(bad.ok).toBe(false);
    const problems = (bad as { problems: readonly string[] }).problems.join('\n');
    expect(problems).toMatch(/TEAMS_CLINICIAN_TEAM_ID must be the team id/);
    expect(problems).toMatch(/TEAMS_CLINICIAN_TENANT_ID is required/);
    expect(problems).toMatch(/CLINICIAN_SUMMARY_WEBHOOK_URL must use https/);
    expect(problems).toMatch(/CLINICIAN_SUMMARY_WEBHOOK_SECRET is required/);
    expect(problems).toMatch(/CLINICIAN_LINK_CODE_HOURS must be at least 1/);
  });
});
