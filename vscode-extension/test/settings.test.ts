import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverCommand, serverSettings, settingsChange } from '../src/settings';

/** A getter over VS Code-style nested settings, as `WorkspaceConfiguration.get` reads them. */
function getter(settings: Record<string, unknown>): (key: string) => unknown {
  return (key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], settings);
}

test('the article settings become nested initializationOptions without client-only keys', () => {
  const settings = {
    enabled: true,
    model: 'claude-sonnet-4-6',
    autoRecord: true,
    suggestions: { enabled: true, trigger: 'on-save', scope: 'current-file' },
    commands: [{ name: 'Fix current file', command: "trae run 'Fix it'", keybinding: 'ctrl+shift+f' }],
    edits: { mode: 'apply' },
    maxConcurrentAgents: 2,
    serverPath: '/opt/trae/bin/trae-lsp',
  };
  assert.deepEqual(serverSettings(getter(settings)), {
    enabled: true,
    model: 'claude-sonnet-4-6',
    autoRecord: true,
    suggestions: { enabled: true, trigger: 'on-save', scope: 'current-file' },
    commands: [{ name: 'Fix current file', command: "trae run 'Fix it'", keybinding: 'ctrl+shift+f' }],
    edits: { mode: 'apply' },
    maxConcurrentAgents: 2,
  });
});

test('unset settings are left out and a null model is kept', () => {
  assert.deepEqual(serverSettings(getter({ model: null, edits: {} })), { model: null });
});

test('the server command defaults to trae-lsp on PATH', () => {
  assert.deepEqual(serverCommand(getter({})), { command: 'trae-lsp', args: [] });
  assert.deepEqual(serverCommand(getter({ serverPath: '  ', serverArgs: 'lsp' })), { command: 'trae-lsp', args: [] });
  assert.deepEqual(serverCommand(getter({ serverPath: 'trae', serverArgs: ['lsp', 3] })), {
    command: 'trae',
    args: ['lsp'],
  });
});

test('changing the server command restarts, other trae settings notify, the rest is ignored', () => {
  assert.equal(settingsChange((key) => ['trae', 'trae.serverPath'].includes(key)), 'restart');
  assert.equal(settingsChange((key) => ['trae', 'trae.edits.mode', 'trae.edits'].includes(key)), 'notify');
  assert.equal(settingsChange((key) => key === 'editor.fontSize'), 'none');
});
