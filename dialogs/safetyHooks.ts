import type { TurnContext } from 'botbuilder';

/**
 * Dialogs meet moments that belong to the safety layer (a person choosing "I'm in crisis"). They
 * hand them over through this hook, which the bot installs on every turn; dialogs stay free of
 * the escalation machinery.
 */
export type DeclareCrisis = (context: TurnContext, categories: readonly string[]) => Promise<void>;

const HOOK = Symbol('petitsPas.declareCrisis');

export function installCrisisHook(context: TurnContext, hook: DeclareCrisis): void {
  context.turnState.set(HOOK, hook);
}

export async function declareCrisis(context: TurnContext, categories: readonly string[]): Promise<boolean> {
  const hook = context.turnState.get(HOOK) as DeclareCrisis | undefined;
  if (!hook) return false;
  await hook(context, categories);
  return true;
}
