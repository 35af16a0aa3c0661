import type { ParsedRecord, FieldValue } from '../core/parsed-record.ts';
import type { RuleConfig } from '../config/sections/rules.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';
import { eventFromRecord } from './event-draft.ts';

interface CompiledRule {
  readonly rule: RuleConfig;
  readonly re: RegExp;
}

/**
 * User rules from the config (`rules:`): a regex on each record's message (prefixes removed),
 * else on the line's text. Named groups become event attributes; `milestone: true` also
 * marks a boot milestone named after the rule.
 */
export class RuleAnalyzer implements RecordAnalyzer {
  readonly name = 'rule-analyzer';
  readonly #rules: CompiledRule[];

  constructor(rules: readonly RuleConfig[], port: string, private readonly tracker: BootTracker) {
    this.#rules = rules.filter((r) => r.port === undefined || r.port === port).map((rule) => ({ rule, re: new RegExp(rule.pattern, rule.ignore_case ? 'i' : '') }));
  }

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    for (const { rule, re } of this.#rules) {
      const m = re.exec(record.message) ?? (record.message !== record.line.text ? re.exec(record.line.text) : null);
      if (!m) continue;
      const attrs: Record<string, FieldValue> = { rule: rule.name, match: m[0] };
      for (const [k, v] of Object.entries(m.groups ?? {})) attrs[k] = v ?? null;
      if (rule.milestone) this.tracker.addMilestone(rule.name, record.line, record.deviceTime?.us, ctx);
      ctx.emitEvent(
        eventFromRecord(record, ctx, {
          kind: rule.kind,
          severity: rule.severity,
          title: `${rule.name}: ${record.message.trim().slice(0, 200)}`,
          attrs,
          ...(rule.hint !== undefined ? { hint: rule.hint } : {}),
        }),
      );
    }
  }
}
