import { WaterfallDialog, type DialogContext } from 'botbuilder-dialogs';

/**
 * Asks the interrupted question again (after a crisis or "aide"). A prompt knows how to re-ask
 * itself; a waterfall step that asked with a plain message does not, so it is run once more by
 * stepping the waterfall back by one before continuing.
 */
export async function askAgain(dc: DialogContext): Promise<void> {
  let inner = dc;
  while (inner.child) inner = inner.child;
  const active = inner.activeDialog;
  if (active && inner.findDialog(active.id) instanceof WaterfallDialog && typeof active.state?.stepIndex === 'number') {
    active.state.stepIndex -= 1;
    await dc.continueDialog();
    return;
  }
  await dc.repromptDialog();
}
