"""`BubblewrapSandbox`: a Linux namespace with a read-only root and a writable project.

No daemon and no root needed: bwrap binds `/` read-only, gives a private `/tmp`, binds
the project (and configured `writable_paths`) read-write, and with network "none"
unshares the network namespace so only an unconnected loopback exists.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from trae_lsp.sandbox.base import SandboxUnavailableError
from trae_lsp.sandbox.local import SHELL, ProcessSandbox

NETWORKS = ("none", "host")
"""Network modes bubblewrap supports: none (own empty namespace) or the host's."""


class BubblewrapSandbox(ProcessSandbox):
    """Runs commands under bubblewrap: read-only system, writable project and /tmp."""

    name = "bubblewrap"

    def __init__(
        self,
        *,
        network: str = "none",
        readonly_paths: Sequence[str] = (),
        writable_paths: Sequence[str] = (),
        bwrap: str = "bwrap",
    ) -> None:
        if network not in NETWORKS:
            raise SandboxUnavailableError(
                f"bubblewrap supports network {' or '.join(NETWORKS)}, not {network!r}; "
                "set sandbox.network accordingly"
            )
        found = shutil.which(bwrap)
        if found is None:
            raise SandboxUnavailableError(
                f"bubblewrap ({bwrap!r}) is not installed; install the 'bubblewrap' package "
                "or set sandbox.kind to 'local'"
            )
        self.bwrap = found
        self.network = network
        self.readonly_paths = [Path(p).expanduser() for p in readonly_paths]
        self.writable_paths = [Path(p).expanduser() for p in writable_paths]

    def wrap(self, command: str, *, root: Path, cwd: Path) -> list[str]:
        """The bwrap argv: later binds override earlier ones, so read-only paths come last."""
        argv = [self.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        argv += ["--tmpfs", "/tmp", "--unshare-pid", "--die-with-parent"]
        if self.network == "none":
            argv.append("--unshare-net")
        for path in _hidden_by_private_tmp():
            argv += ["--ro-bind", str(path), str(path)]
        argv += ["--bind", str(root), str(root)]
        for path in self.writable_paths:  # -try: a configured path that is absent is skipped
            argv += ["--bind-try", str(path), str(path)]
        for path in self.readonly_paths:
            argv += ["--ro-bind-try", str(path), str(path)]
        return [*argv, "--chdir", str(cwd), "--", SHELL, "-c", command]


def _hidden_by_private_tmp() -> list[Path]:
    """Python environments under /tmp (a CI checkout's venv) that the private /tmp would hide.

    Commands the agent runs, such as the project's tests, need the interpreter and
    packages trae itself runs with; everything else under the host's /tmp stays hidden.
    """
    tmp = Path("/tmp")
    prefixes = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    return sorted(p for p in prefixes if p.is_relative_to(tmp) and p != tmp)
