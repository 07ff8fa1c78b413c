import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingChanges, PendingHunk, decorations, hunkAt, hunkDecorations, isPendingChanges, splitLines } from '../src/pending';

function hunk(id: string, startLine: number, endLine: number, endCharacter: number, oldText: string, newText: string): PendingHunk {
  return {
    id,
    range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: endCharacter } },
    oldText,
    newText,
  };
}

const at = (line: number, character: number) => ({ line, character });

test('line endings are dropped; a final newline adds no empty line', () => {
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('a\r\nb\nc\rd'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(splitLines('a\n\n'), ['a', '']);
  assert.deepEqual(splitLines('last'), ['last']);
});

test('a replaced line is struck through and the new text follows it', () => {
  const found = hunkDecorations(hunk('1', 4, 5, 0, '    return sum(xs) - 1\n', '    return sum(xs)\n'));
  assert.deepEqual(found.deleted, [{ start: at(4, 0), end: at(4, 22) }]);
  assert.deepEqual(found.added, [
    {
      hunkId: '1',
      at: at(4, 22),
      before: false,
      text: '    return sum(xs)',
      hover: 'Trae proposes:\n```diff\n-     return sum(xs) - 1\n+     return sum(xs)\n```',
    },
  ]);
});

test('columns count UTF-16 units (emoji are two, CJK one)', () => {
  const found = hunkDecorations(hunk('2', 0, 1, 0, 'names = ["😋", "名前"]\r\n', 'names = []\r\n'));
  assert.deepEqual(found.deleted, [{ start: at(0, 0), end: at(0, 20) }]);
  assert.deepEqual(found.added[0].at, at(0, 20));
});

test('a pure insertion is drawn before its line, multi-line text joined on one line', () => {
  const found = hunkDecorations(hunk('3', 2, 2, 0, '', 'a = 1\nb = 2\n'));
  assert.deepEqual(found.deleted, []);
  assert.deepEqual(found.added.map((a) => [a.at, a.before, a.text]), [[at(2, 0), true, 'a = 1 ⏎ b = 2']]);
});

test('a pure deletion strikes every line and adds nothing', () => {
  const found = hunkDecorations(hunk('4', 1, 3, 0, 'x\n\n', ''));
  assert.deepEqual(found.deleted, [
    { start: at(1, 0), end: at(1, 1) },
    { start: at(2, 0), end: at(2, 0) },
  ]);
  assert.deepEqual(found.added, []);
});

test('a document with several hunks collects them all in order', () => {
  const pending: PendingChanges = {
    uri: 'file:///p/calc.py',
    version: 3,
    hunks: [hunk('5', 0, 1, 0, 'a\n', 'A\n'), hunk('6', 3, 3, 1, 'd', 'D')],
  };
  const found = decorations(pending);
  assert.deepEqual(found.deleted, [
    { start: at(0, 0), end: at(0, 1) },
    { start: at(3, 0), end: at(3, 1) },
  ]);
  assert.deepEqual(found.added.map((a) => a.hunkId), ['5', '6']);
});

test('the hunk under the cursor is found by line, the line after a hunk is not in it', () => {
  const pending: PendingChanges = {
    uri: 'file:///p/calc.py',
    version: 1,
    hunks: [hunk('7', 1, 3, 0, 'b\nc\n', 'B\n'), hunk('8', 5, 5, 0, '', 'new\n'), hunk('9', 7, 7, 4, 'last', 'LAST')],
  };
  assert.equal(hunkAt(pending, at(0, 0)), undefined);
  assert.equal(hunkAt(pending, at(2, 1))?.id, '7');
  assert.equal(hunkAt(pending, at(3, 0)), undefined);
  assert.equal(hunkAt(pending, at(5, 0))?.id, '8');
  assert.equal(hunkAt(pending, at(7, 2))?.id, '9');
  assert.equal(hunkAt(undefined, at(7, 2)), undefined);
});

test('only payloads of the server shape are accepted', () => {
  const good = { uri: 'file:///a', version: null, hunks: [hunk('1', 0, 1, 0, 'a\n', 'b\n')] };
  assert.equal(isPendingChanges(good), true);
  assert.equal(isPendingChanges({ uri: 'file:///a', version: 2, hunks: [] }), true);
  assert.equal(isPendingChanges({ ...good, version: '2' }), false);
  assert.equal(isPendingChanges({ ...good, hunks: [{ id: 1, oldText: '', newText: '' }] }), false);
  assert.equal(isPendingChanges({ ...good, hunks: [{ ...good.hunks[0], old_text: 'a\n', oldText: undefined }] }), false);
  assert.equal(isPendingChanges(null), false);
});
