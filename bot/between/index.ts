export * from './betweenSessions';
export * from './reminders';
export * from './measuresSource';
