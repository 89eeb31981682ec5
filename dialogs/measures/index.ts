export { MeasureDialog, type MeasureDialogDeps, type MeasureDialogOptions } from './measureDialog';
export { BetweenDialogBase, type BetweenDialogResult, type PersonKeyOf } from './betweenDialogBase';
