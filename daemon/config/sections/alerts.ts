import { z } from 'zod';

const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;

const validRegExp = (s: string): boolean => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

export const terminalActionSchema = z
  .strictObject({ type: z.literal('terminal').describe('Print one line per firing and resolving alert on the daemon\'s stdout') })
  .describe('Terminal action');

export const webhookActionSchema = z
  .strictObject({
    type: z.literal('webhook'),
    url: z
      .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
      .describe('POSTed the triggering event as JSON (Content-Type: application/json) when the alert fires'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra request headers, e.g. Authorization'),
    timeout_ms: z.number().int().min(10).max(300_000).default(5000).describe('Per-request timeout (ms); a timeout counts as a failed attempt'),
    retries: z.number().int().min(0).max(20).default(5).describe('Attempts after the first for a network error, a timeout, 408, 429 or 5xx'),
    backoff_initial_ms: z.number().int().min(1).max(600_000).default(500).describe('Delay before the first retry, doubled each retry, with full jitter (ms)'),
    backoff_max_ms: z.number().int().min(1).max(3_600_000).default(30_000).describe('Longest delay between retries (ms)'),
    queue_capacity: z.number().int().min(1).max(100_000).default(256).describe('Deliveries waiting; when full the newest are dropped and counted (requests)'),
  })
  .describe('Webhook action');

export const commandActionSchema = z
  .strictObject({
    type: z.literal('command'),
    argv: z.array(z.string().min(1)).min(1).describe('Program and arguments, run without a shell; the event JSON is written to its stdin'),
    timeout_ms: z.number().int().min(10).max(3_600_000).default(10_000).describe('The process is killed (SIGKILL) after this long (ms)'),
    queue_capacity: z.number().int().min(1).max(100_000).default(64).describe('Runs waiting; one runs at a time, when full the newest are dropped and counted (runs)'),
  })
  .describe('Command action');

export const alertActionSchema = z.discriminatedUnion('type', [terminalActionSchema, webhookActionSchema, commandActionSchema]);

export const alertRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only').describe('Rule name, shown with every alert'),
    kinds: z.array(z.string().min(1)).min(1).describe('Event kinds that trigger the rule (`fault`, `clock.drift`, …; `*` matches every kind)'),
    severity: z.enum(SEVERITIES).optional().describe('Minimum severity of the event (info < warning < error < critical)'),
    port: z.string().min(1).optional().describe('Only events of this port'),
    pattern: z.string().refine(validRegExp, 'a valid JavaScript regular expression').optional().describe('Regular expression the event title must match'),
    cooldown_secs: z
      .number()
      .min(0)
      .max(7 * 86_400)
      .default(300)
      .describe('Per rule and port: actions run at most once per cooldown; an alert with no repeat for this long resolves (condition events resolve when cleared) (s)'),
    actions: z.array(alertActionSchema).min(1).default([{ type: 'terminal' }]).describe('What happens when the alert fires'),
  })
  .describe('One alert rule');

export const alertsSchema = z.array(alertRuleSchema).default([]).describe('Alert rules: events matched by kind/severity/port/title, deduplicated per rule and port');

export type AlertRuleConfig = z.infer<typeof alertRuleSchema>;
export type AlertActionConfig = z.infer<typeof alertActionSchema>;
export type WebhookActionConfig = z.infer<typeof webhookActionSchema>;
export type CommandActionConfig = z.infer<typeof commandActionSchema>;
export type AlertSeverity = (typeof SEVERITIES)[number];
