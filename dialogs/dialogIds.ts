/** Dialog ids as constants, so a typo is a compile error rather than a dead end at run time. */
export const DialogIds = {
  main: 'petitsPas.main',
  mainWaterfall: 'petitsPas.main.waterfall',
} as const;
