import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchemaText } from '../src/experiments/json-schema';
import { cli } from './helpers';

describe('config.schema.json', () => {
  it('is what the config schema produces (run `pnpm --filter @fbt/repro schema` after changing it)', () => {
    const committed = readFileSync(new URL('../config.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('is printed by `fbt-repro schema` and describes the bounds', async () => {
    const { code, stdout } = await cli('schema');
    expect(code).toBe(0);
    expect(stdout).toBe(configJsonSchemaText());
    const schema = JSON.parse(stdout) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.properties.epochs).toEqual({ type: 'integer', minimum: 1, maximum: 10000 });
    expect(schema.additionalProperties).toBe(false);
  });
});
