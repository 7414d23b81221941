"""Polite HTTP for feeds and article pages: conditional GET, a per-host delay, a time limit,
a size cap and a User-Agent naming evchat.

httpx does the HTTP; this module adds what a well-behaved feed reader owes the sites it
reads and turns every way a download can fail into one short sentence (``FetchError``).
The time limit covers the whole download (httpx's own timeouts apply per read, so a server
that trickles bytes would otherwise never time out).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from index.settings import SourcesSettings

_CHUNK = 65536


class FetchError(Exception):
    """A download failed; the message is one sentence for the user."""


@dataclass(frozen=True)
class Fetched:
    """A response: ``not_modified`` (304, no body) or the body with its validators."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def charset(self) -> str | None:
        """The charset named by the Content-Type header, if any."""
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


class PoliteClient:
    """One HTTP client for a sync run; waits ``feeds_host_delay_s`` after a request to a host
    before the next one to it starts."""

    def __init__(self, settings: SourcesSettings) -> None:
        self.settings = settings
        self.max_bytes = int(settings.feeds_max_mb * 1024 * 1024)
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(
            headers={"User-Agent": settings.feeds_user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.feeds_timeout_s),
            follow_redirects=True,
            max_redirects=5,
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
    ) -> Fetched:
        """GET ``url`` (conditionally when validators are given); ``FetchError`` on failure.

        A status other than 200 or 304 is a failure.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"not an http(s) URL: {url!r}")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_for_host(parts.netloc)
        timeout = self.settings.feeds_timeout_s
        try:
            return self._download(url, headers, time.monotonic() + timeout)
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError("too many redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot connect ({_reason(exc)})") from None
        finally:
            with self._lock:  # the pause is counted from the end of this request
                self._last[parts.netloc] = time.monotonic()

    def _download(self, url: str, headers: dict[str, str], deadline: float) -> Fetched:
        with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Fetched(str(response.url), 304)
            if response.status_code != 200:
                phrase = response.reason_phrase or "error"
                raise FetchError(f"HTTP {response.status_code} {phrase}")
            limit_mb = f"{self.settings.feeds_max_mb:g} MB"
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"larger than the {limit_mb} limit")
            body = bytearray()
            for chunk in response.iter_bytes(_CHUNK):
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"larger than the {limit_mb} limit")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline")
            return Fetched(
                url=str(response.url),
                status=200,
                body=bytes(body),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )

    def _wait_for_host(self, host: str) -> None:
        delay = self.settings.feeds_host_delay_s
        with self._lock:
            last = self._last.get(host)
            wait = 0.0 if last is None else max(0.0, last + delay - time.monotonic())
        if wait:
            time.sleep(wait)


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
