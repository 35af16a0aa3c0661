import { describe, expect, it } from 'vitest';
import { parsePortSpec, parseSource, PortSpecError } from '../../../daemon/config/port-spec.ts';

describe('port spec', () => {
  it('reads NAME=SOURCE with baud and role', () => {
    expect(parsePortSpec('console=/dev/ttyACM0,baud=921600,role=zephyr')).toEqual({ name: 'console', source: '/dev/ttyACM0', baud: 921600, role: 'zephyr' });
  });
  it('reads the short form NAME=PATH@BAUD:ROLE', () => {
    expect(parsePortSpec('esp=/dev/ttyUSB0@115200:esp-at')).toEqual({ name: 'esp', source: '/dev/ttyUSB0', baud: 115200, role: 'esp-at' });
  });
  it('reads usb:VID:PID:SERIAL as a USB match', () => {
    expect(parsePortSpec('c=usb:1fc9:0090:JSAQ')).toMatchObject({ usb: { vendor_id: '1fc9', product_id: '0090', serial_number: 'JSAQ' } });
  });
  it('tells tcp, replay and sim sources apart', () => {
    expect(parseSource(parsePortSpec('a=tcp://127.0.0.1:2000'))).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2000 });
    expect(parseSource(parsePortSpec('a=replay:/tmp/x.log?speed=max'))).toEqual({ kind: 'replay', file: '/tmp/x.log', speed: 'max' });
    expect(parseSource(parsePortSpec('a=replay:/tmp/x.log'))).toEqual({ kind: 'replay', file: '/tmp/x.log', speed: 1 });
    expect(parseSource(parsePortSpec('a=sim:seed/esp'))).toEqual({ kind: 'sim', scenario: 'seed', uart: 'esp', speed: 1 });
    expect(parseSource(parsePortSpec('a=sim:fault?speed=4'))).toEqual({ kind: 'sim', scenario: 'fault', uart: 'console', speed: 4 });
  });
  it('names what is wrong', () => {
    expect(() => parsePortSpec('console')).toThrow(PortSpecError);
    expect(() => parsePortSpec('con sole=/dev/x')).toThrow(/name "con sole"/);
    expect(() => parsePortSpec('c=/dev/x,role=linux')).toThrow(/role must be one of/);
    expect(() => parsePortSpec('c=/dev/x,baud=fast')).toThrow(/baud must be a whole number/);
    expect(() => parseSource(parsePortSpec('c=tcp://host'))).toThrow(/tcp:\/\/HOST:PORT/);
    expect(() => parseSource(parsePortSpec('c=replay:x.log?speed=0'))).toThrow(/replay speed/);
  });
});
