import { formatHostTime } from '../core/host-time.ts';
import type { Severity } from '../core/bus-event.ts';
import type { AnalyzeReport } from './analyze-report.ts';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** The human-readable `uartscope analyze` report: boots, events by severity with their lines, Wi-Fi outcome, counts. */
export function renderTextReport(report: AnalyzeReport, linesOf: (eventId: string) => readonly string[], hostTimesReal: ReadonlySet<string>): string {
  const out: string[] = [];
  const when = (port: string, t: number): string => (hostTimesReal.has(port) ? formatHostTime(t) : 'no host time');
  out.push('uartscope analyze');
  for (const s of report.sources) out.push(`  ${s.file}: port ${s.port}, role ${s.role}, format ${s.format}${s.hostTimes === 'none' ? ' (no host times)' : ''}, ${s.lines} lines, ${s.bytes} bytes`);
  out.push('');
  out.push(`Boots (${report.boots.length})`);
  for (const b of report.boots) {
    const ms = b.milestones.map((m) => m.name).join(' → ') || 'no milestones';
    out.push(`  ${b.port} #${b.index}: ${b.version ?? 'no banner'}${b.kind !== 'unknown' ? ` (${b.kind})` : ''}, from line ${b.firstSeq} at ${when(b.port, b.hostStart)}, ended: ${b.endReason}; ${ms}`);
  }
  out.push('');
  // A condition (clock.drift, stall, port.garbled) is listed once, as raised; its updates and clearing are in --json.
  const counted = report.events.filter((e) => e.state !== 'cleared' && e.state !== 'updated');
  out.push(`Events (${counted.length})`);
  for (const sev of SEVERITY_ORDER) {
    const list = counted.filter((e) => e.severity === sev);
    if (list.length === 0) continue;
    out.push(`  ${sev.toUpperCase()} (${list.length})`);
    for (const e of list) {
      const range = e.lines.first === e.lines.last ? `line ${e.lines.first}` : `lines ${e.lines.first}-${e.lines.last}`;
      out.push(`    [${e.kind}] ${e.title}  (${e.port}, ${range})`);
      if (e.hint) out.push(`      hint: ${e.hint}`);
      for (const l of linesOf(e.id)) out.push(`      | ${l}`);
    }
  }
  out.push('');
  out.push('Wi-Fi');
  if (report.wifi.length === 0) out.push('  no Wi-Fi activity');
  for (const w of report.wifi) {
    const why = w.errno !== null ? ` (last error ${w.errno}${w.errnoName ? ` ${w.errnoName}` : ''})` : '';
    out.push(`  ${w.port} ${w.boot ?? ''}: ${w.outcome}${w.ssid ? `, SSID ${w.ssid}` : ''}${w.ip ? `, IP ${w.ip}` : ''}, state ${w.phase}, ${w.resetAttempts} AT+RST${why}`);
  }
  if (report.drift.length > 0) {
    out.push('');
    out.push('Clock drift');
    for (const d of report.drift) out.push(`  ${d.port} ${d.boot} ${d.source}: ratio ${d.ratio.toFixed(4)} (${Math.round(d.ppm)} ppm ± ${Math.round(d.uncertaintyPpm)}), ${d.verdict}${d.hint ? ` — ${d.hint}` : ''}`);
  }
  out.push('');
  const l = report.lines;
  out.push(`Lines: ${l.total} (err ${l.byLevel.err}, wrn ${l.byLevel.wrn}, inf ${l.byLevel.inf}, dbg ${l.byLevel.dbg})`);
  return `${out.join('\n')}\n`;
}
