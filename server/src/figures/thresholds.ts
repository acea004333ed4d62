import { z } from 'zod';

/** Service-level thresholds in seconds: `20,120` → [20, 120] (1–4 whole seconds, 1 to 3600 each). */
export const Thresholds = z
  .string()
  .trim()
  .regex(/^\d{1,5}(,\d{1,5}){0,3}$/, 'must be 1 to 4 whole seconds separated by commas, e.g. 20,120')
  .transform((text) => [...new Set(text.split(',').map(Number))].sort((a, b) => a - b))
  .refine((seconds) => seconds.every((s) => s >= 1 && s <= 3600), 'each must be 1 to 3600 seconds');

export const DEFAULT_THRESHOLDS: readonly number[] = [20, 120];
