/** The self-management plan: pure rules (no SDK, no I/O). */
export * from './categories';
export * from './catalogue';
export * from './confidence';
export * from './normalize';
export * from './plan';
export * from './programme';
export * from './text';
