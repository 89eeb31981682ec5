export { CheckinDialog, type CheckinDialogDeps, type CheckinDialogOptions } from './checkinDialog';
