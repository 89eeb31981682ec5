export { ScheduleDialog, inQuietHours, type ScheduleDialogDeps, type ScheduleDialogOptions } from './scheduleDialog';
