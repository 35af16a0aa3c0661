import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('uartscope validate', () => {
  it('accepts a good config and says how many ports it has', async () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'ports:\n  - name: console\n    source: /dev/ttyACM0\n    role: zephyr\n  - name: esp\n    usb: { vendor_id: "0403", product_id: "6001" }\n    role: esp-at\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok (2 ports)');
  });

  it('names the offending key: unknown keys, wrong types, bad values', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'ports:\n  - name: console\n    source: /dev/ttyACM0\n    baud: fast\n    colour: red\nframing:\n  idle_flush_ms: -5\nbogus: 1\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ports[0].colour: unknown key');
    expect(r.stderr).toContain('ports[0].baud:');
    expect(r.stderr).toContain('framing.idle_flush_ms:');
    expect(r.stderr).toContain('bogus: unknown key');
  });

  it('reports YAML syntax errors with the line', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'ports:\n  - name: [unclosed\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml: .*YAML line \d/);
  });

  it('rejects two ports with one name and a malformed tcp source', async () => {
    const dir = tempDir();
    const file = join(dir, 'dup.yaml');
    writeFileSync(file, 'ports:\n  - { name: a, source: /dev/x }\n  - { name: a, source: "tcp://host" }\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ports[1].name: "a" is used twice');
    expect(r.stderr).toContain('must be tcp://HOST:PORT');
  });

  it('says which file it cannot read', async () => {
    const r = await runCli(['validate', '/nonexistent/uartscope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/uartscope.yaml: cannot read: ENOENT');
  });
});

describe('uartscope ports', () => {
  it('lists serial ports as JSON with the fields scripts read', async () => {
    const r = await runCli(['ports', '--json']);
    expect(r.code).toBe(0);
    const ports = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
  });
});

describe('uartscope run', () => {
  it('rejects a malformed --port with a message naming it, exit 2', async () => {
    const r = await runCli(['run', '--port', 'console=/dev/x,speed=9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port "console=/dev/x,speed=9": unknown option "speed"');
  });

  it('says how to give ports when there are none', async () => {
    const r = await runCli(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no ports to watch');
  });
});
