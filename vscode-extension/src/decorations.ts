// Draws `trae/pendingChanges` in the editors: deleted lines struck through on a "removed"
// background, the added text after them on an "inserted" background. The accept/reject
// code lenses above each hunk come from the server itself.

import * as vscode from 'vscode';
import { AddedText, PendingChanges, Range, decorations } from './pending';

/** The pending changes of every document under review, drawn in its visible editors. */
export class PendingDecorations implements vscode.Disposable {
  private readonly documents = new Map<string, PendingChanges>();
  private readonly deletedType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    textDecoration: 'line-through',
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly addedType = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });

  /** Take a new notification (its `uri` normalised by the caller) and redraw. */
  update(pending: PendingChanges): void {
    if (pending.hunks.length === 0) {
      this.documents.delete(pending.uri);
    } else {
      this.documents.set(pending.uri, pending);
    }
    this.draw(vscode.window.visibleTextEditors.filter((editor) => uriOf(editor) === pending.uri));
  }

  /** The pending changes of a document, if any. */
  get(uri: string): PendingChanges | undefined {
    return this.documents.get(uri);
  }

  /** Redraw `editors` from what is pending in their documents. */
  draw(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      const pending = this.documents.get(uriOf(editor));
      const found = pending ? decorations(pending) : { deleted: [], added: [] };
      editor.setDecorations(this.deletedType, found.deleted.map(vscodeRange));
      editor.setDecorations(this.addedType, found.added.map(addedOptions));
    }
  }

  /** Forget everything (the server stopped) and clear the editors. */
  clear(): void {
    this.documents.clear();
    this.draw(vscode.window.visibleTextEditors);
  }

  /** Remove the decoration types. */
  dispose(): void {
    this.deletedType.dispose();
    this.addedType.dispose();
  }
}

/** The key under which pending changes are kept for an editor's document. */
export function uriOf(editor: vscode.TextEditor): string {
  return editor.document.uri.toString();
}

function vscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function addedOptions(added: AddedText): vscode.DecorationOptions {
  const at = new vscode.Position(added.at.line, added.at.character);
  const attachment: vscode.ThemableDecorationAttachmentRenderOptions = {
    contentText: added.text,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
    margin: added.before ? '0 1em 0 0' : '0 0 0 1em',
  };
  return {
    range: new vscode.Range(at, at),
    hoverMessage: new vscode.MarkdownString(added.hover),
    renderOptions: added.before ? { before: attachment } : { after: attachment },
  };
}
