import { z } from 'zod';

// Placeholder: the owner of this section replaces it with the real schema (strict, every field
// described, units in key names). It must accept `undefined` (use .prefault({}) or .default([])).
export const httpSchema = z.strictObject({}).prefault({}).describe('http');
