import type { Activity } from 'botbuilder';
import type { DialogTestClient } from 'botbuilder-testing';

/** What dialog tests read from a turn: every reply, the last one, its buttons, all the text. */

/** Sends a message (text or activity) and returns every reply of the turn. */
export async function send(c: DialogTestClient, input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  const first = (await c.sendActivity(input)) as Partial<Activity> | undefined;
  if (first) replies.push(first);
  for (let next = c.getNextReply(); next; next = c.getNextReply()) replies.push(next);
  return replies;
}

/** The last reply of a turn (the question, when one is asked); a turn without reply fails. */
export async function lastReply(c: DialogTestClient, input: string | Partial<Activity>): Promise<Partial<Activity>> {
  const replies = await send(c, input);
  if (!replies.length) throw new Error(`no reply to ${JSON.stringify(input)}`);
  return replies[replies.length - 1] as Partial<Activity>;
}

export function buttons(activity: Partial<Activity> | undefined): string[] {
  return activity?.suggestedActions?.actions.map((action) => String(action.title)) ?? [];
}

export function allText(replies: Partial<Activity>[]): string {
  return replies.map((reply) => reply.text ?? '').join('\n---\n');
}
