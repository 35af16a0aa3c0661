import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checksFromEvents, renderJunit } from '../../../daemon/analyze/junit.ts';
import { analyze, WIFI_SEED } from './analyze-harness.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uartscope-junit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ParsedJunit {
  tests: string;
  failures: string;
  cases: Array<{ name: string; failure: string | null; type: string | null }>;
}

/** Parses with a real XML parser (Python's ElementTree, in its own process) and summarises. */
function parseJunit(file: string): ParsedJunit {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
cases = []
for c in suite.findall('testcase'):
    f = c.find('failure')
    cases.append({'name': c.get('name'), 'failure': None if f is None else f.get('message'), 'type': None if f is None else f.get('type')})
print(json.dumps({'tests': suite.get('tests'), 'failures': suite.get('failures'), 'cases': cases}))
`;
  const r = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`XML did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout) as ParsedJunit;
}

describe('uartscope analyze --junit', () => {
  it('writes one test case per --fail-on check, failed where the kind occurred', async () => {
    const file = join(dir, 'junit.xml');
    const r = await analyze([WIFI_SEED, '--junit', file, '--fail-on', 'esp.reset_failed,wifi.connect_failed,fault']);
    expect(r.code).toBe(1);
    const j = parseJunit(file);
    expect(j.tests).toBe('3');
    expect(j.failures).toBe('2');
    expect(j.cases).toEqual([
      { name: 'no esp.reset_failed', failure: '1 × esp.reset_failed: ESP reset failed after 3 tries (-116 ETIMEDOUT)', type: 'esp.reset_failed' },
      { name: 'no wifi.connect_failed', failure: '1 × wifi.connect_failed: Wi-Fi connect to rpi3-hotspot failed: -115 ENETDOWN', type: 'wifi.connect_failed' },
      { name: 'no fault', failure: null, type: null },
    ]);
  });

  it('checks every failure kind when no --fail-on is given', async () => {
    const file = join(dir, 'junit.xml');
    const r = await analyze([WIFI_SEED, '--junit', file]);
    expect(r.code).toBe(0);
    const j = parseJunit(file);
    expect(j.cases.length).toBeGreaterThanOrEqual(10);
    expect(j.cases.filter((c) => c.failure !== null).map((c) => c.name)).toEqual(['no esp.reset_failed', 'no wifi.connect_failed']);
  });

  it('escapes serial noise and markup so the XML stays well-formed', () => {
    const file = join(dir, 'noise.xml');
    const xml = renderJunit({
      name: 'a & b',
      cases: checksFromEvents(['port.garbled'], [
        { id: '1', kind: 'port.garbled', severity: 'warning', port: 'p', boot: null, hostTime: 0, title: 'bytes \u0001\u0007 <ready> & "quotes"', attrs: {}, lines: { port: 'p', first: 0, last: 0 } },
      ]),
    });
    writeFileSync(file, xml);
    const j = parseJunit(file);
    expect(j.cases[0]?.failure).toBe('1 × port.garbled: bytes \uFFFD\uFFFD <ready> & "quotes"');
  });

  it('exits 2 when the JUnit file cannot be written', async () => {
    const r = await analyze([WIFI_SEED, '--junit', join(dir, 'missing-dir', 'j.xml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write JUnit file (ENOENT)');
  });
});
