"""`WebFetcher` and the `web_fetch` / `web_search` tools: off unless `tools.web.enabled`.

Pages are read with httpx under a byte limit and one overall time limit, HTML becomes
readable text, and the text the model gets is clipped head + tail. Search goes to the
provider `tools.web.search_provider` names (see `web_search.py`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

import httpx

from trae_lsp import __version__
from trae_lsp.config import WebToolConfig
from trae_lsp.config_layers import load_config
from trae_lsp.errors import ConfigError
from trae_lsp.tools.base import BaseTool, ToolContext, ToolParams, ToolResult
from trae_lsp.tools.html_text import html_to_text
from trae_lsp.tools.sync import run_sync
from trae_lsp.tools.web_search import SearchResult, WebError, search_request

USER_AGENT = f"trae-lsp/{__version__}"
"""Sent with every request so sites can tell an agent from a browser."""

MAX_REDIRECTS = 5
"""Redirects followed before giving up."""

ERROR_BODY_CHARS = 300
"""Characters of an error page quoted back to the model."""

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/xhtml+xml")


class WebDisabledError(WebError):
    """The web tools are off in the configuration."""


@dataclass(frozen=True)
class WebPage:
    """A fetched page as the model sees it."""

    url: str
    """The final URL, after redirects."""

    status: int
    content_type: str
    title: str
    text: str
    """Readable text (HTML converted), clipped to `tools.web.max_text_chars`."""

    truncated: bool
    """True when the body exceeded `max_page_bytes` or the text `max_text_chars`."""


class WebFetcher:
    """Fetches pages and runs searches within the limits of `tools.web`.

    Without `config`, `tools.web` comes from the layered configuration of the current
    directory, so `WebFetcher()` honours `tools.web.enabled` from the config files.
    """

    def __init__(
        self,
        config: WebToolConfig | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config or load_config(Path.cwd()).config.tools.web
        self._transport = transport

    async def afetch(self, url: str) -> WebPage:
        """Fetch `url` and return its readable text; raise `WebError` with what to do next."""
        self._check_enabled()
        if not url.startswith(("http://", "https://")):
            raise WebError(f"only http(s) URLs can be fetched, not {url!r}")
        async with self._client(guard=not self.config.allow_private_addresses) as client:
            body, response, cut = await self._bounded(client, url)
        return self._page(response, body, cut)

    async def asearch(self, query: str) -> list[SearchResult]:
        """Search the web through the configured provider, at most `max_results` results."""
        self._check_enabled()
        request, parse = search_request(self.config, query)
        async with self._client(guard=False) as client:  # the provider is the user's choice
            body, response, _ = await self._bounded(client, request)
        if response.status_code >= 400:
            raise WebError(f"the search provider answered HTTP {response.status_code}")
        return parse(body)[: self.config.max_results]

    def fetch(self, url: str) -> WebPage:
        """`afetch` for synchronous callers."""
        return run_sync(self.afetch(url))

    def search(self, query: str) -> list[SearchResult]:
        """`asearch` for synchronous callers."""
        return run_sync(self.asearch(query))

    def _check_enabled(self) -> None:
        if not self.config.enabled:
            raise WebDisabledError(
                "the web tools are off; set tools.web.enabled = true to let the agent fetch pages"
            )

    def _client(self, *, guard: bool) -> httpx.AsyncClient:
        """A client; with `guard`, every request (redirects too) must go to a public address."""
        return httpx.AsyncClient(
            transport=self._transport,
            timeout=self.config.timeout_seconds,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            event_hooks={"request": [refuse_private_address]} if guard else {},
        )

    async def _bounded(
        self, client: httpx.AsyncClient, request: str | httpx.Request
    ) -> tuple[bytes, httpx.Response, bool]:
        """Read at most `max_page_bytes` within `timeout_seconds` overall."""
        limit = self.config.max_page_bytes
        what = request if isinstance(request, str) else str(request.url)
        try:
            async with asyncio.timeout(self.config.timeout_seconds):
                if isinstance(request, str):
                    request = client.build_request("GET", request)
                response = await client.send(request, stream=True)
                try:
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > limit:
                            break
                finally:
                    await response.aclose()
        except TimeoutError as e:
            raise WebError(
                f"{what} did not answer within {self.config.timeout_seconds:g}s "
                "(tools.web.timeout_seconds)"
            ) from e
        except httpx.HTTPError as e:
            raise WebError(f"cannot fetch {what}: {e or type(e).__name__}") from e
        return bytes(body[:limit]), response, len(body) > limit

    def _page(self, response: httpx.Response, body: bytes, cut: bool) -> WebPage:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        text = body.decode(response.encoding or "utf-8", errors="replace")
        title = ""
        if content_type in _HTML_TYPES or not content_type:
            title, text = html_to_text(text)
        if response.status_code >= 400:
            excerpt = " ".join(text.split())[:ERROR_BODY_CHARS]
            raise WebError(f"{response.url} answered HTTP {response.status_code}: {excerpt}")
        if content_type and not content_type.startswith(_TEXT_TYPES):
            raise WebError(f"{response.url} is {content_type}, not text; it cannot be shown")
        clipped = clip_middle(text, self.config.max_text_chars)
        return WebPage(
            url=str(response.url),
            status=response.status_code,
            content_type=content_type,
            title=title,
            text=clipped,
            truncated=cut or clipped != text,
        )


async def refuse_private_address(request: httpx.Request) -> None:
    """Refuse hosts that resolve to loopback, private, link-local or reserved addresses."""
    host = request.url.host
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise WebError(f"cannot resolve {host!r}: {e.strerror}") from e
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise WebError(
                f"{host} resolves to the non-public address {address}; set "
                "tools.web.allow_private_addresses = true to let web_fetch reach it"
            )


def clip_middle(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters, keeping the head and the tail."""
    if len(text) <= limit:
        return text
    half = limit // 2
    dropped = len(text) - 2 * half
    return f"{text[:half]}\n[... {dropped} characters omitted ...]\n{text[-half:]}"


class WebFetchParams(ToolParams):
    """Arguments of `web_fetch`."""

    url: str
    """The http(s) URL to read."""


class WebFetchTool(BaseTool):
    """Reads a web page as text (documentation, changelogs, issue threads)."""

    name = "web_fetch"
    description = (
        "Fetch a web page (http/https) and return its readable text. Use it for documentation "
        "or references the task needs; long pages are clipped in the middle."
    )
    Params = WebFetchParams
    read_only = True

    def __init__(self, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._transport = transport

    async def execute(self, params: WebFetchParams, ctx: ToolContext) -> ToolResult:
        """Fetch the page; failures become an error the model can act on."""
        try:
            page = await WebFetcher(ctx.config.tools.web, transport=self._transport).afetch(
                params.url
            )
        except WebError as e:
            return ToolResult.error(f"web_fetch failed: {e}")
        note = " (truncated)" if page.truncated else ""
        header = f"{page.title}\n" if page.title else ""
        return ToolResult(f"{header}URL: {page.url}{note}\n\n{page.text}", value=page)


class WebSearchParams(ToolParams):
    """Arguments of `web_search`."""

    query: str
    """What to search for, e.g. `fastapi rate limiting best practices`."""


class WebSearchTool(BaseTool):
    """Searches the web and lists titles, URLs and snippets to `web_fetch` next."""

    name = "web_search"
    description = (
        "Search the web; returns numbered results with title, URL and snippet. "
        "Fetch a promising URL with web_fetch."
    )
    Params = WebSearchParams
    read_only = True

    def __init__(self, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._transport = transport

    async def execute(self, params: WebSearchParams, ctx: ToolContext) -> ToolResult:
        """Run the search; failures become an error the model can act on."""
        fetcher = WebFetcher(ctx.config.tools.web, transport=self._transport)
        try:
            results = await fetcher.asearch(params.query)
        except (WebError, ConfigError) as e:
            return ToolResult.error(f"web_search failed: {e}")
        if not results:
            return ToolResult(f"No results for {params.query!r}.", value=results)
        lines = [f"{i}. {r.title}\n   {r.url}\n   {r.snippet}" for i, r in enumerate(results, 1)]
        return ToolResult("\n".join(lines), value=results)


def web_tools(config: WebToolConfig) -> list[BaseTool]:
    """`web_fetch` and `web_search` when `tools.web.enabled`, else none."""
    return [WebFetchTool(), WebSearchTool()] if config.enabled else []
