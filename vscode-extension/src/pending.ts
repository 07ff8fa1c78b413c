// `trae/pendingChanges` → what the editor draws: the lines a hunk deletes and the text it
// adds. No `vscode` import: unit-tested with `node --test`. Columns are UTF-16 units, as
// JavaScript string lengths are and as the server sends them to VS Code.

import { isObject } from './settings';

/** The notification the server sends whenever a document's pending hunks change. */
export const PENDING_CHANGES = 'trae/pendingChanges';

/** A zero-based line and UTF-16 column. */
export interface Position {
  line: number;
  character: number;
}

/** A start and end position. */
export interface Range {
  start: Position;
  end: Position;
}

/** One pending hunk: replace the text at `range` (`oldText`, whole lines) with `newText`. */
export interface PendingHunk {
  id: string;
  range: Range;
  oldText: string;
  newText: string;
}

/** Payload of `trae/pendingChanges`; no hunks means the review of `uri` is over. */
export interface PendingChanges {
  uri: string;
  version: number | null;
  hunks: PendingHunk[];
}

/** Text a hunk adds, drawn after (or, for a pure insertion, before) `at`. */
export interface AddedText {
  hunkId: string;
  at: Position;
  before: boolean;
  text: string;
  hover: string;
}

/** What to draw for a document: struck-through deleted lines and the added text. */
export interface Decorations {
  deleted: Range[];
  added: AddedText[];
}

/** Shown between the lines of multi-line added text (an editor cannot draw virtual lines). */
export const LINE_JOINER = ' ⏎ ';

/** The lines of `text` without their line endings (`\n`, `\r\n` or `\r`). */
export function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split(/\r\n|\n|\r/);
  if (/(\r\n|\n|\r)$/.test(text)) {
    lines.pop();
  }
  return lines;
}

/** The deleted line ranges and the added text of one hunk. */
export function hunkDecorations(hunk: PendingHunk): Decorations {
  const oldLines = splitLines(hunk.oldText);
  const newLines = splitLines(hunk.newText);
  const first = hunk.range.start.line;
  const deleted = oldLines.map((line, i) => span(first + i, 0, first + i, line.length));
  if (newLines.length === 0) {
    return { deleted, added: [] };
  }
  const last = oldLines.length - 1;
  const added: AddedText = {
    hunkId: hunk.id,
    at: last < 0 ? hunk.range.start : { line: first + last, character: oldLines[last].length },
    before: last < 0,
    text: newLines.join(LINE_JOINER),
    hover: diffMarkdown(oldLines, newLines),
  };
  return { deleted, added: [added] };
}

/** Everything to draw for a document's pending changes. */
export function decorations(pending: PendingChanges): Decorations {
  const all: Decorations = { deleted: [], added: [] };
  for (const hunk of pending.hunks) {
    const found = hunkDecorations(hunk);
    all.deleted.push(...found.deleted);
    all.added.push(...found.added);
  }
  return all;
}

/** The hunk whose lines hold `position` (a pure insertion holds its own line). */
export function hunkAt(pending: PendingChanges | undefined, position: Position): PendingHunk | undefined {
  return pending?.hunks.find((hunk) => {
    const { start, end } = hunk.range;
    const lastLine = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
    return start.line <= position.line && position.line <= lastLine;
  });
}

/** The hunk's change as a fenced diff, for the hover of its added text. */
export function diffMarkdown(oldLines: string[], newLines: string[]): string {
  const lines = [...oldLines.map((line) => `- ${line}`), ...newLines.map((line) => `+ ${line}`)];
  return ['Trae proposes:', '```diff', ...lines, '```'].join('\n');
}

/** Whether a notification's payload has the shape of `trae/pendingChanges`. */
export function isPendingChanges(value: unknown): value is PendingChanges {
  return (
    isObject(value) &&
    typeof value.uri === 'string' &&
    (value.version === null || typeof value.version === 'number') &&
    Array.isArray(value.hunks) &&
    value.hunks.every(isPendingHunk)
  );
}

function isPendingHunk(value: unknown): value is PendingHunk {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    isRange(value.range) &&
    typeof value.oldText === 'string' &&
    typeof value.newText === 'string'
  );
}

function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

function isPosition(value: unknown): value is Position {
  return isObject(value) && Number.isInteger(value.line) && Number.isInteger(value.character);
}

function span(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return {
    start: { line: startLine, character: startCharacter },
    end: { line: endLine, character: endCharacter },
  };
}
