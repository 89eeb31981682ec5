/** Questionnaires, check-ins and between-sessions settings: pure rules (no SDK, no I/O). */
export * from './instruments';
export * from './scoring';
export * from './answers';
export * from './draft';
export * from './history';
export * from './checkins';
export * from './record';
export * from './settings';
export * from './scheduleText';
