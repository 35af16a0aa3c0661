import type { BusEvent } from '../core/bus-event.ts';

export interface JunitCase {
  /** What was checked, e.g. `no esp.reset_failed`. */
  readonly name: string;
  readonly classname: string;
  /** Present when the check failed. */
  readonly failure?: { readonly message: string; readonly type: string; readonly text: string };
  readonly timeS?: number;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  /** Free text attached as <system-out>, e.g. the report summary. */
  readonly systemOut?: string;
}

// XML 1.0 allows only these characters; serial output may hold anything (formats §5.4 noise).
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML (the de-facto schema Jenkins, GitLab and GitHub test reporters read: one
 * <testsuite> of <testcase>s, a failed case carries <failure message type>text</failure>).
 */
export function renderJunit(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="0">`);
  out.push(`  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="0">`);
  for (const c of suite.cases) {
    const time = c.timeS !== undefined ? ` time="${c.timeS.toFixed(3)}"` : ' time="0"';
    const head = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}"${time}`;
    if (!c.failure) {
      out.push(`${head}/>`);
      continue;
    }
    out.push(`${head}>`);
    out.push(`      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(c.failure.text)}</failure>`);
    out.push('    </testcase>');
  }
  if (suite.systemOut !== undefined) out.push(`    <system-out>${escapeXml(suite.systemOut)}</system-out>`);
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

/** One check per event kind: it fails when an event of that kind occurred (a raised or one-shot event). */
export function checksFromEvents(kinds: readonly string[], events: readonly BusEvent[], classname = 'uartscope'): JunitCase[] {
  return kinds.map((kind) => {
    const hits = events.filter((e) => e.kind === kind && e.state !== 'cleared');
    if (hits.length === 0) return { name: `no ${kind}`, classname };
    const first = hits[0]!;
    return {
      name: `no ${kind}`,
      classname,
      failure: {
        message: `${hits.length} × ${kind}: ${first.title}`,
        type: kind,
        text: hits.map((e) => `[${e.severity}] ${e.port} lines ${e.lines.first}-${e.lines.last}: ${e.title}${e.hint ? `\n  hint: ${e.hint}` : ''}`).join('\n'),
      },
    };
  });
}
