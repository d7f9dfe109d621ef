// Prints the README's example (the first ```ts block of README.md), which the consumer checks
// type-check, bundle and run exactly as a reader would copy it.
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const match = /^```ts\n([\s\S]*?)^```$/m.exec(readme);
if (match === null) {
  console.error('readme-example: README.md has no ```ts code block');
  process.exit(1);
}
process.stdout.write(match[1]);
