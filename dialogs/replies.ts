import { ActionTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';

/** A text with buttons that also accepts free text; the button sends its own title back. */
export function withButtons(text: string, titles: readonly string[]): Partial<Activity> {
  const actions: CardAction[] = titles.map((title) => ({ type: ActionTypes.ImBack, title, value: title }));
  return MessageFactory.suggestedActions(actions, text);
}
