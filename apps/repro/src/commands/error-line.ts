import { truncate } from '../preview';

/** Longest error line printed (a long bad value is cut first). */
const MAX_ERROR_LINE = 300;

/**
 * A bad-input message as the one line the CLI prints: quoted values longer than 60 characters cut,
 * line breaks flattened, the whole at most 300 characters.
 */
export function errorLine(message: string): string {
  const flat = message
    .replace(/\s*\n\s*/g, ' ')
    .replace(
      /(['"])([^'"]{61,}?)\1/g,
      (_, quote: string, value: string) => `${quote}${truncate(value)}${quote}`,
    );
  return `${truncate(`fbt-repro: ${flat}`, MAX_ERROR_LINE)}\n`;
}
