// An answer of the read engine arrives as JSON text that PostgreSQL built. Parsing it so that Apollo can
// write the same JSON again cost every request a parse and a stringify, the larger the answer the more
// (measured in docs/performance.md). So the answer goes to Apollo as an object whose root fields parse the
// text the first time one is read (a resolver taking its part, a caller of executeOperation, anything that
// walks it), and the response is written by `stringifyResult` (Apollo's option for writing a result), which
// puts the text in as it came.
import type { FormattedExecutionResult } from 'graphql';

const texts = new WeakMap<object, string>();

/** The answer `text` holds, as an object with the root response names `keys` (the text's keys, in order). */
export function textAnswer(text: string, keys: readonly string[]): Record<string, unknown> {
  let parsed: Record<string, unknown> | undefined;
  const answer: Record<string, unknown> = {};
  for (const key of keys) {
    Object.defineProperty(answer, key, { enumerable: true, get: () => (parsed ??= JSON.parse(text) as Record<string, unknown>)[key] });
  }
  texts.set(answer, text);
  return answer;
}

/**
 * A result as the response body: JSON, with `data` written from its text when it is an answer of
 * `textAnswer`. Fields in the order Apollo gives them (errors, data, extensions), and a newline at the end
 * as Apollo's own writer puts it.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const members: string[] = [];
  for (const [name, value] of Object.entries(result)) {
    if (value === undefined) continue;
    const text = typeof value === 'object' && value !== null ? texts.get(value) : undefined;
    members.push(`${JSON.stringify(name)}:${name === 'data' && text !== undefined ? text : JSON.stringify(value)}`);
  }
  return `{${members.join(',')}}\n`;
}
