"""The Workspace: overlay, editor buffers and disk behind one API, with a ChangeSet of diffs."""

from trae_lsp.workspace.changes import ChangeSet, FileChange, unified_diff
from trae_lsp.workspace.codec import BinaryFileError, Decoded, TextCodec, UnencodableTextError
from trae_lsp.workspace.core import Workspace, WorkspaceError, WorkspaceMode

__all__ = [
    "BinaryFileError",
    "ChangeSet",
    "Decoded",
    "FileChange",
    "TextCodec",
    "UnencodableTextError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceMode",
    "unified_diff",
]
