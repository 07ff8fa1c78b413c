// Trae for VS Code: starts `trae-lsp` over stdio, completes the palette's and key bindings'
// command arguments from the active editor, and draws the server's pending changes.

import * as vscode from 'vscode';
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  TransportKind,
} from 'vscode-languageclient/node';
import { Answers, EditorState, Missing, completeArguments, describeResult, userCommandNames, userKeybindings } from './commands';
import { PendingDecorations } from './decorations';
import { PENDING_CHANGES, isPendingChanges } from './pending';
import { SECTION, serverCommand, serverSettings, settingsChange } from './settings';

/** Client-only command: restart the language server. */
const RESTART = 'trae.restartServer';

/** Client-only command: open `keybindings.json` entries for the user's `trae.commands`. */
const SHOW_KEYBINDINGS = 'trae.showUserKeybindings';

/** What to tell the user when a command cannot run without something they did not give. */
const MISSING_MESSAGES: Record<Exclude<Missing, 'task' | 'name'>, string> = {
  editor: 'Trae: open a file first; this command works on the active editor.',
  hunk: 'Trae: no pending change under the cursor; use the Accept | Reject lens above a change, or Accept all / Reject all.',
};

/** Start Trae: the language client, its commands and the pending-change decorations. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const trae = new TraeClient();
  context.subscriptions.push(
    trae,
    vscode.commands.registerCommand(RESTART, () => trae.restart()),
    vscode.commands.registerCommand(SHOW_KEYBINDINGS, () => showUserKeybindings()),
    vscode.window.onDidChangeVisibleTextEditors((editors) => trae.decorations.draw(editors)),
    vscode.workspace.onDidChangeConfiguration((event) => trae.configurationChanged(event)),
  );
  await trae.start();
}

/** The language client and the state that lives as long as the extension. */
class TraeClient implements vscode.Disposable {
  readonly decorations = new PendingDecorations();
  private readonly output = vscode.window.createOutputChannel('Trae', { log: true });
  private client: LanguageClient | undefined;

  /** Start `trae-lsp`; a failure is shown with the setting to fix. */
  async start(): Promise<void> {
    const settings = vscode.workspace.getConfiguration(SECTION);
    const server = serverCommand((key) => settings.get(key));
    const client = new LanguageClient(
      'trae',
      'Trae',
      { ...server, transport: TransportKind.stdio },
      this.clientOptions(),
    );
    this.client = client;
    client.onNotification(PENDING_CHANGES, (params: unknown) => this.pendingChanged(client, params));
    try {
      await client.start();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(
        `Trae: could not start "${server.command}" (${detail}). Install trae-lsp or set trae.serverPath.`,
      );
    }
  }

  /** Stop the server and start it again with the current settings. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** React to a settings change: restart for the server command, else tell the server. */
  configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    const change = settingsChange((key) => event.affectsConfiguration(key));
    if (change === 'restart') {
      void this.restart();
    } else if (change === 'notify' && this.client?.isRunning()) {
      void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  }

  /** Stop the client and clear what it drew. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.decorations.clear();
    if (client?.isRunning()) {
      await client.stop();
    }
  }

  /** Stop everything (the extension is deactivated). */
  dispose(): void {
    void this.stop();
    this.decorations.dispose();
    this.output.dispose();
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.output,
      initializationOptions: serverSettings((key) => vscode.workspace.getConfiguration(SECTION).get(key)),
      middleware: {
        executeCommand: (command, args, next) => this.executeCommand(command, args, next),
        workspace: { configuration: (params, token, next) => this.configuration(params, token, next) },
      },
    };
  }

  private pendingChanged(client: LanguageClient, params: unknown): void {
    if (!isPendingChanges(params)) {
      this.output.appendLine(`Ignored a malformed ${PENDING_CHANGES} notification.`);
      return;
    }
    const uri = client.protocol2CodeConverter.asUri(params.uri).toString();
    this.decorations.update({ ...params, uri });
  }

  private async executeCommand(
    command: string,
    args: unknown[],
    next: (command: string, args: unknown[]) => vscode.ProviderResult<unknown>,
  ): Promise<unknown> {
    const answers: Answers = {};
    for (;;) {
      const completion = completeArguments(command, args, this.editorState(), answers);
      if ('args' in completion) {
        const result = await next(command, completion.args);
        const message = describeResult(command, result);
        if (message !== undefined) {
          void vscode.window.showInformationMessage(message);
        }
        return result;
      }
      if (!(await ask(completion.missing, answers))) {
        return undefined;
      }
    }
  }

  private async configuration(
    params: ConfigurationParams,
    token: vscode.CancellationToken,
    next: (params: ConfigurationParams, token: vscode.CancellationToken) => unknown,
  ): Promise<unknown[] | ResponseError<void>> {
    const answered = await next(params, token);
    if (answered instanceof ResponseError) {
      return answered;
    }
    return params.items.map((item, i) => {
      if (item.section !== SECTION) {
        return Array.isArray(answered) ? answered[i] : null;
      }
      const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
      return serverSettings((key) => vscode.workspace.getConfiguration(SECTION, scope).get(key));
    });
  }

  private editorState(): EditorState | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || this.client === undefined) {
      return undefined;
    }
    const { start, end, active } = editor.selection;
    return {
      uri: this.client.code2ProtocolConverter.asUri(editor.document.uri),
      selection: { start: position(start), end: position(end) },
      cursor: position(active),
      pending: this.decorations.get(editor.document.uri.toString()),
    };
  }
}

/** Ask the user for what is missing; false when they cancelled or nothing can be asked. */
async function ask(missing: Missing, answers: Answers): Promise<boolean> {
  if (missing === 'task') {
    answers.task = await vscode.window.showInputBox({
      title: 'Trae: run task',
      prompt: 'What should the agent do in this file?',
      placeHolder: 'e.g. make total return the plain sum',
      ignoreFocusOut: true,
    });
    return answers.task !== undefined && answers.task.trim() !== '';
  }
  if (missing === 'name') {
    const names = userCommandNames(vscode.workspace.getConfiguration(SECTION).get('commands'));
    if (names.length === 0) {
      void vscode.window.showWarningMessage('Trae: no commands in the trae.commands setting yet.');
      return false;
    }
    answers.name = await vscode.window.showQuickPick(names, { title: 'Trae: run one of your trae.commands' });
    return answers.name !== undefined;
  }
  void vscode.window.showWarningMessage(MISSING_MESSAGES[missing]);
  return false;
}

/** Open `keybindings.json` entries for the user's `trae.commands` in a new editor. */
async function showUserKeybindings(): Promise<void> {
  const entries = userKeybindings(vscode.workspace.getConfiguration(SECTION).get('commands'));
  const content = entries.length
    ? `// Paste into keybindings.json (Preferences: Open Keyboard Shortcuts (JSON)).\n${JSON.stringify(entries, null, 2)}\n`
    : '// No trae.commands entry has a "keybinding" yet.\n[]\n';
  const document = await vscode.workspace.openTextDocument({ language: 'jsonc', content });
  await vscode.window.showTextDocument(document);
}

function position(at: vscode.Position): { line: number; character: number } {
  return { line: at.line, character: at.character };
}
