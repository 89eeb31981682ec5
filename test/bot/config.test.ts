import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../bot/config';

describe('configuration', () => {
  it('runs on the embedded default with nothing set', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.port).toBe(3978);
    expect(result.config.dataDir).toBe('./data');
    expect(result.config.storage).toEqual({ provider: 'file' });
    expect(result.config.credentials).toBeUndefined();
    expect(result.config.defaultLocale).toBe('fr-CA');
    expect(result.config.defaultTimeZone).toBe('America/Toronto');
    expect(result.config.escalation.ackMinutes).toBe(15);
  });

  it('refuses invalid values with one line per problem naming the variable', () => {
    const result = loadConfig({ PORT: 'abc', STORAGE_PROVIDER: 'mongo', DEFAULT_LOCALE: 'de-DE', DEFAULT_TIMEZONE: 'Mars/Base', ESCALATION_ACK_MINUTES: '0' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(5);
    for (const variable of ['PORT', 'STORAGE_PROVIDER', 'DEFAULT_LOCALE', 'DEFAULT_TIMEZONE', 'ESCALATION_ACK_MINUTES']) {
      expect(result.problems.filter((line) => line.startsWith(`${variable} `))).toHaveLength(1);
    }
  });

  it('requires an endpoint and a key for Cosmos DB', () => {
    const result = loadConfig({ STORAGE_PROVIDER: 'cosmos' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((p) => p.startsWith('COSMOS_ENDPOINT '))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('COSMOS_KEY '))).toBe(true);
  });

  it('accepts a complete Cosmos configuration and managed identity without a key', () => {
    const result = loadConfig({ STORAGE_PROVIDER: 'cosmos', COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', COSMOS_USE_MANAGED_IDENTITY: 'true' });
    expect(result.ok && result.config.storage.provider === 'cosmos' && result.config.storage.useManagedIdentity).toBe(true);
  });

  it('requires the password and tenant with an app id, and never echoes secrets', () => {
    const result = loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: '', MicrosoftAppType: 'SingleTenant' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^MicrosoftAppPassword /), expect.stringMatching(/^MicrosoftAppTenantId /)]));
    const withSecret = loadConfig({ COSMOS_KEY: 'super-secret-value', STORAGE_PROVIDER: 'cosmos', COSMOS_ENDPOINT: 'not a url' });
    expect(JSON.stringify(withSecret)).not.toContain('super-secret-value');
  });

  it('normalises the default locale and refuses a plain-http webhook off localhost', () => {
    const ok = loadConfig({ DEFAULT_LOCALE: 'en' });
    expect(ok.ok && ok.config.defaultLocale).toBe('en-CA');
    const bad = loadConfig({ ESCALATION_WEBHOOK_URL: 'http://example.org/hook', ESCALATION_WEBHOOK_SECRET: 's' });
    expect(bad.ok).toBe(false);
  });

  it('documents every variable in .env.example, and nothing more', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Za-z_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...CONFIG_VARIABLES].sort());
  });
});
