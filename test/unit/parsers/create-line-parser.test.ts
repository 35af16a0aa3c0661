import { describe, expect, it } from 'vitest';
import { createLineParser } from '../../../parsers/create-line-parser.ts';
import type { ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import type { PortRole } from '../../../daemon/core/port-role.ts';
import { makeLine, makeLines } from './make-line.ts';

function parseAll(texts: readonly string[], role: PortRole = 'zephyr', times?: readonly number[], opts: { cycleHz?: number; uptimePattern?: RegExp } = {}): ParsedRecord[] {
  const p = createLineParser({ role, ...opts });
  const out: ParsedRecord[] = [];
  for (const l of makeLines(texts, times)) out.push(...p.push(l));
  out.push(...p.flush());
  return out;
}

/** A record without its source Line: the Line is the framer's (redacted there), the rest is the parser's output. */
function own(r: ParsedRecord | ParsedRecord[]): string {
  const strip = (x: ParsedRecord) => ({ ...x, line: x.line.seq });
  return JSON.stringify(Array.isArray(r) ? r.map(strip) : strip(r));
}

function one(text: string, role: PortRole = 'zephyr', opts: { cycleHz?: number; uptimePattern?: RegExp } = {}): ParsedRecord {
  const r = parseAll([text], role, undefined, opts);
  expect(r).toHaveLength(1);
  return r[0]!;
}

describe('Zephyr log lines', () => {
  it('reads the default timestamp, level, module and message', () => {
    const r = one('[00:00:03.001,000] <inf> wifi_esp_at: Result: -11');
    expect(r.kind).toBe('esp_at.reset_result');
    expect(r.level).toBe('inf');
    expect(r.module).toBe('wifi_esp_at');
    expect(r.deviceTime).toEqual({ us: 3_001_000, source: 'log', resolutionUs: 1000 });
    expect(r.fields['tsForm']).toBe('default');
  });

  it('keeps counting hours past 24 and past two digits', () => {
    expect(one('[25:00:00.000,000] <inf> main: x').deviceTime?.us).toBe(25 * 3600e6);
    expect(one('[100:00:01.002,003] <wrn> main: x').deviceTime).toEqual({ us: 100 * 3600e6 + 1_002_003, source: 'log', resolutionUs: 1 });
  });

  it('reads raw 8 and 16 digit stamps as device time only when a cycle frequency is given', () => {
    const noHz = one('[00012345] <inf> main: x');
    expect(noHz.fields['tsForm']).toBe('raw');
    expect(noHz.fields['rawTs']).toBe(12345);
    expect(noHz.deviceTime).toBeUndefined();
    const hz = one('[0000000000032768] <err> main: x', 'zephyr', { cycleHz: 32768 });
    expect(hz.deviceTime).toMatchObject({ us: 1_000_000, source: 'cycles' });
  });

  it('reads the LINUX, DATE and both ISO 8601 forms', () => {
    expect(one('[    3.001000] <inf> main: x').deviceTime?.us).toBe(3_001_000);
    expect(one('[    3.001000] <inf> main: x').fields['tsForm']).toBe('linux');
    const date = one('[1970-01-02 01:00:00.000,000] <inf> main: x');
    expect(date.fields['tsForm']).toBe('date');
    expect(date.deviceTime?.us).toBe(25 * 3600e6);
    const iso = one('[1970-01-01T00:00:01,000250Z] <inf> main: x');
    expect(iso.fields['tsForm']).toBe('iso');
    expect(iso.deviceTime).toEqual({ us: 1_000_250, source: 'log', resolutionUs: 1 });
    const bare = one('1970-01-01T00:00:02.500000Z <dbg> main: x');
    expect(bare.fields['tsForm']).toBe('iso');
    expect(bare.deviceTime?.us).toBe(2_500_000);
  });

  it('reads a line without timestamp, with a tag, with both thread prefix forms, a domain and a DBG function', () => {
    const none = one('<inf> domain/src: test');
    expect(none.fields).toMatchObject({ tsForm: 'none', domain: 'domain' });
    expect(none.module).toBe('src');
    expect(none.message).toBe('test');
    const tagged = one('mytag [00:00:01.000,000] <inf> main: hi');
    expect(tagged.fields['tag']).toBe('mytag');
    expect(tagged.deviceTime?.us).toBe(1_000_000);
    expect(one('[00:00:01.234,000] <inf> [main] MAIN: Hello').fields['thread']).toBe('main');
    expect(one('[00:00:01.234,000] <inf> [  5 main] MAIN: Hello').fields['thread']).toBe('5 main');
    const dbg = one('[00:00:01.234,000] <dbg> wifi_esp_at.esp_mode_switch: Switch to mode 1');
    expect(dbg.module).toBe('wifi_esp_at');
    expect(dbg.fields['func']).toBe('esp_mode_switch');
    expect(dbg.kind).toBe('esp_at.message');
  });

  it('reads LOG_MODE_MINIMAL and the old SYS_LOG style', () => {
    const e = one('E: Failed to reset device: -116');
    expect(e.kind).toBe('esp_at.reset_failed');
    expect(e.level).toBe('err');
    expect(e.fields).toMatchObject({ tsForm: 'minimal', errnoName: 'ETIMEDOUT' });
    const legacy = one('[wifi] [ERR] connect: association failed');
    expect(legacy).toMatchObject({ kind: 'zephyr.log', level: 'err', module: 'wifi', message: 'association failed' });
    expect(legacy.fields['tsForm']).toBe('legacy');
  });

  it('counts dropped messages', () => {
    expect(one('--- 12 messages dropped ---')).toMatchObject({ kind: 'zephyr.dropped', fields: { count: 12 } });
  });

  it('turns unprefixed lines into printk records on a zephyr port and text records elsewhere', () => {
    expect(one('Hello World from Zephyr VM running on CROSSCON HV!').kind).toBe('zephyr.printk');
    expect(one('Hello', 'text').kind).toBe('text');
  });

  it('removes a shell prompt and parses what was glued after it', () => {
    const r = one('uart:~$ *** Booting Zephyr OS build v3.7.0 ***');
    expect(r.kind).toBe('zephyr.banner');
    expect(r.fields['prompt']).toBe('uart:~$');
    expect(one('uart:~$ ').kind).toBe('zephyr.shell');
  });

  it('reads Uptime lines as a separate device clock', () => {
    const r = one('Uptime: 1001 ms');
    expect(r).toMatchObject({ kind: 'uptime', fields: { ms: 1001 } });
    expect(r.deviceTime).toEqual({ us: 1_001_000, source: 'uptime', resolutionUs: 1000 });
    const logged = one('[00:00:00.010,000] <inf> main: Uptime: 10 ms');
    expect(logged.fields['logUs']).toBe(10_000);
    const custom = one('tick=77', 'zephyr', { uptimePattern: /^tick=(?<ms>\d+)$/ });
    expect(custom.deviceTime?.us).toBe(77_000);
  });
});

describe('banners', () => {
  it('recognises every Zephyr banner form', () => {
    expect(one('*** Booting Zephyr OS build v4.1.0-1222-g271047d959e9 ***').fields).toEqual({ os: 'zephyr', version: 'v4.1.0-1222-g271047d959e9' });
    expect(one('*** Booting Zephyr OS build v3.7.0 (delayed boot 500ms) ***').fields).toEqual({ os: 'zephyr', version: 'v3.7.0', delayMs: 500 });
    expect(one('***** Booting Zephyr OS 1.12.0 *****').fields['version']).toBe('1.12.0');
    expect(one('*** Booting Zephyr OS build zephyr-v2.1.0  ***').fields['version']).toBe('zephyr-v2.1.0');
    expect(one('*** Booting Zephyr OS version 3.2.99 ***').fields['version']).toBe('3.2.99');
    expect(one('***** delaying boot 500ms (per build configuration) *****')).toMatchObject({ kind: 'zephyr.boot_delay', fields: { delayMs: 500 } });
  });

  it('recognises NCS and MCUboot banners, and NCS\'s Using line is not a second boot', () => {
    expect(one('*** Booting nRF Connect SDK v2.5.0 ***').fields).toEqual({ os: 'ncs', version: 'v2.5.0' });
    expect(one('*** Using Zephyr OS v3.4.99-ncs1 ***').kind).toBe('zephyr.banner_info');
    expect(one('*** Booting MCUboot build v2.1.0 ***').fields).toEqual({ os: 'mcuboot', version: 'v2.1.0' });
  });

  it('recognises the Bao banner and the CROSSCON logo as one record', () => {
    const bao = parseAll(['Bao Hypervisor v1.0.0-12-gabc1234 (Jul 23 2026 - 23:48:33)'], 'hypervisor')[0]!;
    expect(bao).toMatchObject({ kind: 'hv.banner', dialect: 'hypervisor', fields: { hv: 'bao', version: 'v1.0.0-12-gabc1234', built: 'Jul 23 2026 - 23:48:33' } });
    expect(parseAll(['Bao Hypervisor'], 'hypervisor')[0]!.fields).toMatchObject({ hv: 'bao', version: null });
    const logo = [
      '   _____ _____   ____   _____ _____  _____ ____  _   _ ',
      '  / ____|  __ \\ / __ \\ / ____/ ____|/ ____/ __ \\| \\ | |',
      '         |___/|_| 14:02:11',
      'BAO INFO: next',
    ];
    const r = parseAll(logo, 'hypervisor');
    expect(r[0]).toMatchObject({ kind: 'hv.banner', lastSeq: 2, fields: { hv: 'crosscon', buildTime: '14:02:11' } });
    expect(r[1]).toMatchObject({ kind: 'hv.log', message: 'next' });
  });
});

describe('fatal dumps and asserts', () => {
  const dump = [
    '[00:00:05.120,000] <err> os: ***** BUS FAULT *****',
    '[00:00:05.120,000] <err> os:   Precise data bus error',
    '[00:00:05.120,000] <err> os:   BFAR Address: 0x50000000',
    '[00:00:05.121,000] <err> os: r0/a1:  0x00000000  r1/a2:  0x00000001  r2/a3:  0x20001234',
    '[00:00:05.121,000] <err> os: r3/a4:  0x00000000 r12/ip:  0x00000000 r14/lr:  0x10001a2b',
    '[00:00:05.121,000] <err> os:  xpsr:  0x61000000',
    '[00:00:05.121,000] <err> os: Faulting instruction address (r15/pc): 0x10001a30',
    '[00:00:05.121,000] <err> os: >>> ZEPHYR FATAL ERROR 25: Unknown error on CPU 0',
    '[00:00:05.121,000] <err> os: Current thread: 0x20000a10 (main)',
    '[00:00:05.400,000] <err> os: Halting system',
  ];

  it('joins a Cortex-M dump into one record with type, reason, PC and thread', () => {
    const r = parseAll([...dump, '[00:00:06.000,000] <inf> main: after']);
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({
      kind: 'zephyr.fatal', level: 'err', lastSeq: 9,
      fields: { faultType: 'BUS FAULT', reasonCode: 25, reason: 'Unknown error', reasonMeaning: 'BusFault precise data bus error', pc: '0x10001a30', thread: '0x20000a10', threadName: 'main', cpu: 0, faultAddress: '0x50000000', halted: true },
    });
    expect(r[0]!.deviceTime?.us).toBe(5_120_000);
    expect(String(r[0]!.fields['details'])).toContain('Precise data bus error');
  });

  it('holds an unfinished dump until flush, and ends it at the next ordinary line', () => {
    const p = createLineParser({ role: 'zephyr' });
    const lines = makeLines(dump.slice(0, 3));
    for (const l of lines) expect(p.push(l)).toEqual([]);
    const f = p.flush();
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'zephyr.fatal', lastSeq: 2, fields: { halted: false } });
    const r = parseAll([...dump.slice(0, 2), '*** Booting Zephyr OS build v4.1.0 ***']);
    expect(r.map((x) => x.kind)).toEqual(['zephyr.fatal', 'zephyr.banner']);
  });

  it('reads stack overflow and oops dumps printed without a fault header', () => {
    const r = parseAll([
      '[00:00:01.000,000] <err> os: r0/a1:  0x00000003  r1/a2:  0x00000000  r2/a3:  0x00000000',
      '[00:00:01.000,000] <err> os: >>> ZEPHYR FATAL ERROR 3: Kernel oops on CPU 0',
      '[00:00:01.000,000] <err> os: Current thread: 0x20000100 (unknown)',
      '[00:00:01.000,000] <err> os: Halting system',
    ]);
    expect(r).toHaveLength(1);
    expect(r[0]!.fields).toMatchObject({ reasonCode: 3, reason: 'Kernel oops', threadName: 'unknown' });
  });

  it('reads old printk fault dumps (x86 and Cortex-M legacy forms)', () => {
    const r = parseAll([
      '***** HARD FAULT *****',
      '  Executing thread ID (thread): 0x20000578',
      '  Faulting instruction address:  0x0000094a',
      'Fatal fault in thread 0x20000578! Aborting.',
      'next',
    ]);
    expect(r.map((x) => x.kind)).toEqual(['zephyr.fatal', 'zephyr.printk']);
    expect(r[0]!.fields).toMatchObject({ faultType: 'HARD FAULT', pc: '0x0000094a', halted: true });
  });

  it('reads an assertion with its TAB message line', () => {
    const r = parseAll(['ASSERTION FAIL [buf != NULL] @ ZEPHYR_BASE/subsys/net/buf.c:123', '\tbuffer is NULL']);
    expect(r).toEqual([expect.objectContaining({ kind: 'zephyr.assert', lastSeq: 1, fields: { expr: 'buf != NULL', file: 'ZEPHYR_BASE/subsys/net/buf.c', lineNo: 123, detail: 'buffer is NULL' } })]);
  });
});

describe('hexdumps', () => {
  it('joins data lines after their label and keeps the label line as its own record', () => {
    const r = parseAll([
      '[00:00:01.000,000] <dbg> net_wifi_mgmt: ssid',
      '                                        6d 79 6e 65 74                                   |mynet            ',
      '[00:00:01.000,000] <inf> main: next',
    ]);
    expect(r.map((x) => x.kind)).toEqual(['zephyr.log', 'zephyr.hexdump', 'zephyr.log']);
    expect(r[1]).toMatchObject({ lastSeq: 1, fields: { label: 'ssid', bytes: '6d796e6574', ascii: 'mynet', labelSeq: 0 } });
  });

  it('redacts the data of psk, SENT DATA and RECV dumps', () => {
    for (const label of ['psk', 'SENT DATA', 'RECV']) {
      const r = parseAll([
        `[00:00:01.000,000] <dbg> net_wifi_mgmt: ${label}`,
        '                                        73 65 63 72 65 74 31 32  61 62                   |secret12 ab',
      ]);
      expect(r[1]!.fields['bytes']).toBe('[redacted]');
      expect(own(r)).not.toContain('secret');
      expect(own(r)).not.toContain('7365');
    }
  });
});

describe('hypervisor output', () => {
  it('splits several BAO and CROSSCONHYP messages run together on one line, anywhere in it', () => {
    const r = parseAll(['guest textBAO INFO: a BAO WARNING: b CROSSCONHYP ERROR: failed to register sau entry'], 'hypervisor');
    expect(r.map((x) => [x.kind, x.message, x.level])).toEqual([
      ['zephyr.printk', 'guest text', undefined],
      ['hv.log', 'a', 'inf'],
      ['hv.log', 'b', 'wrn'],
      ['hv.log', 'failed to register sau entry', 'err'],
    ]);
    expect(r[3]!.fields).toEqual({ hv: 'crosscon', hvLevel: 'ERROR' });
  });
});

describe('wifi_esp_at, Wi-Fi and DHCP lines', () => {
  it('decodes errnos with the newlib table', () => {
    expect(one('[00:00:12.001,000] <err> MAIN: Failed to connect to Wi-Fi network: -115').fields).toMatchObject({ errno: -115, errnoName: 'ENETDOWN' });
    expect(one('[00:00:03.767,000] <err> wifi_esp_at: Init failed -5').fields).toMatchObject({ errnoName: 'EIO' });
  });

  it('reads modem_cmd_handler failures and redacts an echoed password', () => {
    const r = one('[00:00:03.767,000] <err> modem_cmd_handler: command AT+CWJAP="net","hunter2" ret:-116');
    expect(r.kind).toBe('modem.cmd_failed');
    expect(r.fields).toMatchObject({ command: 'AT+CWJAP="net","[redacted]"', errnoName: 'ETIMEDOUT' });
    expect(own(r)).not.toContain('hunter2');
  });

  it('reads versions, connect, disconnect and DHCP lines', () => {
    expect(one('[00:00:03.394,000] <inf> wifi_esp_at: AT version: 1.6.2.0(Apr 13 2018 11:10:59)').fields).toMatchObject({ what: 'AT version', version: '1.6.2.0(Apr 13 2018 11:10:59)' });
    expect(one('[00:00:14.100,000] <inf> MAIN: Connected to rpi3-hotspot').fields).toMatchObject({ ssid: 'rpi3-hotspot' });
    expect(one('[00:00:14.100,000] <inf> MAIN: Disconnected from rpi3-hotspot').kind).toBe('wifi.disconnected');
    expect(one('[00:00:15.200,000] <inf> MAIN:    Address[1]: 192.168.4.23')).toMatchObject({ kind: 'dhcp.bound', fields: { ip: '192.168.4.23' } });
    expect(one('[00:00:15.200,000] <inf> net_dhcpv4: Received: 192.168.4.23').kind).toBe('dhcp.bound');
    expect(one('[00:00:15.200,000] <inf> net_config: Running dhcpv4 client...').kind).toBe('dhcp.start');
    expect(one('Connection request failed (-116)').fields).toMatchObject({ errnoName: 'ETIMEDOUT' });
  });
});

describe('ESP-AT protocol', () => {
  const t0 = 1_700_000_000_000_000;

  it('pairs a command with its final result and measures the time between them', () => {
    const r = parseAll(['AT+CWMODE=0', 'ERROR'], 'esp-at', [t0, t0 + 2500]);
    expect(r).toEqual([expect.objectContaining({ kind: 'esp-at.command', dialect: 'esp-at', level: 'err', lastSeq: 1, fields: { command: 'AT+CWMODE=0', result: 'ERROR', durationUs: 2500 } })]);
  });

  it('absorbs the echo and the extended error code into the command', () => {
    const r = parseAll(['AT+CWJAP="n","p"', 'AT+CWJAP="n","p"', '+CWJAP:3', 'ERR CODE:0x01090000', 'FAIL'], 'esp-at');
    expect(r.map((x) => x.kind)).toEqual(['esp-at.cwjap_error', 'esp-at.command']);
    expect(r[0]!.fields).toMatchObject({ code: 3, meaning: 'cannot find the target AP' });
    expect(r[1]!.fields).toMatchObject({ command: 'AT+CWJAP="n","[redacted]"', result: 'FAIL', echo: true, errCode: '0x01090000', cwjapCode: 3 });
  });

  it('emits a command with result none when the next command starts or at flush, without delaying other records', () => {
    const p = createLineParser({ role: 'esp-at' });
    const [a, b, c, d] = makeLines(['AT+RST', 'ready', 'AT', 'WIFI GOT IP']);
    expect(p.push(a!)).toEqual([]);
    expect(p.push(b!).map((x) => x.kind)).toEqual(['esp-at.ready']);
    const second = p.push(c!);
    expect(second).toEqual([expect.objectContaining({ kind: 'esp-at.command', fields: expect.objectContaining({ command: 'AT+RST', result: 'none', durationUs: null }) })]);
    expect(p.push(d!)).toEqual([expect.objectContaining({ kind: 'esp-at.wifi', fields: { state: 'got_ip' } })]);
    expect(p.flush()).toEqual([expect.objectContaining({ kind: 'esp-at.command', fields: expect.objectContaining({ command: 'AT', result: 'none' }) })]);
  });

  it('reads unsolicited lines and the IP', () => {
    expect(one('WIFI CONNECTED', 'esp-at').fields).toEqual({ state: 'connected' });
    expect(one('WIFI DISCONNECT', 'esp-at').fields).toEqual({ state: 'disconnect' });
    expect(one('+CIPSTA:ip:"192.168.4.23"', 'esp-at')).toMatchObject({ kind: 'esp-at.ip', fields: { ip: '192.168.4.23' } });
    expect(one('busy p...', 'esp-at').kind).toBe('esp-at.info');
  });

  it('marks AT traffic on a console port, but not a lone OK', () => {
    expect(one('ready').fields).toEqual({ atTraffic: true });
    expect(one('WIFI GOT IP').fields).toEqual({ state: 'got_ip', atTraffic: true });
    expect(one('OK').kind).toBe('zephyr.printk');
    const r = parseAll(['AT+RST', 'OK']);
    expect(r).toEqual([expect.objectContaining({ kind: 'esp-at.command', fields: expect.objectContaining({ result: 'OK', atTraffic: true }) })]);
  });
});

describe('totality', () => {
  it('never throws on odd input and gives a text record for an empty line', () => {
    const p = createLineParser({ role: 'zephyr' });
    expect(p.push(makeLine(''))[0]).toMatchObject({ kind: 'text', message: '' });
    for (const s of ['[', '<', '<inf>', '[00:00:00.000,000] <inf>', '***** *****', '\u0000\uFFFD', '[] <err> : ', ' |', 'ASSERTION FAIL']) {
      expect(() => p.push(makeLine(s))).not.toThrow();
    }
    expect(() => p.flush()).not.toThrow();
  });
});

describe('x86 and torn forms', () => {
  it('joins an x86 page fault dump', () => {
    const r = parseAll([
      '***** CPU Page Fault (error code 0x00000002)',
      'Current thread ID = 0x00400020',
      'Faulting segment:address = 0x0008:0x00103a5b',
      'eax: 0x00000000, ebx: 0x00000000, ecx: 0x00000000, edx: 0x00000000',
      'Fatal fault in thread 0x00400020! Aborting.',
    ]);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ kind: 'zephyr.fatal', lastSeq: 4, fields: { faultType: 'CPU Page Fault (error code 0x00000002)', thread: '0x00400020', halted: true } });
  });

  it('reads the device time of a line that lost its opening bracket', () => {
    const r = one('00:00:00.456,542] <inf> wifi_esp_at: Waiting for interface to come up');
    expect(r.fields['torn']).toBe(true);
    expect(r.deviceTime?.us).toBe(456_542);
  });
});
