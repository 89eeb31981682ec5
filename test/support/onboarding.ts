import { sendMessage } from './http';

/** Takes a new person over HTTP through onboarding in French, consenting to both purposes. */
export async function onboardOverHttp(baseUrl: string, ids: { conversationId: string; userId: string }): Promise<void> {
  for (const text of ['bonjour', 'Français', "J'accepte", 'Oui, je partage', 'Oui, heure du Québec', 'Aucune']) {
    const { status } = await sendMessage(baseUrl, text, ids);
    if (status !== 200) throw new Error(`onboarding step "${text}" answered ${status}`);
  }
}
