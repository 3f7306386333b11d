/**
 * The user-error type for scenarios and flags: the CLI prints its message and exits 2.
 *
 * Invariant: `message` is one line a user can act on: `file:line: field.path: Expected …, got …`.
 */

/** Where in a scenario file a problem is. */
export interface ScenarioErrorLocation {
  /** The scenario file as the user named it (relative paths stay relative). */
  file?: string | undefined;
  /** 1-based line in the file. */
  line?: number | undefined;
  /** Field path like `phases[1].rate`. */
  fieldPath?: string | undefined;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /** Stable machine-readable code. */
  readonly code = 'ERR_LOADGEN_SCENARIO';
  /** A bad scenario stays bad: retrying does not help. */
  readonly retriable = false;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly fieldPath: string | undefined;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, location: ScenarioErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatLocation(location) + detail, options);
    this.detail = detail;
    this.file = location.file;
    this.line = location.line;
    this.fieldPath = location.fieldPath;
  }
}

function formatLocation({ file, line, fieldPath }: ScenarioErrorLocation): string {
  let prefix = '';
  if (file !== undefined) prefix += line === undefined ? `${file}: ` : `${file}:${line}: `;
  if (fieldPath !== undefined && fieldPath !== '') prefix += `${fieldPath}: `;
  return prefix;
}

/** `['phases', 1, 'rate']` → `phases[1].rate`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `phases[1].rate` → `['phases', 1, 'rate']` (inverse of formatFieldPath). */
export function parseFieldPath(fieldPath: string): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (const match of fieldPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    path.push(match[2] === undefined ? (match[1] as string) : Number(match[2]));
  }
  return path;
}
