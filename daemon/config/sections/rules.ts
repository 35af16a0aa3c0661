import { z } from 'zod';

const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * One user rule: a JavaScript regular expression matched against every record's message
 * (prefixes removed) and, failing that, the line's text. Named groups become event attributes.
 */
export const ruleSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only').describe('Rule name; also the milestone name when `milestone` is true'),
  pattern: z
    .string()
    .min(1)
    .refine(compiles, { message: 'not a valid JavaScript regular expression' })
    .describe('JavaScript regular expression (no slashes, no flags); named groups `(?<ip>…)` become event attributes'),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/, 'a dotted lower-case name, e.g. "app.sensor_timeout"')
    .describe('Event kind emitted on a match, dotted, e.g. `app.sensor_timeout`'),
  severity: z.enum(SEVERITIES).default('info').describe('Severity of the emitted event'),
  port: z.string().min(1).optional().describe('Only match on this port (by name); every port when omitted'),
  milestone: z.boolean().default(false).describe('A match is also a boot milestone named after the rule (a stall counts until the last milestone is reached)'),
  hint: z.string().min(1).optional().describe('Text shown with the event: what to check when it fires'),
  ignore_case: z.boolean().default(false).describe('Match case-insensitively'),
});

export const rulesSchema = z.array(ruleSchema).default([]).describe('User rules: patterns on log messages that become events (and optionally boot milestones)');

export type RuleConfig = z.infer<typeof ruleSchema>;
