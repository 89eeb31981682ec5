import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';

/**
 * Holds a dialog's place while the safety layer speaks (after PHQ-9 item 9 was answered above 0,
 * the safety layer asks the direct question and reads the answer). It says nothing when it starts;
 * when the person chooses to resume ("Reprendre"), it offers `reprompt`; the next message that
 * reaches it ends it with that message's text, for the step after it to read.
 */
export class WaitDialog extends Dialog {
  constructor(
    id: string,
    private readonly reprompt: (context: TurnContext) => Partial<Activity>,
  ) {
    super(id);
  }

  override async beginDialog(): Promise<DialogTurnResult> {
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    return dc.endDialog(typeof dc.context.activity.text === 'string' ? dc.context.activity.text : '');
  }

  override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
    await context.sendActivity(this.reprompt(context));
  }
}
