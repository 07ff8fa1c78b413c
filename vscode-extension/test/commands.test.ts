import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditorState, SERVER_COMMANDS, completeArguments, describeResult, userCommandNames, userKeybindings } from '../src/commands';

const at = (line: number, character: number) => ({ line, character });
const URI = 'file:///p/calc.py';

function editor(selection = { start: at(4, 2), end: at(4, 2) }): EditorState {
  return {
    uri: URI,
    selection,
    cursor: selection.end,
    pending: {
      uri: URI,
      version: 2,
      hunks: [{ id: '12', range: { start: at(4, 0), end: at(5, 0) }, oldText: 'x\n', newText: 'y\n' }],
    },
  };
}

test('arguments that already name a document pass unchanged (code lenses, code actions)', () => {
  const args = [{ uri: 'file:///other.py', hunkId: '3' }];
  assert.deepEqual(completeArguments('trae.acceptHunk', args, editor()), { args });
  assert.deepEqual(completeArguments('some.other', [], editor()), { args: [] });
});

test('palette commands act on the active editor and its selection', () => {
  assert.deepEqual(completeArguments('trae.fixFile', [], editor()), { args: [{ uri: URI }] });
  const selection = { start: at(3, 0), end: at(5, 0) };
  assert.deepEqual(completeArguments('trae.explain', [], editor(selection)), { args: [{ uri: URI, range: selection }] });
  assert.deepEqual(completeArguments('trae.acceptAll', [], editor(selection)), { args: [{ uri: URI }] });
});

test('without an editor only cancel and show trajectory run (on every run / the last run)', () => {
  assert.deepEqual(completeArguments('trae.fixFile', [], undefined), { missing: 'editor' });
  assert.deepEqual(completeArguments('trae.cancel', [], undefined), { args: [{}] });
  assert.deepEqual(completeArguments('trae.showTrajectory', [], undefined), { args: [{}] });
});

test('run task asks for its task text, then sends it', () => {
  assert.deepEqual(completeArguments('trae.runTask', [], editor()), { missing: 'task' });
  assert.deepEqual(completeArguments('trae.runTask', [], editor(), { task: '  ' }), { missing: 'task' });
  assert.deepEqual(completeArguments('trae.runTask', [], editor(), { task: 'add docs' }), {
    args: [{ uri: URI, task: 'add docs' }],
  });
});

test('a user command comes by name from a key binding or from the pick list', () => {
  assert.deepEqual(completeArguments('trae.userCommand', [{ name: 'Add tests' }], editor()), {
    args: [{ name: 'Add tests', uri: URI }],
  });
  assert.deepEqual(completeArguments('trae.userCommand', [], editor()), { missing: 'name' });
  assert.deepEqual(completeArguments('trae.userCommand', [], editor(), { name: 'Fix it' }), {
    args: [{ uri: URI, name: 'Fix it' }],
  });
});

test('accept and reject hunk take the hunk under the cursor', () => {
  assert.deepEqual(completeArguments('trae.rejectHunk', [], editor()), { args: [{ uri: URI, hunkId: '12' }] });
  const elsewhere = { start: at(0, 0), end: at(0, 0) };
  assert.deepEqual(completeArguments('trae.acceptHunk', [], editor(elsewhere)), { missing: 'hunk' });
});

test('key bindings and names come from the article-style trae.commands', () => {
  const commands = [
    { name: 'Fix current file', command: "trae run 'Fix it'", keybinding: 'ctrl+shift+f' },
    { name: 'Add tests', task: 'Write tests' },
    { name: '', keybinding: 'ctrl+x' },
    'not an object',
  ];
  assert.deepEqual(userCommandNames(commands), ['Fix current file', 'Add tests']);
  assert.deepEqual(userKeybindings(commands), [
    { key: 'ctrl+shift+f', command: 'trae.userCommand', args: { name: 'Fix current file' }, when: 'editorTextFocus' },
  ]);
  assert.deepEqual(userKeybindings(undefined), []);
});

test('an agent command result is reported with its status and summary', () => {
  const result = { status: 'completed', summary: 'total no longer subtracts 1' };
  assert.equal(describeResult('trae.fixFile', result), 'Trae: fixFile completed — total no longer subtracts 1');
  assert.equal(describeResult('trae.runTask', { status: 'cancelled', summary: '' }), 'Trae: runTask cancelled');
  assert.equal(describeResult('trae.explain', result), undefined);
  assert.equal(describeResult('trae.fixFile', { status: 'error', summary: 'no model' }), undefined);
  assert.equal(describeResult('trae.acceptAll', null), undefined);
});

test('every server command the arguments are completed for is contributed, and only those', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const clientOnly = ['trae.showUserKeybindings', 'trae.restartServer'];
  assert.deepEqual([...SERVER_COMMANDS].sort(), contributed.filter((c) => !clientOnly.includes(c)).sort());
});
