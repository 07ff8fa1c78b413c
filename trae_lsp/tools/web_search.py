"""Search providers for `web_search`: how to ask each one and how to read its answer.

A provider is a request builder plus a JSON parser; `tools.web.search_provider` picks
one. SearXNG (self-hosted, `format=json`) and the Brave Search API are supported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from trae_lsp.config import WebToolConfig
from trae_lsp.config_layers import expand_value, is_reference
from trae_lsp.errors import TraeError
from trae_lsp.tools.html_text import html_to_text

BRAVE_SEARCH_URL = "https://api.search.brave.com/res/v1/web/search"
"""Brave Search API endpoint used when `tools.web.search_url` is not set."""


class WebError(TraeError):
    """A page or search could not be fetched; the message says why and what to do."""


@dataclass(frozen=True)
class SearchResult:
    """One search hit."""

    title: str
    url: str
    snippet: str


Parser = Callable[[bytes], list[SearchResult]]
"""Reads a provider's response body."""


def search_request(config: WebToolConfig, query: str) -> tuple[httpx.Request, Parser]:
    """The request for `query` to the configured provider and the parser of its answer."""
    if config.search_provider == "searxng":
        if not config.search_url:
            raise WebError(
                "tools.web.search_provider is 'searxng' but tools.web.search_url is unset"
            )
        params = {"q": query, "format": "json"}
        return httpx.Request("GET", config.search_url, params=params), _parse_searxng
    if config.search_provider == "brave":
        headers = {"Accept": "application/json", "X-Subscription-Token": _api_key(config)}
        params = {"q": query, "count": str(config.max_results)}
        url = config.search_url or BRAVE_SEARCH_URL
        return httpx.Request("GET", url, params=params, headers=headers), _parse_brave
    raise WebError(
        "no search provider is configured; set tools.web.search_provider to 'searxng' "
        "(with tools.web.search_url) or 'brave' (with tools.web.search_api_key)"
    )


def _api_key(config: WebToolConfig) -> str:
    key = config.search_api_key
    if not key:
        raise WebError("the brave search provider needs tools.web.search_api_key")
    if is_reference(key):
        return expand_value(key, key="tools.web.search_api_key", source="configuration")
    return key


def _parse_searxng(body: bytes) -> list[SearchResult]:
    results = _json(body).get("results", [])
    return [_result(r.get("title"), r.get("url"), r.get("content")) for r in results]


def _parse_brave(body: bytes) -> list[SearchResult]:
    results = _json(body).get("web", {}).get("results", [])
    return [_result(r.get("title"), r.get("url"), r.get("description")) for r in results]


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError as e:
        raise WebError(f"the search provider did not answer JSON ({e})") from e
    if not isinstance(data, dict):
        raise WebError("the search provider answered JSON of an unexpected shape")
    return data


def _result(title: Any, url: Any, snippet: Any) -> SearchResult:
    """One hit; providers mark query words with HTML tags, which are removed."""
    return SearchResult(
        title=html_to_text(str(title or "")).text,
        url=str(url or ""),
        snippet=html_to_text(str(snippet or "")).text,
    )
