import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleConfigYaml } from '../../../daemon/config/example-config.ts';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { configSchema } from '../../../daemon/config/schema.ts';

const EXAMPLE = fileURLToPath(new URL('../../../deploy/uartscope.example.yaml', import.meta.url));

describe('deploy/uartscope.example.yaml', () => {
  it('is what the schema generates (run `npm run example-config` after changing the schema)', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(exampleConfigYaml());
  });

  it('is a valid config', () => {
    expect(() => parseConfig(parseDocument(readFileSync(EXAMPLE, 'utf8')).toJS(), EXAMPLE)).not.toThrow();
  });

  it('names every top-level section of the schema, each with its description', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    for (const key of Object.keys(configSchema.shape)) expect(text).toMatch(new RegExp(`^${key}:`, 'm'));
  });
});

describe('README quick start', () => {
  it('opens with exactly two commands, and .ci/run runs the second one', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n') ?? [];
    expect(block).toHaveLength(2);
    expect(block[0]).toBe('npm install && npm start');
    const ci = readFileSync(fileURLToPath(new URL('../../../.ci/run', import.meta.url)), 'utf8');
    expect(ci.split('\n')).toContain(block[1]);
  });
});
