"""WebFetcher and the web tools against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from trae.tools import WebFetcher
from trae_lsp.config import TraeConfig, WebToolConfig
from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.web import WebFetchTool, WebSearchTool, web_tools
from trae_lsp.tools.web_search import WebError
from trae_lsp.workspace import Workspace

DATA = Path(__file__).parent.parent / "data" / "web"
BIG_BODY = b"x" * 100_000


class _Site(BaseHTTPRequestHandler):
    """Routes for every case; `/slow` holds the request until the test ends."""

    release: threading.Event

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        routes = {
            "/article.html": lambda: (200, "text/html; charset=utf-8", _article()),
            "/big.txt": lambda: (200, "text/plain", BIG_BODY),
            "/missing": lambda: (404, "text/html", b"<h1>Not found</h1><p>no such page</p>"),
            "/image.png": lambda: (200, "image/png", b"\x89PNG\r\n"),
            "/searx": lambda: (200, "application/json", _searx(query)),
            "/brave": lambda: self._brave(query),
        }
        if url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article.html")
            self.end_headers()
            return
        if url.path == "/slow":
            self.release.wait()
            return
        status, kind, body = routes[url.path]()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _brave(self, query: dict[str, str]) -> tuple[int, str, bytes]:
        if self.headers.get("X-Subscription-Token") != "brave-key":
            return 401, "application/json", b'{"error": "bad token"}'
        results = [
            {"title": f"<strong>{query['q']}</strong> {i}", "url": f"https://r.test/{i}",
             "description": f"hit <em>{i}</em>"}
            for i in range(int(query["count"]))
        ]  # fmt: skip
        return 200, "application/json", json.dumps({"web": {"results": results}}).encode()

    def log_message(self, format: str, *args: object) -> None:
        return


def _article() -> bytes:
    return (DATA / "article.html").read_bytes()


def _searx(query: dict[str, str]) -> bytes:
    assert query["format"] == "json"
    results = [
        {"title": f"{query['q']} result {i}", "url": f"https://s.test/{i}", "content": f"s{i}"}
        for i in range(20)
    ]
    return json.dumps({"results": results}).encode()


@pytest.fixture
def site() -> Iterator[str]:
    handler = type("Site", (_Site,), {"release": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    handler.release.set()
    server.shutdown()
    server.server_close()


def _fetcher(**settings: object) -> WebFetcher:
    config = {"enabled": True, "allow_private_addresses": True, **settings}
    return WebFetcher(WebToolConfig.model_validate(config))


async def test_html_becomes_readable_text(site: str) -> None:
    page = await _fetcher().afetch(f"{site}/article.html")
    assert page.title == "Rate limiting in FastAPI"
    assert page.text == (DATA / "article.txt").read_text().strip()
    assert (page.status, page.content_type, page.truncated) == (200, "text/html", False)


def test_sync_fetch_follows_redirects(site: str) -> None:
    page = _fetcher().fetch(f"{site}/redirect")
    assert page.url == f"{site}/article.html"
    assert "token bucket" in page.text


async def test_body_size_limit(site: str) -> None:
    page = await _fetcher(max_page_bytes=2048).afetch(f"{site}/big.txt")
    assert page.truncated and page.text == "x" * 2048


async def test_text_is_clipped_head_and_tail(site: str) -> None:
    page = await _fetcher(max_text_chars=100).afetch(f"{site}/big.txt")
    assert page.truncated
    assert page.text == "x" * 50 + "\n[... 99900 characters omitted ...]\n" + "x" * 50


async def test_time_limit(site: str) -> None:
    with pytest.raises(WebError, match=r"did not answer within 0\.5s"):
        await _fetcher(timeout_seconds=0.5).afetch(f"{site}/slow")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered HTTP 404: # Not found no such page"),
        ("/image.png", "is image/png, not text"),
    ],
)
async def test_http_errors_and_binary_content(site: str, path: str, message: str) -> None:
    with pytest.raises(WebError, match=message):
        await _fetcher().afetch(f"{site}{path}")


async def test_only_http_urls(site: str) -> None:
    with pytest.raises(WebError, match="only http"):
        await _fetcher().afetch("file:///etc/passwd")


async def test_disabled_by_default(site: str) -> None:
    with pytest.raises(WebError, match=r"tools\.web\.enabled = true"):
        await WebFetcher().afetch(f"{site}/article.html")


def test_bare_fetcher_reads_the_layered_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAE_TOOLS__WEB__ENABLED", "true")
    monkeypatch.setenv("TRAE_TOOLS__WEB__MAX_RESULTS", "3")
    fetcher = WebFetcher()
    assert fetcher.config.enabled and fetcher.config.max_results == 3


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "169.254.169.254"])
async def test_private_addresses_are_refused_by_default(host: str) -> None:
    fetcher = _fetcher(allow_private_addresses=False)
    with pytest.raises(WebError, match=r"non-public address .*allow_private_addresses"):
        await fetcher.afetch(f"http://{host}:9/")


async def test_searxng_search_respects_max_results(site: str) -> None:
    fetcher = _fetcher(search_provider="searxng", search_url=f"{site}/searx", max_results=3)
    results = await fetcher.asearch("fastapi rate limiting")
    assert [r.url for r in results] == ["https://s.test/0", "https://s.test/1", "https://s.test/2"]
    assert results[0].title == "fastapi rate limiting result 0"


async def test_brave_search_sends_the_key_from_the_environment(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAVE_SEARCH_API_KEY", "brave-key")
    fetcher = _fetcher(
        search_provider="brave",
        search_url=f"{site}/brave",
        search_api_key="${BRAVE_SEARCH_API_KEY}",
        max_results=2,
    )
    results = fetcher.search("celery")
    assert [(r.title, r.snippet) for r in results] == [("celery 0", "hit 0"), ("celery 1", "hit 1")]


async def test_search_without_a_provider_says_how_to_configure_one() -> None:
    with pytest.raises(WebError, match=r"set tools\.web\.search_provider"):
        await _fetcher().asearch("anything")


def _ctx(tmp_path: Path, **web: object) -> ToolContext:
    settings = {"enabled": True, "allow_private_addresses": True, **web}
    config = TraeConfig.model_validate({"tools": {"web": settings}})
    return ToolContext(workspace=Workspace(tmp_path), config=config)


async def test_web_fetch_tool(site: str, tmp_path: Path) -> None:
    result = await WebFetchTool().invoke({"url": f"{site}/article.html"}, _ctx(tmp_path))
    assert not result.is_error
    assert result.output.startswith(f"Rate limiting in FastAPI\nURL: {site}/article.html\n\n")
    failed = await WebFetchTool().invoke({"url": f"{site}/missing"}, _ctx(tmp_path))
    assert failed.is_error and "HTTP 404" in failed.output


async def test_web_search_tool(site: str, tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, search_provider="searxng", search_url=f"{site}/searx", max_results=1)
    result = await WebSearchTool().invoke({"query": "celery retry"}, ctx)
    assert result.output == "1. celery retry result 0\n   https://s.test/0\n   s0"
    unset = _ctx(tmp_path, search_provider="brave", search_api_key="${UNSET_SEARCH_KEY}")
    missing = await WebSearchTool().invoke({"query": "x"}, unset)
    assert missing.is_error and "UNSET_SEARCH_KEY" in missing.output


async def test_web_tools_follow_the_enabled_switch(tmp_path: Path) -> None:
    assert web_tools(WebToolConfig()) == []
    assert [t.name for t in web_tools(WebToolConfig(enabled=True))] == ["web_fetch", "web_search"]
    ctx = ToolContext(workspace=Workspace(tmp_path))
    result = await WebFetchTool().invoke({"url": "http://127.0.0.1:9/"}, ctx)
    assert result.is_error and "tools.web.enabled" in result.output
