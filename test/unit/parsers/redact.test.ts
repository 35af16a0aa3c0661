import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../parsers/redact.ts';

describe('redactSecrets', () => {
  it('hides the password of AT+CWJAP and AT+CWSAP in every variant', () => {
    expect(redactSecrets('AT+CWJAP="home","hunter2"')).toBe('AT+CWJAP="home","[redacted]"');
    expect(redactSecrets('AT+CWJAP_CUR="home","hunter2",,"aa:bb"')).toBe('AT+CWJAP_CUR="home","[redacted]",,"aa:bb"');
    expect(redactSecrets('AT+CWJAP_DEF="home","x"')).toBe('AT+CWJAP_DEF="home","[redacted]"');
    expect(redactSecrets('AT+CWSAP="ap","pass1234",5,3')).toBe('AT+CWSAP="ap","[redacted]",5,3');
  });

  it('handles escaped quotes, commas and backslashes inside ssid and password', () => {
    expect(redactSecrets('AT+CWJAP="a\\"b\\,c","p\\"w\\,d\\\\"')).toBe('AT+CWJAP="a\\"b\\,c","[redacted]"');
  });

  it('hides the password in the modem_cmd_handler echo and in a line cut before the closing quote', () => {
    expect(redactSecrets('<err> modem_cmd_handler: command AT+CWJAP="net","pw" ret:-116')).toBe('<err> modem_cmd_handler: command AT+CWJAP="net","[redacted]" ret:-116');
    expect(redactSecrets('AT+CWJAP="net","half-sent-pass')).toBe('AT+CWJAP="net","[redacted]');
  });

  it('leaves other text alone', () => {
    expect(redactSecrets('AT+CWMODE=1')).toBe('AT+CWMODE=1');
    expect(redactSecrets('[00:00:01.000,000] <inf> main: hello')).toBe('[00:00:01.000,000] <inf> main: hello');
  });
});
