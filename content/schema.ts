import { z } from 'zod';

/**
 * Shapes of the per-locale content files. Strict objects: an unknown key is a typo until proven
 * otherwise, and an editor should hear about it rather than see their text silently ignored.
 */

const text = z.string({ message: 'should be a text in quotes' }).trim().min(1, { message: 'should not be empty' });

/** messages.yaml: nested sections whose leaves are texts (or lists of variants of one text). */
export type MessageTree = { [key: string]: string | string[] | MessageTree };

export const crisisResourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, { message: 'should be a short id in lowercase letters, digits and dashes' }),
  name: text,
  contact: text,
  detail: text,
});

export const crisisResourcesSchema = z.strictObject({
  region: z.enum(['QC'], { message: 'should be QC (the only region served for now)' }),
  resources: z.array(crisisResourceSchema).min(1, { message: 'should list at least one crisis line' }),
  elsewhere: z.strictObject({ name: text, contact: text, detail: text }),
});

export type CrisisResources = z.infer<typeof crisisResourcesSchema>;
export type CrisisResource = z.infer<typeof crisisResourceSchema>;

/** Crisis lines that must exist in every locale: safety never depends on an editor remembering them. */
export const REQUIRED_CRISIS_RESOURCE_IDS = ['emergency', 'suicide-line', 'suicide-text', 'suicide-chat', 'info-social'] as const;
