import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AlertSink } from '../../../daemon/alerts/alert-sink.ts';
import { CommandAction } from '../../../daemon/alerts/command-action.ts';
import { alertRuleSchema, commandActionSchema } from '../../../daemon/config/sections/alerts.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import { event, tempDir } from '../../unit/store/store-fixtures.ts';

/** `node -e` that copies its stdin into the file given as its first argument. */
const COPY_STDIN = 'const fs=require("fs");let s="";process.stdin.setEncoding("utf8");process.stdin.on("data",d=>s+=d).on("end",()=>fs.writeFileSync(process.argv[1],s+"rule="+process.env.UARTSCOPE_ALERT_RULE))';

describe('command alert action', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('runs a real process with the event JSON on its stdin', async () => {
    const out = join(tmp.dir, 'alert.json');
    const bus = new EventBus();
    const rule = alertRuleSchema.parse({ name: 'faults', kinds: ['fault'], actions: [{ type: 'command', argv: [process.execPath, '-e', COPY_STDIN, out] }] });
    const sink = new AlertSink([rule]);
    sink.start(bus, {} as Runtime);
    const e = event({ attrs: { cmd: 'AT+CWJAP="lab","hunter2"' } });
    bus.publish({ type: 'event', event: e });
    await sink.drained();
    await sink.stop();

    const [json, tag] = readFileSync(out, 'utf8').split('\n');
    expect(JSON.parse(json ?? 'null')).toEqual({ ...e, attrs: { cmd: 'AT+CWJAP="lab","[redacted]"' } });
    expect(tag).toBe('rule=faults');
    expect(sink.actionStats()[0]).toMatchObject({ type: 'command', succeeded: 1, failed: 0 });
  });

  it('passes argv without a shell, so shell syntax in an argument stays text', async () => {
    const marker = join(tmp.dir, 'pwned');
    const out = join(tmp.dir, 'args.json');
    const action = new CommandAction('r', commandActionSchema.parse({
      type: 'command',
      argv: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))', out, `; touch ${marker}`, '$(id)'],
    }));
    action.enqueue({ body: '{}', alertId: 'a' });
    await action.drained();
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([`; touch ${marker}`, '$(id)']);
    expect(existsSync(marker)).toBe(false);
  });

  it('kills a command that runs past its timeout and counts the failure', async () => {
    const action = new CommandAction('r', commandActionSchema.parse({ type: 'command', argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], timeout_ms: 300 }));
    action.enqueue({ body: '{}', alertId: 'a' });
    await action.drained();
    expect(action.stats).toMatchObject({ succeeded: 0, failed: 1, lastError: 'killed after 300 ms' });
  });

  it('counts a non-zero exit with the last line of stderr, and a missing program, as failures', async () => {
    const failing = new CommandAction('r', commandActionSchema.parse({ type: 'command', argv: [process.execPath, '-e', 'console.error("no route to pager"); process.exit(3)'] }));
    failing.enqueue({ body: '{}', alertId: 'a' });
    await failing.drained();
    expect(failing.stats).toMatchObject({ failed: 1, lastError: 'exit 3: no route to pager' });

    const missing = new CommandAction('r', commandActionSchema.parse({ type: 'command', argv: [join(tmp.dir, 'no-such-program')] }));
    missing.enqueue({ body: '{}', alertId: 'a' });
    await missing.drained();
    expect(missing.stats).toMatchObject({ failed: 1 });
    expect(missing.stats.lastError).toMatch(/ENOENT/);
  });

  it('does not fail a run whose program ignores its stdin', async () => {
    const action = new CommandAction('r', commandActionSchema.parse({ type: 'command', argv: [process.execPath, '-e', 'process.exit(0)'] }));
    action.enqueue({ body: 'x'.repeat(1 << 20), alertId: 'a' });
    await action.drained();
    expect(action.stats).toMatchObject({ succeeded: 1, failed: 0 });
  });
});
