"""The one settings schema of trae-lsp.

Every setting the CLI, the Python API and the language server read is declared
here, once, with its default and its documentation (the docstring under each
field). `trae config schema` prints this model as JSON schema. How the layers
(defaults, files, environment, flags) are merged lives in `config_layers.py`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_PROVIDER = "anthropic"
"""The provider used when nothing else is configured."""

DEFAULT_MODEL = "claude-sonnet-4-6"
"""The model used when nothing else is configured; any model name the provider serves works."""


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, field docstrings are docs."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_default=True)


class ProviderConfig(Section):
    """One model provider (Anthropic, OpenAI or any OpenAI-compatible server)."""

    api_key: str | None = None
    """API key, or a reference such as `${ANTHROPIC_API_KEY}` expanded when the key is used."""

    base_url: str | None = None
    """Endpoint override, e.g. `http://localhost:11434/v1` for Ollama or a corporate proxy."""

    models: list[str] = Field(default_factory=list)
    """Model names served by this provider; a bare `--model NAME` is looked up here."""

    api: Literal["anthropic", "openai"] | None = None
    """Wire protocol; unset means `anthropic` for the provider named so, else OpenAI-compatible."""

    max_retries: int = Field(default=4, ge=0)
    """Retries on 408/409/429/5xx/529 and connection errors, with backoff honouring retry-after."""

    timeout_seconds: float = Field(default=600, gt=0)
    """Give up on one model call (per attempt) after this long."""

    prompt_caching: bool = True
    """Mark cache breakpoints (Anthropic) so resent history is billed at the cache-read price."""


def _default_providers() -> dict[str, ProviderConfig]:
    return {
        "anthropic": ProviderConfig(api_key="${ANTHROPIC_API_KEY}", models=[DEFAULT_MODEL]),
        "openai": ProviderConfig(api_key="${OPENAI_API_KEY}", models=["gpt-5", "gpt-5-mini"]),
    }


class ModelPrice(Section):
    """Price of one model in USD per million tokens."""

    input: float = Field(ge=0)
    """Uncached input tokens."""

    output: float = Field(ge=0)
    """Output tokens."""

    cache_write: float | None = Field(default=None, ge=0)
    """Input tokens written to the prompt cache (unset = the input price)."""

    cache_read: float | None = Field(default=None, ge=0)
    """Input tokens read from the prompt cache (unset = the input price)."""


class TrajectoryConfig(Section):
    """Where and how runs are recorded."""

    enabled: bool = True
    """Record a trajectory for every run."""

    output_dir: str = "~/.trae/trajectories"
    """Directory for trajectory files (`TRAE_TRAJECTORY_DIR` overrides it)."""

    max_size_mb: float = Field(default=100, gt=0)
    """Largest trajectory file; bigger tool outputs are truncated in the record to stay below."""


class ShellToolConfig(Section):
    """The `shell` tool and the policy every command must pass."""

    allowed_commands: list[str] = Field(
        default_factory=lambda: ["git", "npm", "pip", "pytest", "python", "make", "ls", "cat"]
    )
    """Programs (or exact subcommands such as `git status`) the agent may run."""

    blocked_patterns: list[str] = Field(
        default_factory=lambda: ["rm -rf", "sudo", "curl", "wget", "ssh"]
    )
    """Command fragments that are always refused, wherever they appear."""

    require_confirmation: list[str] = Field(default_factory=lambda: ["git commit", "git push"])
    """Commands that run only after the user says yes (terminal prompt or editor dialog)."""

    timeout_seconds: float = Field(default=60, gt=0)
    """A command still running after this long is killed with its whole process group."""

    max_output_bytes: int = Field(default=30_000, ge=100)
    """Bytes of stdout (and of stderr) the model sees; longer output keeps its head and tail."""


class WebToolConfig(Section):
    """The `web_fetch` and `web_search` tools."""

    enabled: bool = False
    """Allow the agent to reach the network; off unless you turn it on."""

    max_results: int = Field(default=10, ge=1)
    """Most search results returned to the model per query."""

    timeout_seconds: float = Field(default=20, gt=0)
    """Give up on one web request after this long."""

    max_page_bytes: int = Field(default=2_000_000, ge=1024)
    """Largest response body read; the rest of a bigger page is not downloaded."""

    max_text_chars: int = Field(default=20_000, ge=100)
    """Most characters of page text handed to the model (head and tail kept)."""

    allow_private_addresses: bool = False
    """Let `web_fetch` reach loopback, private and link-local addresses (intranet docs); off,
    so a model cannot probe services inside your network."""

    search_provider: Literal["none", "searxng", "brave"] = "none"
    """Search backend for `web_search`: a SearXNG instance (JSON API) or the Brave Search API."""

    search_url: str | None = None
    """Search endpoint; required for `searxng` (e.g. `http://localhost:8888/search`), optional
    for `brave` (defaults to its public API)."""

    search_api_key: str | None = None
    """API key of the search provider, e.g. `${BRAVE_SEARCH_API_KEY}` (Brave needs one)."""


class ToolsConfig(Section):
    """Settings of the built-in tools."""

    shell: ShellToolConfig = Field(default_factory=ShellToolConfig)
    """The `shell` tool and its command policy."""

    web: WebToolConfig = Field(default_factory=WebToolConfig)
    """The web tools."""

    extra_roots: list[str] = Field(default_factory=list)
    """Directories outside the project that file tools may also read and write (`~` expands).
    Everything else outside the project root is refused, symlinks included."""


class BudgetConfig(Section):
    """Token limits for one run (the article's `TokenBudget`)."""

    max_input_tokens: int | None = Field(default=None, ge=1)
    """Stop the run before it sends more input tokens than this (unset = no limit)."""

    max_output_tokens: int | None = Field(default=None, ge=1)
    """Stop the run before the model writes more output tokens than this (unset = no limit)."""

    warn_at_percent: float = Field(default=80, gt=0, le=100)
    """Emit a budget warning once this share of either limit is used."""

    strategy: Literal["normal", "conservative"] = "normal"
    """`conservative` shrinks old tool outputs and context early to stay within budget."""


class CacheConfig(Section):
    """Cache for the results of read-only tools."""

    backend: Literal["none", "filesystem", "redis"] = "none"
    """Where cached tool results live."""

    path: str = "~/.trae/cache"
    """Directory of the filesystem cache."""

    host: str = "localhost"
    """Redis host."""

    port: int = Field(default=6379, ge=1, le=65535)
    """Redis port."""

    ttl_seconds: int = Field(default=3600, ge=1)
    """How long a cached result stays valid."""


class SandboxConfig(Section):
    """Where shell commands run."""

    kind: Literal["local", "bubblewrap", "docker"] = "local"
    """`local` runs on the host, `bubblewrap` in a read-only namespace, `docker` in a container."""

    image: str = "python:3.12-slim"
    """Container image for the docker sandbox."""

    memory_limit: str | None = None
    """Memory limit for the docker sandbox, e.g. `2g`."""

    cpu_limit: float | None = Field(default=None, gt=0)
    """CPU limit for the docker sandbox, in cores."""

    network: Literal["none", "host", "bridge"] = "none"
    """Network access from inside the sandbox."""

    readonly_paths: list[str] = Field(default_factory=list)
    """Paths mounted read-only inside the sandbox."""

    writable_paths: list[str] = Field(default_factory=list)
    """Paths the sandboxed command may write to (the project is always writable)."""


class McpServerConfig(Section):
    """An MCP server whose tools the agent may use."""

    command: str
    """Program that starts the server (stdio transport)."""

    args: list[str] = Field(default_factory=list)
    """Arguments for the program."""

    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment for the server; values may reference `${VAR}`."""


class ContextConfig(Section):
    """The context engine: how code is ranked and packed for a task (`trae context`)."""

    body_share: float = Field(default=0.6, ge=0, le=1)
    """Share of the token budget spent on full bodies of the top symbols; the rest lists
    signatures of further symbols grouped under their file paths."""

    lexical_weight: float = Field(default=1.0, ge=0)
    """Weight of a symbol's BM25 match with the task words (normalised to the best match)."""

    mention_weight: float = Field(default=0.5, ge=0)
    """Bonus of a symbol whose exact name appears in the task text."""

    graph_weight: float = Field(default=0.35, ge=0)
    """Weight of the symbol's file in the personalised PageRank over references."""

    focus_weight: float = Field(default=1.0, ge=0)
    """Bonus of the focus file's symbols and, twice over, of the symbol under the cursor."""

    path_seed_weight: float = Field(default=2.0, ge=0)
    """PageRank seed of a file whose path, file name or module name the task mentions."""

    lexical_seed_count: int = Field(default=20, ge=0)
    """The best BM25 symbols whose files seed the PageRank (in proportion to their score)."""

    test_file_factor: float = Field(default=0.5, ge=0, le=1)
    """Score multiplier for symbols in test files, so the code under test comes first."""

    pagerank_restart: float = Field(default=0.25, gt=0, lt=1)
    """Probability that the PageRank walk jumps back to the seeds; higher stays closer."""

    max_definers: int = Field(default=15, ge=1)
    """Names defined in more files than this are too generic to link files in the graph."""


class TraeConfig(Section):
    """All settings of trae-lsp. Accepts the TRAE Agent article's config file as it stands."""

    default_provider: str = DEFAULT_PROVIDER
    """Provider used when a model name does not say which (`provider:model` does)."""

    default_model: str = DEFAULT_MODEL
    """Model used when none is given on the command line or in the editor settings."""

    providers: dict[str, ProviderConfig] = Field(default_factory=_default_providers)
    """Model providers by name: `anthropic`, `openai`, or any name with a `base_url`."""

    trajectory: TrajectoryConfig = Field(default_factory=TrajectoryConfig)
    """Trajectory recording."""

    tools: ToolsConfig = Field(default_factory=ToolsConfig)
    """Built-in tools."""

    budget: BudgetConfig = Field(default_factory=BudgetConfig)
    """Token budget for a run."""

    cache: CacheConfig = Field(default_factory=CacheConfig)
    """Tool-result cache."""

    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    """Sandbox for shell commands."""

    mcp_servers: dict[str, McpServerConfig] = Field(default_factory=dict)
    """MCP servers by name."""

    context: ContextConfig = Field(default_factory=ContextConfig)
    """The context engine's ranking and packing."""

    pricing: dict[str, ModelPrice] = Field(default_factory=dict)
    """Prices by model name, overriding or extending the built-in table (for cost estimates)."""
