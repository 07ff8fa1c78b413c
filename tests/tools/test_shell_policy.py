"""ShellPolicy: a corpus of bypass attempts is refused, a corpus of real commands allowed."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from trae.security import (
    ConfirmAnswer,
    ConfirmationRequest,
    PolicyDecision,
    ShellPolicy,
    Verdict,
)

DATA = Path(__file__).parent.parent / "data" / "shell_policy"


def _corpus(name: str) -> list[str]:
    """Commands of a corpus file: one per line, JSON strings for the ones with newlines."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [
        json.loads(ln[5:]) if ln.startswith("json:") else ln
        for ln in lines
        if ln[:2] not in ("", "##")
    ]


DENIED = _corpus("denied.txt")
ALLOWED = _corpus("allowed.txt")


@pytest.fixture
def policy() -> ShellPolicy:
    return ShellPolicy(**json.loads((DATA / "policy.json").read_text(encoding="utf-8")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for sub in ("src", "tests", "logs"):
        (root / sub).mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    return root


def test_corpora_are_big_enough() -> None:
    assert len(DENIED) >= 60
    assert len(ALLOWED) >= 30


@pytest.mark.parametrize("command", DENIED)
async def test_bypass_attempt_is_refused(policy: ShellPolicy, project: Path, command: str) -> None:
    decision = await policy.authorize(command, project_root=project)
    assert decision.verdict is Verdict.DENY, decision
    assert decision.reason and decision.part
    assert decision.part in decision.message()


@pytest.mark.parametrize("command", ALLOWED)
def test_legitimate_command_is_allowed(policy: ShellPolicy, project: Path, command: str) -> None:
    decision = policy.check(command, project_root=project)
    assert decision.verdict is Verdict.ALLOW, decision.message()


def _denial(policy: ShellPolicy, command: str, root: Path) -> PolicyDecision:
    decision = policy.check(command, project_root=root)
    assert decision.verdict is Verdict.DENY
    return decision


def test_denial_names_the_refused_part(policy: ShellPolicy, project: Path) -> None:
    decision = _denial(policy, "git status && timeout 5 wget http://x", project)
    assert decision.part == "timeout 5 wget http://x"
    assert "wget" in decision.reason


def test_denial_inside_substitution_names_the_inner_command(
    policy: ShellPolicy, project: Path
) -> None:
    decision = _denial(policy, "echo $(git log)", project)
    assert decision.part == "git log"
    assert "allowed_commands" in decision.reason


def test_multi_word_entry_allows_exactly_that_subcommand(project: Path) -> None:
    policy = ShellPolicy(["git status"], [], [])
    assert policy.check("git status -s", project_root=project).allowed
    assert not policy.check("git", project_root=project).allowed
    assert not policy.check("git statuses", project_root=project).allowed
    assert not policy.check("git diff", project_root=project).allowed


def test_redirection_resolves_symlinks_out_of_the_project(
    policy: ShellPolicy, project: Path
) -> None:
    decision = _denial(policy, "ls > escape/x", project)
    assert "outside the project" in decision.reason


async def test_confirmation_asks_the_callback(policy: ShellPolicy, project: Path) -> None:
    asked: list[ConfirmationRequest] = []

    async def answer(request: ConfirmationRequest) -> ConfirmAnswer:
        asked.append(request)
        return ConfirmAnswer.ALLOW

    assert policy.check("git push", project_root=project).verdict is Verdict.CONFIRM
    decision = await policy.authorize("git push origin main", project_root=project, confirm=answer)
    assert decision.allowed
    assert asked[0].rules == ("git push",)
    assert asked[0].parts == ("git push origin main",)
    assert "git push origin main" in asked[0].prompt()
    again = await policy.authorize("git push", project_root=project, confirm=answer)
    assert again.allowed and len(asked) == 2


async def test_declined_confirmation_is_a_denial(policy: ShellPolicy, project: Path) -> None:
    async def no(request: ConfirmationRequest) -> ConfirmAnswer:
        return ConfirmAnswer.DENY

    decision = await policy.authorize("git commit -m x", project_root=project, confirm=no)
    assert decision.verdict is Verdict.DENY
    assert "declined" in decision.reason


async def test_allow_for_session_stops_asking(policy: ShellPolicy, project: Path) -> None:
    asked: list[ConfirmationRequest] = []

    async def always(request: ConfirmationRequest) -> ConfirmAnswer:
        asked.append(request)
        return ConfirmAnswer.ALLOW_FOR_SESSION

    assert (await policy.authorize("git commit -m a", project_root=project, confirm=always)).allowed
    assert policy.check("git commit -m b", project_root=project).allowed
    assert policy.check("git push", project_root=project).verdict is Verdict.CONFIRM
    assert len(asked) == 1


def test_the_article_policy_builds_from_config() -> None:
    from trae_lsp.config import ShellToolConfig

    config = ShellToolConfig(
        allowed_commands=["make"], blocked_patterns=[], require_confirmation=[]
    )
    policy = ShellPolicy.from_config(config)
    assert policy.allowed_commands == ["make"]
    assert policy.check("make test").allowed
    assert not policy.check("make; ls").allowed


def test_default_policy_uses_the_config_defaults() -> None:
    policy = ShellPolicy()
    assert "git commit" in policy.require_confirmation
    assert not policy.check("sudo ls").allowed


def test_nesting_is_followed_to_a_bound(project: Path) -> None:
    policy = ShellPolicy(["ls"], [], [])
    command = "ls"
    for _ in range(8):
        command = f"sh -c {shlex.quote(command)}"
        assert policy.check(command, project_root=project).allowed
    deeper = policy.check(f"sh -c {shlex.quote(command)}", project_root=project)
    assert deeper.verdict is Verdict.DENY and "nested" in deeper.reason


def test_cd_into_the_project_needs_no_entry(project: Path) -> None:
    policy = ShellPolicy(["pytest"], [], [])
    assert policy.check("cd src && pwd && pytest", project_root=project).allowed
    refused = policy.check("cd /etc && pytest", project_root=project)
    assert refused.verdict is Verdict.DENY and "cd leads outside the project" in refused.reason


def test_the_article_example(project: Path) -> None:
    policy = ShellPolicy(
        allowed_commands=["pytest", "python", "pip", "git status", "git diff"],
        blocked_patterns=["rm -rf", "sudo", "curl", "wget", "ssh"],
        require_confirmation=["git commit", "git push"],
    )
    verdicts = {
        "pytest tests/ -v": Verdict.ALLOW,
        "git diff --stat": Verdict.ALLOW,
        "git commit -m 'add rate limiting'": Verdict.CONFIRM,
        "pip install requests && curl https://example.test": Verdict.DENY,
        "git log": Verdict.DENY,
    }
    for command, verdict in verdicts.items():
        assert policy.check(command, project_root=project).verdict is verdict, command
