// The server's commands as the palette and key bindings run them: the argument object each
// needs, completed from the editor (document, selection, hunk under the cursor) and from
// what the user was asked. No `vscode` import: unit-tested with `node --test`.

import { Range, hunkAt, PendingChanges, Position } from './pending';
import { JsonObject, isObject } from './settings';

/** Run a user-defined `trae.commands` entry by name (server command). */
export const USER_COMMAND = 'trae.userCommand';

/** Commands that start an agent run on a document, optionally focused on the selection. */
export const AGENT_COMMANDS = ['trae.fixFile', 'trae.addTests', 'trae.runTask', 'trae.explain', USER_COMMAND];

/** Commands about one pending hunk (`{uri, hunkId}`). */
export const HUNK_COMMANDS = ['trae.acceptHunk', 'trae.rejectHunk'];

/** Commands about a whole document (`{uri}`). */
export const DOCUMENT_COMMANDS = [
  'trae.review',
  'trae.acceptAll',
  'trae.rejectAll',
  'trae.retryProposal',
  'trae.showProposal',
  'trae.discardProposal',
];

/** Commands whose document is optional: without one they act on every run / the last run. */
export const OPTIONAL_DOCUMENT_COMMANDS = ['trae.cancel', 'trae.showTrajectory'];

/** Every command the server registers (`workspace/executeCommand`). */
export const SERVER_COMMANDS = [...AGENT_COMMANDS, ...HUNK_COMMANDS, ...DOCUMENT_COMMANDS, ...OPTIONAL_DOCUMENT_COMMANDS];

/** The active editor: its document, selection, and the document's pending changes. */
export interface EditorState {
  uri: string;
  selection: Range;
  cursor: Position;
  pending?: PendingChanges;
}

/** What the user answered so far: a task text, a user command's name. */
export interface Answers {
  task?: string;
  name?: string;
}

/** What is missing before the command can run. */
export type Missing = 'editor' | 'task' | 'name' | 'hunk';

/** Either the completed arguments or what to ask for (or report) first. */
export type Completion = { args: unknown[] } | { missing: Missing };

/** A key binding entry for VS Code's `keybindings.json`. */
export interface Keybinding {
  key: string;
  command: string;
  args: JsonObject;
  when: string;
}

/**
 * The arguments to send for `command`: unchanged when they already name a document (code
 * lenses and code actions pass them), otherwise one object built from the editor and answers.
 */
export function completeArguments(
  command: string,
  args: unknown[],
  editor: EditorState | undefined,
  answers: Answers = {},
): Completion {
  const given = isObject(args[0]) ? { ...args[0] } : {};
  if (typeof given.uri === 'string' || !SERVER_COMMANDS.includes(command)) {
    return { args };
  }
  if (editor === undefined) {
    return OPTIONAL_DOCUMENT_COMMANDS.includes(command) ? { args: [given] } : { missing: 'editor' };
  }
  const filled: JsonObject = { ...given, uri: editor.uri };
  if (AGENT_COMMANDS.includes(command) && !isEmpty(editor.selection) && filled.range === undefined) {
    filled.range = editor.selection;
  }
  const missing = fillRequired(command, filled, editor, answers);
  return missing === undefined ? { args: [filled] } : { missing };
}

function fillRequired(command: string, filled: JsonObject, editor: EditorState, answers: Answers): Missing | undefined {
  if (command === 'trae.runTask' && !nonEmpty(filled.task)) {
    if (!nonEmpty(answers.task)) {
      return 'task';
    }
    filled.task = answers.task;
  }
  if (command === USER_COMMAND && !nonEmpty(filled.name)) {
    if (!nonEmpty(answers.name)) {
      return 'name';
    }
    filled.name = answers.name;
  }
  if (HUNK_COMMANDS.includes(command) && !nonEmpty(filled.hunkId)) {
    const hunk = hunkAt(editor.pending, editor.cursor);
    if (hunk === undefined) {
      return 'hunk';
    }
    filled.hunkId = hunk.id;
  }
  return undefined;
}

/** The names of the user's `trae.commands` (entries without a name are skipped). */
export function userCommandNames(commands: unknown): string[] {
  return (Array.isArray(commands) ? commands : [])
    .filter(isObject)
    .map((entry) => entry.name)
    .filter(nonEmpty);
}

/** `keybindings.json` entries for the user's `trae.commands` that name a `keybinding`. */
export function userKeybindings(commands: unknown): Keybinding[] {
  return (Array.isArray(commands) ? commands : [])
    .filter(isObject)
    .filter((entry) => nonEmpty(entry.name) && nonEmpty(entry.keybinding))
    .map((entry) => ({
      key: String(entry.keybinding).trim(),
      command: USER_COMMAND,
      args: { name: entry.name },
      when: 'editorTextFocus',
    }));
}

function isEmpty(range: Range): boolean {
  return range.start.line === range.end.line && range.start.character === range.end.character;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * What to tell the user when an agent command ends. Nothing for `explain` and for errors:
 * the server shows the explanation and the error itself.
 */
export function describeResult(command: string, result: unknown): string | undefined {
  if (!AGENT_COMMANDS.includes(command) || command === 'trae.explain' || !isObject(result)) {
    return undefined;
  }
  if (typeof result.status !== 'string' || result.status === 'error') {
    return undefined;
  }
  const summary = typeof result.summary === 'string' && result.summary !== '' ? ` — ${result.summary}` : '';
  return `Trae: ${command.replace(/^trae\./, '')} ${result.status}${summary}`;
}
