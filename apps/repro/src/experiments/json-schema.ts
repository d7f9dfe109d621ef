import { z } from 'zod';
import { userConfigSchema } from './schema';

/**
 * The JSON Schema (draft 2020-12) of a user config file, derived from the config schema, for
 * editors (`"$schema": "./config.schema.json"` is not a key the app accepts; point the editor at it
 * instead). Checks that span several fields (config-checks.ts) are not expressible in it.
 * `apps/repro/config.schema.json` holds this text; `pnpm --filter @fbt/repro schema` rewrites it.
 */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(userConfigSchema, {
    io: 'input',
    target: 'draft-2020-12',
    // The schema's `.readonly()` is for the TypeScript types; a file's values are the user's to edit.
    override: (ctx) => {
      delete ctx.jsonSchema.readOnly;
    },
  });
  const titled = {
    title: 'fbt-repro user experiment (fbt-repro run --config FILE.json)',
    ...schema,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
