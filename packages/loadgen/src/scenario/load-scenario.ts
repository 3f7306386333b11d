/**
 * Reads a scenario YAML file and validates it, naming the field path and the YAML line of the
 * first problem: `scenarios/x.yaml:12: phases[1].rate: Expected a number ≥ 0, got "fast"`.
 *
 * Invariant: either a fully validated `Scenario` comes back, or a `ScenarioError` is thrown before
 * anything is sent. Paths inside the scenario (handler, generator module) stay relative here and
 * are resolved against `baseDir` by whoever loads them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { formatFieldPath, ScenarioError } from './scenario-error.js';
import { scenarioSchema, type Scenario } from './schema.js';

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  /** The file as named by the user, for messages. */
  file: string;
  /** Absolute directory that relative paths in the scenario are resolved against. */
  baseDir: string;
  /** 1-based line of the field at `path` (or of its nearest ancestor) in the file. */
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

/** A parsed scenario and a way back from field paths to lines. */
export interface ParsedScenario {
  scenario: Scenario;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

/** Loads and validates `file`; throws `ScenarioError` (exit 2) on any problem. */
export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`Cannot read scenario file: ${(error as Error).message}`, { file }, { cause: error });
  }
  return { ...parseScenarioDocument(text, file), file, baseDir: dirname(resolve(file)) };
}

/** Parses and validates scenario YAML text; `file` only labels messages. */
export function parseScenarioText(text: string, file = '<scenario>'): Scenario {
  return parseScenarioDocument(text, file).scenario;
}

/** Like `parseScenarioText`, also returning a field-path → line lookup for later checks. */
export function parseScenarioDocument(text: string, file = '<scenario>'): ParsedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = lineCounter.linePos(yamlError.pos[0]).line;
    throw new ScenarioError(`Invalid YAML: ${yamlError.message.split('\n')[0]}`, { file, line });
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // The parser accepts an alias to an undefined anchor (`*a`) or an alias bomb; building the
    // value throws (ReferenceError, "Excessive alias count"): still the user's file at fault.
    throw new ScenarioError(`Invalid YAML: ${(error as Error).message.split('\n')[0]}`, { file, line: 1 }, { cause: error });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ScenarioError(`Expected a mapping of scenario fields, got ${data === null ? 'an empty file' : typeof data}`, { file, line: 1 });
  }
  const result = scenarioSchema.safeParse(data, { reportInput: true });
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    const offset = offsetOf(doc.contents, path);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  if (result.success) return { scenario: result.data, lineOf };
  // One clear message: the first issue, in document order as zod walks the schema.
  const issue = result.error.issues[0] as Issue;
  const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  throw new ScenarioError(messageOf(issue), { file, line: lineOf(path), fieldPath: formatFieldPath(path) });
}

type Issue = z.core.$ZodIssue;

function messageOf(issue: Issue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Unknown field \`${issue.keys.join('`, `')}\` (check the spelling; unknown fields are errors)`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required field is missing';
  return issue.message;
}

/** Source offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(root: Node | null, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = root;
  let offset = (root?.range?.[0]) ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === part);
      if (pair === undefined || !isPair(pair)) break;
      const keyNode = pair.key as Node;
      offset = keyNode.range?.[0] ?? offset;
      node = pair.value;
      // Point at the value when there is one: `rate: fast` → the line of `fast` (same line here,
      // but the next line for a block value).
      if (pair.value !== null && (pair.value as Node).range !== undefined && !isMap(pair.value) && !isSeq(pair.value)) {
        offset = (pair.value as Node).range?.[0] ?? offset;
      }
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
