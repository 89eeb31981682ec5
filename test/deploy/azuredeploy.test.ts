import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../bot/config';
import { COLLECTIONS } from '../../core/ports/documentStore';

/**
 * Offline structural checks of deploy/azuredeploy.json (no Azure, no Bicep): the template declares what
 * production needs, wires secrets only through Key Vault, and sets only variables the app knows.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Resource {
  type: string;
  apiVersion: string;
  name: string;
  location?: string;
  kind?: string;
  condition?: string;
  scope?: string;
  copy?: { name: string; count: string };
  sku?: JsonObject;
  identity?: JsonObject;
  properties?: any;
  dependsOn?: string[];
}

interface Parameter {
  type: string;
  defaultValue?: Json;
  allowedValues?: Json[];
  minValue?: number;
  maxValue?: number;
  metadata?: { description?: string };
}

interface Template {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, Parameter>;
  variables: Record<string, any>;
  resources: Resource[];
  outputs: Record<string, { type: string; value: string }>;
}

const ROOT = join(__dirname, '..', '..');
const TEMPLATE_PATH = join(ROOT, 'deploy', 'azuredeploy.json');
const EXAMPLE_PATH = join(ROOT, 'deploy', 'azuredeploy.parameters.example.json');
const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as Template;

/**
 * The clinician side reads its variables beside bot/config.ts (bot/clinicians/settings.ts) until they
 * are folded into its schema; then this list is simply empty and CONFIG_VARIABLES holds them.
 */
function clinicianVariables(): readonly string[] {
  try {
    return (require('../../bot/clinicians/settings') as { CLINICIAN_VARIABLES?: readonly string[] }).CLINICIAN_VARIABLES ?? [];
  } catch {
    return [];
  }
}
const APP_VARIABLES: readonly string[] = [...CONFIG_VARIABLES, ...clinicianVariables()];

/** Settings that App Service or its extensions read, not the app: allowed on top of the app's variables. */
const PLATFORM_SETTINGS = new Set(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'ApplicationInsightsAgent_EXTENSION_VERSION']);
const PLATFORM_PREFIXES = ['WEBSITE_', 'SCM_'];
/** The same rule bot/config.ts uses to hide values in its error lines. */
const SECRET_NAME = /KEY|PASSWORD|SECRET/i;

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const COSMOS_DATA_CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listTs(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function resourcesOfType(type: string): Resource[] {
  return template.resources.filter((resource) => resource.type.toLowerCase() === type.toLowerCase());
}

function only(type: string): Resource {
  const found = resourcesOfType(type);
  expect(found.map((r) => r.type)).toEqual([type]);
  return found[0];
}

/** Every string in a JSON value, with its path (for error messages). */
function strings(node: unknown, path = '$'): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([key, value]) => strings(value, `${path}.${key}`));
  return [];
}

function referenced(kind: 'parameters' | 'variables', node: unknown): Set<string> {
  const pattern = new RegExp(`\\b${kind}\\('([^']+)'\\)`, 'g');
  const names = new Set<string>();
  for (const [, value] of strings(node)) for (const match of value.matchAll(pattern)) names.add(match[1]);
  return names;
}

/** `[parameters('x')]` → the parameter's default; `[variables('x')]` / `[variables('x').y]` → the variable; else the value itself. */
function resolve(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parameter = /^\[parameters\('([^']+)'\)\]$/.exec(value);
  if (parameter) return template.parameters[parameter[1]]?.defaultValue;
  const variable = /^\[variables\('([^']+)'\)(?:\.(\w+))?\]$/.exec(value);
  if (variable) {
    const found = template.variables[variable[1]];
    return resolve(variable[2] ? found?.[variable[2]] : found);
  }
  return value;
}

function appSettings(): Record<string, string> {
  const config = resourcesOfType('Microsoft.Web/sites/config').find((r) => r.name.includes("/appsettings'"));
  expect(config).toBeDefined();
  return config!.properties as Record<string, string>;
}

function webApp(): Resource {
  return only('Microsoft.Web/sites');
}

/** The expression that designates the web app's system-assigned identity. */
const WEB_APP_PRINCIPAL = "[reference(variables('webAppId'), '2023-12-01', 'full').identity.principalId]";

describe('deploy/azuredeploy.json', () => {
  it('is an ARM deployment template with an ARM schema and a content version', () => {
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const section of ['parameters', 'variables', 'outputs'] as const) expect(typeof template[section]).toBe('object');
    expect(Array.isArray(template.resources)).toBe(true);
    for (const resource of template.resources) {
      expect(resource.type).toMatch(/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/);
      expect(resource.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
      expect(typeof resource.name).toBe('string');
    }
  });

  it('declares exactly the parameters it uses, each with a description', () => {
    const declared = Object.keys(template.parameters).sort();
    const used = [...referenced('parameters', [template.parameters, template.variables, template.resources, template.outputs])].sort();
    expect(used).toEqual(declared);
    for (const [name, parameter] of Object.entries(template.parameters)) {
      expect([name, typeof parameter.metadata?.description]).toEqual([name, 'string']);
      expect(parameter.metadata!.description!.length).toBeGreaterThan(20);
    }
  });

  it('declares exactly the variables it uses', () => {
    const declared = Object.keys(template.variables).sort();
    const used = [...referenced('variables', [template.variables, template.resources, template.outputs])].sort();
    expect(used).toEqual(declared);
  });

  it('keeps secrets out of the repository: secure parameters without defaults, flowing only into Key Vault', () => {
    const secure = Object.entries(template.parameters).filter(([, p]) => p.type.toLowerCase() === 'securestring');
    expect(secure.map(([name]) => name).sort()).toEqual(['clinicianSummaryWebhookSecret', 'escalationWebhookSecret', 'microsoftAppPassword', 'pseudonymSecret']);
    for (const [name, parameter] of Object.entries(template.parameters)) {
      if (/password|secret/i.test(name)) expect([name, parameter.type]).toEqual([name, 'securestring']);
    }
    for (const [name, parameter] of secure) expect([name, parameter.defaultValue ?? '']).toEqual([name, '']);

    // A secure parameter may only be the value of a Key Vault secret (and the condition that creates it).
    for (const [name] of secure) {
      const uses = template.resources.flatMap((resource) =>
        strings(resource).filter(([, value]) => value.includes(`parameters('${name}')`)).map(([path]) => `${resource.type} ${path}`),
      );
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(/^Microsoft\.KeyVault\/vaults\/secrets \$\.(properties\.value|condition)$/);
      expect(strings(template.outputs).some(([, value]) => value.includes(`parameters('${name}')`))).toBe(false);
    }

    // No literal value under a password/secret-like key anywhere, and no output that could leak one.
    for (const [path, value] of strings(template.resources)) {
      const key = path.split('.').pop() ?? '';
      if (/(password|secret)$/i.test(key) && !/^(secretNames|contentType)$/.test(key)) {
        expect([path, value.startsWith('[') || value === '']).toEqual([path, true]);
      }
    }
    for (const [name, output] of Object.entries(template.outputs)) {
      expect([name, output.type.toLowerCase()]).not.toEqual([name, 'securestring']);
      expect(output.value).not.toMatch(/list(Keys|ChannelWithKeys|Secrets)\(|keyVaultReferences/);
    }
  });

  it('ships an example parameters file without secrets, naming every required parameter', () => {
    const example = JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as { $schema: string; contentVersion: string; parameters: Record<string, { value?: Json }> };
    expect(example.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#');
    expect(example.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const name of Object.keys(example.parameters)) {
      expect([name, name in template.parameters]).toEqual([name, true]);
      expect([name, template.parameters[name].type]).not.toEqual([name, 'securestring']);
      const allowed = template.parameters[name].allowedValues;
      if (allowed) expect(allowed).toContain(example.parameters[name].value);
    }
    const required = Object.entries(template.parameters).filter(([, p]) => p.defaultValue === undefined && p.type !== 'securestring');
    for (const [name] of required) expect([name, name in example.parameters]).toEqual([name, true]);
  });

  it('defaults to canadacentral, offers canadaeast, and keeps every regional resource there', () => {
    const location = template.parameters.location;
    expect(location.defaultValue).toBe('canadacentral');
    expect(location.allowedValues).toEqual(expect.arrayContaining(['canadacentral', 'canadaeast']));
    for (const resource of template.resources) {
      if (resource.location === undefined) continue;
      const isGlobal = resource.type.startsWith('Microsoft.BotService/') || resource.type === 'Microsoft.Insights/actionGroups';
      const expected = isGlobal ? 'global' : "[parameters('location')]";
      expect([resource.type, resource.location]).toEqual([resource.type, expected]);
    }
  });

  describe('Azure Bot', () => {
    it('is a single-tenant Azure Bot pointing at the web app /api/messages', () => {
      const bot = only('Microsoft.BotService/botServices');
      expect(bot.kind).toBe('azurebot');
      expect(bot.properties.msaAppType).toBe('SingleTenant');
      expect(bot.properties.msaAppId).toBe("[parameters('msaAppId')]");
      expect(bot.properties.msaAppTenantId).toBe("[parameters('msaAppTenantId')]");
      expect(bot.properties.endpoint).toMatch(/^\[format\('https:\/\/\{0\}\/api\/messages', reference\(variables\('webAppId'\)/);
      expect(template.parameters.msaAppTenantId.defaultValue).toBe('[subscription().tenantId]');
    });

    it('has the Teams and Direct Line channels as child resources', () => {
      const channels = resourcesOfType('Microsoft.BotService/botServices/channels');
      const byName = Object.fromEntries(channels.map((channel) => [channel.properties.channelName as string, channel]));
      expect(Object.keys(byName).sort()).toEqual(['DirectLineChannel', 'MsTeamsChannel']);
      for (const [channelName, channel] of Object.entries(byName)) {
        expect(channel.name).toBe(`[format('{0}/{1}', variables('botName'), '${channelName}')]`);
        expect(channel.dependsOn).toContain("[resourceId('Microsoft.BotService/botServices', variables('botName'))]");
      }
      expect(byName.MsTeamsChannel.properties.properties.isEnabled).toBe(true);
      expect(byName.MsTeamsChannel.properties.properties.enableCalling).toBe(false);
      const [site, ...others] = byName.DirectLineChannel.properties.properties.sites;
      expect(others).toEqual([]);
      expect(site).toMatchObject({ isEnabled: true, isV3Enabled: true, isV1Enabled: false, isBlockUserUploadEnabled: true });
    });
  });

  describe('App Service', () => {
    it('runs a Linux plan with at least two instances', () => {
      const plan = only('Microsoft.Web/serverfarms');
      expect(plan.kind).toBe('linux');
      expect(plan.properties.reserved).toBe(true);
      expect(plan.sku!.capacity).toBe("[parameters('instanceCount')]");
      const capacity = template.parameters.instanceCount;
      expect(capacity.type).toBe('int');
      expect(capacity.minValue).toBeGreaterThanOrEqual(2);
      expect(capacity.defaultValue).toBeGreaterThanOrEqual(2);
    });

    it('runs Node 20 on Linux with the build\'s start command, /healthz, HTTPS only, TLS 1.2, no FTP', () => {
      const site = webApp();
      expect(site.kind).toBe('app,linux');
      expect(site.identity).toEqual({ type: 'SystemAssigned' });
      expect(site.properties.httpsOnly).toBe(true);
      expect(site.properties.serverFarmId).toBe("[resourceId('Microsoft.Web/serverfarms', variables('planName'))]");
      expect(site.properties.keyVaultReferenceIdentity).toBe('SystemAssigned');
      const config = site.properties.siteConfig;
      expect(config.linuxFxVersion).toBe('NODE|20-lts');
      expect(resolve(config.appCommandLine)).toBe('node dist/bot/index.js');
      expect(config.healthCheckPath).toBe('/healthz');
      expect(config.alwaysOn).toBe(true);
      expect(config.ftpsState).toBe('Disabled');
      expect(config.minTlsVersion).toBe('1.2');
      expect(config.scmMinTlsVersion).toBe('1.2');
      const publishing = resourcesOfType('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
      expect(publishing.map((policy) => [policy.name.replace(/.*\/(\w+)'.*$/, '$1'), policy.properties.allow]).sort()).toEqual([
        ['ftp', false],
        ['scm', false],
      ]);
    });

    it('starts the file that "npm run build" emits', () => {
      const command = resolve(webApp().properties.siteConfig.appCommandLine) as string;
      const [runtime, entry] = command.split(' ');
      expect(runtime).toBe('node');
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source))).toBe(true);
      const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
      const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends: string; include: string[] };
      expect(build.extends).toBe('./tsconfig.json');
      expect([base.compilerOptions.outDir, base.compilerOptions.rootDir]).toEqual(['dist', '.']);
      expect(build.include).toContain(source.split('/')[0]);
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
      expect(pkg.scripts.start).toContain(entry);
    });

    it('sets only variables the app knows (bot/config.ts), plus whitelisted platform settings', () => {
      const names = Object.keys(appSettings());
      const unknown = names.filter(
        (name) => !APP_VARIABLES.includes(name) && !PLATFORM_SETTINGS.has(name) && !PLATFORM_PREFIXES.some((prefix) => name.startsWith(prefix)),
      );
      expect(unknown).toEqual([]);
      // The platform decides these on App Service; a local-only switch must never reach production.
      for (const name of ['PORT', 'HOST', 'COSMOS_ALLOW_SELF_SIGNED']) expect(names).not.toContain(name);
    });

    it('configures Cosmos storage, single-tenant credentials, secrets, escalations and the web chat', () => {
      const settings = appSettings();
      expect(settings).toMatchObject({
        STORAGE_PROVIDER: 'cosmos',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppId: "[parameters('msaAppId')]",
        MicrosoftAppTenantId: "[parameters('msaAppTenantId')]",
        COSMOS_DATABASE: "[parameters('cosmosDatabaseName')]",
        COSMOS_USE_MANAGED_IDENTITY: "[if(variables('cosmosUsesManagedIdentity'), 'true', 'false')]",
        TEAMS_ONCALL_CHANNEL_ID: "[parameters('teamsOncallChannelId')]",
        TEAMS_BACKUP_CHANNEL_ID: "[parameters('teamsBackupChannelId')]",
        ESCALATION_WEBHOOK_URL: "[parameters('escalationWebhookUrl')]",
      });
      expect(settings.COSMOS_ENDPOINT).toBe("[reference(variables('cosmosAccountId'), '2024-11-15').documentEndpoint]");
      expect(settings.PUBLIC_BASE_URL).toMatch(/^\[format\('https:\/\/\{0\}', reference\(variables\('webAppId'\)/);
      for (const name of ['MicrosoftAppPassword', 'PSEUDONYM_SECRET', 'DIRECT_LINE_SECRET', 'ESCALATION_WEBHOOK_SECRET', 'ESCALATION_ACK_MINUTES', 'RETENTION_DAYS', 'DATA_DIR', 'DEFAULT_LOCALE', 'TEAMS_SERVICE_URL', 'TEAMS_CLINICIAN_TEAM_ID']) {
        expect(Object.keys(settings)).toContain(name);
      }
      const cosmosMode = template.parameters.cosmosAuthMode;
      expect(cosmosMode.defaultValue).toBe('managedIdentity');
      expect(template.variables.cosmosUsesManagedIdentity).toBe("[equals(parameters('cosmosAuthMode'), 'managedIdentity')]");
    });

    it('reads every secret through a Key Vault reference to a secret the template creates', () => {
      const settings = appSettings();
      const secretSettings = Object.keys(settings).filter((name) => SECRET_NAME.test(name));
      expect(secretSettings.sort()).toEqual([
        'CLINICIAN_SUMMARY_WEBHOOK_SECRET',
        'COSMOS_KEY',
        'DIRECT_LINE_SECRET',
        'ESCALATION_WEBHOOK_SECRET',
        'MicrosoftAppPassword',
        'PSEUDONYM_SECRET',
      ]);
      const vaultSecretNames = resourcesOfType('Microsoft.KeyVault/vaults/secrets').map((secret) => {
        const match = /^\[format\('\{0\}\/\{1\}', variables\('keyVaultName'\), variables\('secretNames'\)\.(\w+)\)\]$/.exec(secret.name);
        expect([secret.name, Boolean(match)]).toEqual([secret.name, true]);
        return match![1];
      });
      for (const name of secretSettings) {
        const value = settings[name];
        expect(value).not.toMatch(/parameters\(/);
        const refs = [...value.matchAll(/variables\('keyVaultReferences'\)\.(\w+)/g)].map((m) => m[1]);
        expect([name, refs.length]).toEqual([name, 1]);
        // Either the reference itself, or the reference when a feature is on and '' when it is off.
        expect(value === `[variables('keyVaultReferences').${refs[0]}]` || /^\[if\(variables\('\w+'\), /.test(value)).toBe(true);
        const reference = template.variables.keyVaultReferences[refs[0]] as string;
        expect(reference).toBe(
          `[format('@Microsoft.KeyVault(SecretUri=https://{0}{1}/secrets/{2}/)', variables('keyVaultName'), environment().suffixes.keyvaultDns, variables('secretNames').${refs[0]})]`,
        );
        expect(vaultSecretNames).toContain(refs[0]);
      }
      // Key Vault secret names allow letters, digits and dashes only.
      for (const secretName of Object.values(template.variables.secretNames as Record<string, string>)) {
        expect(secretName).toMatch(/^[0-9A-Za-z-]{1,127}$/);
      }
      expect(Object.values(template.variables.secretNames)).toEqual(
        expect.arrayContaining(['MicrosoftAppPassword', 'ESCALATION-WEBHOOK-SECRET', 'PSEUDONYM-SECRET', 'DIRECT-LINE-SECRET']),
      );
    });

    it('waits for the secrets, the role assignments and the containers before setting the app settings', () => {
      const config = resourcesOfType('Microsoft.Web/sites/config').find((r) => r.name.includes("/appsettings'"))!;
      const dependsOn = config.dependsOn ?? [];
      expect(dependsOn).toContain('cosmosContainers');
      expect(dependsOn.some((d) => d.includes("'Microsoft.Authorization/roleAssignments'"))).toBe(true);
      expect(dependsOn.some((d) => d.includes("'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments'"))).toBe(true);
      for (const key of Object.keys(template.variables.secretNames)) {
        expect(dependsOn).toContain(`[resourceId('Microsoft.KeyVault/vaults/secrets', variables('keyVaultName'), variables('secretNames').${key})]`);
      }
    });
  });

  describe('Cosmos DB', () => {
    it('is a NoSQL account, serverless or autoscale by parameter, with continuous backup and TLS 1.2', () => {
      const account = only('Microsoft.DocumentDB/databaseAccounts');
      expect(account.kind).toBe('GlobalDocumentDB');
      expect(template.parameters.cosmosCapacityMode.allowedValues).toEqual(['serverless', 'autoscale']);
      expect(account.properties.capabilities).toBe(
        "[if(equals(parameters('cosmosCapacityMode'), 'serverless'), createArray(createObject('name', 'EnableServerless')), createArray())]",
      );
      expect(account.properties.backupPolicy.type).toBe('Continuous');
      expect(account.properties.minimalTlsVersion).toBe('Tls12');
      expect(account.properties.disableLocalAuth).toBe("[variables('cosmosUsesManagedIdentity')]");
      const database = only('Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
      expect(database.properties.resource.id).toBe("[parameters('cosmosDatabaseName')]");
      expect(database.properties.options).toContain("createObject('autoscaleSettings', createObject('maxThroughput', parameters('cosmosAutoscaleMaxThroughput')))");
    });

    it('creates the containers the store uses (core/ports/documentStore COLLECTIONS), partitioned on /pk', () => {
      const container = only('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
      expect(container.copy).toEqual({ name: 'cosmosContainers', count: "[length(variables('cosmosContainers'))]" });
      expect([...(template.variables.cosmosContainers as string[])].sort()).toEqual([...COLLECTIONS].sort());
      expect(container.properties.resource.id).toBe("[variables('cosmosContainers')[copyIndex()]]");
      expect(container.properties.resource.partitionKey).toEqual({ paths: ['/pk'], kind: 'Hash', version: 2 });
    });

    it("grants the web app's identity the Built-in Data Contributor role on the database", () => {
      const assignment = only('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
      expect(template.variables.roleIds.cosmosDataContributor).toBe(COSMOS_DATA_CONTRIBUTOR);
      expect(assignment.properties.roleDefinitionId).toBe(
        "[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions', variables('cosmosAccountName'), variables('roleIds').cosmosDataContributor)]",
      );
      expect(assignment.properties.principalId).toBe(WEB_APP_PRINCIPAL);
      expect(assignment.properties.scope).toBe("[format('{0}/dbs/{1}', variables('cosmosAccountId'), parameters('cosmosDatabaseName'))]");
    });
  });

  describe('Key Vault', () => {
    it('uses RBAC with soft delete and purge protection', () => {
      const vault = only('Microsoft.KeyVault/vaults');
      expect(vault.properties).toMatchObject({ enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true });
      expect(vault.properties.accessPolicies).toEqual([]);
    });

    it('lets the web app identity read secrets (Key Vault Secrets User) and nothing more', () => {
      const assignments = resourcesOfType('Microsoft.Authorization/roleAssignments');
      expect(assignments).toHaveLength(1);
      const [assignment] = assignments;
      expect(template.variables.roleIds.keyVaultSecretsUser).toBe(KEY_VAULT_SECRETS_USER);
      expect(assignment.scope).toBe("[format('Microsoft.KeyVault/vaults/{0}', variables('keyVaultName'))]");
      expect(assignment.properties.roleDefinitionId).toBe(
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').keyVaultSecretsUser)]",
      );
      expect(assignment.properties.principalId).toBe(WEB_APP_PRINCIPAL);
      expect(assignment.properties.principalType).toBe('ServicePrincipal');
    });

    it('copies the Direct Line key from the bot channel instead of taking it as a parameter', () => {
      const directLine = resourcesOfType('Microsoft.KeyVault/vaults/secrets').find((s) => s.name.includes('.directLine'))!;
      expect(directLine.properties.value).toMatch(/^\[listChannelWithKeys\(resourceId\('Microsoft\.BotService\/botServices\/channels', variables\('botName'\), 'DirectLineChannel'\)/);
      expect(directLine.condition).toBeUndefined();
    });
  });

  describe('Application Insights', () => {
    it('is workspace-based and its connection string is an app setting', () => {
      const workspace = only('Microsoft.OperationalInsights/workspaces');
      expect(workspace.name).toBe("[variables('workspaceName')]");
      const insights = only('Microsoft.Insights/components');
      expect(insights.kind).toBe('web');
      expect(insights.properties.WorkspaceResourceId).toBe("[variables('workspaceId')]");
      expect(insights.properties.IngestionMode).toBe('LogAnalytics');
      expect(template.variables.workspaceId).toBe("[resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))]");
      expect(appSettings().APPLICATIONINSIGHTS_CONNECTION_STRING).toBe(
        "[reference(resourceId('Microsoft.Insights/components', variables('appInsightsName')), '2020-02-02').ConnectionString]",
      );
    });

    it("sends the app's console (JSON log lines) and the Key Vault audit to the workspace", () => {
      const settings = resourcesOfType('Microsoft.Insights/diagnosticSettings');
      const byScope = Object.fromEntries(settings.map((s) => [s.scope as string, s]));
      const site = byScope["[format('Microsoft.Web/sites/{0}', variables('webAppName'))]"];
      const vault = byScope["[format('Microsoft.KeyVault/vaults/{0}', variables('keyVaultName'))]"];
      for (const diagnostic of [site, vault]) {
        expect(diagnostic).toBeDefined();
        expect(diagnostic.properties.workspaceId).toBe("[variables('workspaceId')]");
      }
      expect(site.properties.logs.map((l: { category: string }) => l.category)).toContain('AppServiceConsoleLogs');
      expect(vault.properties.logs.map((l: { category: string }) => l.category)).toContain('AuditEvent');
    });
  });

  describe('alerts', () => {
    const sources = ['bot', 'adapters', 'dialogs']
      .flatMap((dir) => listTs(join(ROOT, dir)))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');

    it('e-mails operations when the escalation path degrades or turns fail, only when an address is given', () => {
      expect(template.parameters.alertEmail.defaultValue).toBe('');
      const group = only('Microsoft.Insights/actionGroups');
      expect(group.condition).toBe("[variables('hasAlertEmail')]");
      expect(group.properties.emailReceivers[0].emailAddress).toBe("[parameters('alertEmail')]");
      const rules = resourcesOfType('Microsoft.Insights/scheduledQueryRules');
      expect(rules).toHaveLength(2);
      for (const rule of rules) {
        expect(rule.condition).toBe("[variables('hasAlertEmail')]");
        expect(rule.properties.scopes).toEqual(["[variables('workspaceId')]"]);
        expect(rule.properties.actions.actionGroups).toEqual(["[resourceId('Microsoft.Insights/actionGroups', variables('actionGroupName'))]"]);
        expect(rule.properties.criteria.allOf[0].query).toMatch(/^\[variables\('\w+AlertQuery'\)\]$/);
      }
      expect(template.variables.escalationAlertQuery).toContain("join(variables('escalationAlertEvents')");
      expect(template.variables.escalationAlertQuery).toContain('[petits-pas] ESCALATION');
    });

    it('watches log events the code really writes', () => {
      const turnEvents = [...(template.variables.turnFailureAlertQuery as string).matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
      const events = [...(template.variables.escalationAlertEvents as string[]), ...turnEvents];
      expect(events).toEqual(expect.arrayContaining(['escalation_undeliverable', 'escalation_delivered_to_backup', 'screen_failed', 'turn_failed']));
      for (const event of events) expect([event, sources.includes(`'${event}'`)]).toEqual([event, true]);
      // The console notifier's line, which in production means no human channel took the alert.
      expect(sources).toContain("'[petits-pas] ESCALATION'");
    });
  });

  it('outputs what the Teams package and the runbook need, and no secret', () => {
    expect(Object.keys(template.outputs)).toEqual(expect.arrayContaining(['botDomain', 'webAppName', 'keyVaultName', 'cosmosAccountName', 'messagingEndpoint']));
    for (const [name, output] of Object.entries(template.outputs)) {
      expect(name).not.toMatch(/(password|secret|key)$/i);
      expect(output.value).not.toMatch(/list\w*\(|keyVaultReferences|parameters\('(microsoftAppPassword|pseudonymSecret|escalationWebhookSecret)'\)/);
    }
  });
});
