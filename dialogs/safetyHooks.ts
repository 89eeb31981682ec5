import type { TurnContext } from 'botbuilder';

/**
 * Dialogs meet moments that belong to the safety layer (a person choosing "I'm in crisis"). They
 * hand them over through this hook, which the bot installs on every turn; dialogs stay free of
 * the escalation machinery.
 */
export type DeclareCrisis = (context: TurnContext, categories: readonly string[]) => Promise<void>;

const HOOK = Symbol('petitsPas.declareCrisis');
const CONCERN_HOOK = Symbol('petitsPas.declareConcern');

export function installCrisisHook(context: TurnContext, hook: DeclareCrisis, concern?: DeclareCrisis): void {
  context.turnState.set(HOOK, hook);
  if (concern) context.turnState.set(CONCERN_HOOK, concern);
}

/**
 * A concern met inside a dialog (e.g. PHQ-9 item 9 answered above 0): the safety layer reflects
 * it and asks the direct question about suicide; the answer is screened in that context. The
 * dialog should end its turn after this (the next message goes to the safety layer first).
 */
export async function declareConcern(context: TurnContext, categories: readonly string[]): Promise<boolean> {
  const hook = context.turnState.get(CONCERN_HOOK) as DeclareCrisis | undefined;
  if (!hook) return false;
  await hook(context, categories);
  return true;
}

export async function declareCrisis(context: TurnContext, categories: readonly string[]): Promise<boolean> {
  const hook = context.turnState.get(HOOK) as DeclareCrisis | undefined;
  if (!hook) return false;
  await hook(context, categories);
  return true;
}
