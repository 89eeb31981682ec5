import type { Dialog } from 'botbuilder-dialogs';
import { DialogIds } from '../dialogIds';
import { MyMeansDialog } from './myMeansDialog';
import { MyPlanDialog } from './myPlanDialog';
import type { PlanDialogDeps } from './planDialogBase';
import { ProgrammeDialog } from './programmeDialog';
import { ReviewDialog } from './reviewDialog';
import { TinyStepsDialog } from './tinyStepsDialog';

export type { PersonKeyOf, PlanDialogDeps, PlanDialogResult } from './planDialogBase';
export type { MyMeansDialogOptions } from './myMeansDialog';
export type { TinyStepsDialogOptions } from './tinyStepsDialog';
export type { ReviewDialogOptions } from './reviewDialog';
export { MyMeansDialog, MyPlanDialog, ProgrammeDialog, ReviewDialog, TinyStepsDialog };
export { programmeLine, renderPlan } from './render';

/** The plan dialogs' ids, to begin them from the main menu. */
export const PlanDialogIds = {
  /** "Ce qui m'aide" / "What helps me" (menu option "means"). Options: MyMeansDialogOptions. */
  means: DialogIds.planMeans,
  /** "Mon plan" / "My plan" (menu option "plan"). */
  plan: DialogIds.planMine,
  /** Tiny steps: choose 1–2 means and make each a tiny step. Options: TinyStepsDialogOptions. */
  tinySteps: DialogIds.planSteps,
  /** Review a tiny step: keep, adjust or swap. Options: ReviewDialogOptions. */
  review: DialogIds.planReview,
  /** The programme: week counter, stage prompt, final review (menu option "checkin"). */
  programme: DialogIds.planProgramme,
} as const;

export interface PlanDialogs {
  readonly ids: typeof PlanDialogIds;
  /** Add each to the main dialog (`this.addDialog(d)`); they end with a PlanDialogResult. */
  readonly dialogs: readonly Dialog[];
  readonly means: MyMeansDialog;
  readonly plan: MyPlanDialog;
  readonly tinySteps: TinyStepsDialog;
  readonly review: ReviewDialog;
  readonly programme: ProgrammeDialog;
}

/**
 * Builds the plan dialogs. Each is a ComponentDialog that only converses: texts from content,
 * rules from core/plan, persistence through `plans`. They end with `{ toMenu?: true }` when the
 * person asked for the menu inside them; otherwise with `{}` after a closing word.
 */
export function createPlanDialogs(deps: PlanDialogDeps): PlanDialogs {
  const means = new MyMeansDialog(deps);
  const plan = new MyPlanDialog(deps);
  const tinySteps = new TinyStepsDialog(deps);
  const review = new ReviewDialog(deps);
  const programme = new ProgrammeDialog(deps);
  return { ids: PlanDialogIds, dialogs: [means, plan, tinySteps, review, programme], means, plan, tinySteps, review, programme };
}
