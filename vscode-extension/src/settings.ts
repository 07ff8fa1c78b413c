// The `trae` settings as the server reads them: built once here for both
// `initializationOptions` and the answer to `workspace/configuration`.
// No `vscode` import: unit-tested with `node --test`.

/** Configuration section of every Trae setting (`trae.*`). */
export const SECTION = 'trae';

/** Settings the server reads, as keys under `trae.` (dots nest: `edits.mode`). */
export const SERVER_KEYS = [
  'enabled',
  'model',
  'autoRecord',
  'suggestions',
  'commands',
  'edits.mode',
  'maxConcurrentAgents',
] as const;

/** Settings only the extension reads (how to start the server); never sent to it. */
export const CLIENT_KEYS = ['serverPath', 'serverArgs'] as const;

/** The server program when `trae.serverPath` is empty. */
export const DEFAULT_SERVER_PATH = 'trae-lsp';

/** Reads one setting under `trae.` (e.g. VS Code's `WorkspaceConfiguration.get`). */
export type SettingsGetter = (key: string) => unknown;

/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/** How to start the server: program and arguments. */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** The server's settings as one nested object; unset keys are left out. */
export function serverSettings(get: SettingsGetter): JsonObject {
  const settings: JsonObject = {};
  for (const key of SERVER_KEYS) {
    const value = get(key);
    if (value !== undefined) {
      setPath(settings, key.split('.'), value);
    }
  }
  return settings;
}

/** The program and arguments from `trae.serverPath` and `trae.serverArgs`. */
export function serverCommand(get: SettingsGetter): ServerCommand {
  const path = get('serverPath');
  const args = get('serverArgs');
  return {
    command: typeof path === 'string' && path.trim() !== '' ? path.trim() : DEFAULT_SERVER_PATH,
    args: Array.isArray(args) ? args.filter((arg): arg is string => typeof arg === 'string') : [],
  };
}

/** Whether a change of `affects(key)` keys needs a server restart, a settings push, or neither. */
export function settingsChange(affects: (key: string) => boolean): 'restart' | 'notify' | 'none' {
  if (CLIENT_KEYS.some((key) => affects(`${SECTION}.${key}`))) {
    return 'restart';
  }
  return affects(SECTION) ? 'notify' : 'none';
}

function setPath(into: JsonObject, path: string[], value: unknown): void {
  let node = into;
  for (const part of path.slice(0, -1)) {
    const child = node[part];
    node = isObject(child) ? child : (node[part] = {});
  }
  node[path[path.length - 1]] = value;
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
