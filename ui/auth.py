"""The web app's login: ``EVCHAT_AUTH`` credentials, checked with throttling.

``parse_auth`` reads ``user:password`` (or a file of such lines). ``LoginThrottle.check`` is
the callable Gradio's ``auth=`` takes: after a few failures for a user name or from a client
address, every further attempt for either waits out a delay that doubles with each
failure (up to a cap) and is refused unchecked until then, so guessing a password takes
years instead of seconds. Gradio does not hand the callable the request, so
``ClientAddress`` (an ASGI middleware) records each request's client address for it.
``HideApiInfoWhenLoggedOut`` keeps the API schema out of the login page (Gradio embeds it
there although ``/gradio_api/info`` refuses it without a login).

The login page names the product and says how logins are throttled (:func:`login_message`,
Gradio's ``auth_message``: Gradio's page shows one fixed "Incorrect credentials" for every
refusal, so the wait is explained up front, without saying whether a password was right); once
logged in, the header says who is (:func:`signed_in`) beside a "Log out" link to Gradio's
own ``/logout`` route, which ends the user's sessions and redirects to the login page (a
plain link in the same tab: Gradio's ``Button(link=…)`` opens a new one).
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import html
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import EvchatError, parse_credentials
from ui.icons import icon

_client: contextvars.ContextVar[str] = contextvars.ContextVar("evchat_client", default="?")
_MAX_TRACKED = 10_000  # names and addresses remembered; the oldest are forgotten first


def login_message(free: int, base_s: float, max_s: float) -> str:
    """The login page's text: the product, and what ``LoginThrottle(free, base_s, max_s)``
    does after failed attempts."""
    return (
        "<b>evchat</b> — chat over EV-industry news with verified citations. "
        "Sign in with the name and password you were given.<br>"
        f"After {free} wrong attempts, logins for that name and from this address pause for "
        f"{base_s:g} s, doubling with each further failure up to {max_s:g} s; during a pause "
        'every attempt, even with the right password, shows "Incorrect credentials": wait, '
        "then try again."
    )


LOGOUT_PATH = "/logout"  # Gradio's route: deletes the session cookie, redirects to the login


def build_account_bar() -> gr.HTML:
    """Lay out the account bar (call inside the header row); empty until the page loads."""
    return gr.HTML("", elem_id="signed-in-as")


def signed_in(request: gr.Request) -> str:
    """The account bar for the page's user: their name and a "Log out" link; empty when
    the app has no login."""
    name = str(getattr(request, "username", None) or "")
    if not name:
        return ""
    return (
        f'<span class="who">{icon("user")}Signed in as <b>{html.escape(name)}</b></span> '
        f'<a id="logout" href="{LOGOUT_PATH}">{icon("logout")}Log out</a>'
    )


def wire_account_bar(demo: gr.Blocks, bar: gr.HTML) -> None:
    """Fill the account bar on every page load."""
    demo.load(signed_in, None, [bar], api_visibility="private")


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``EVCHAT_AUTH`` as credential pairs (None: no login); a malformed value stops the
    app with one clear line (:func:`assistant.parse_credentials` reads it)."""
    try:
        return parse_credentials(value) or None
    except EvchatError as exc:
        raise SystemExit(str(exc)) from None


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


class LoginThrottle:
    """Checks credentials for Gradio's ``auth=`` (pass ``.check``), slowing down failures.

    Each user name and each client address keeps a failure count. Beyond ``free``
    failures, a further failure blocks that name and that address for ``base_s`` × 2^n
    seconds (at most ``max_s``); while blocked, attempts are refused without looking at
    the password. A success clears the user's and the address's counts.
    """

    def __init__(
        self,
        pairs: list[tuple[str, str]],
        free: int = 3,
        base_s: float = 1.0,
        max_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.passwords = dict(pairs)
        self.free, self.base_s, self.max_s = free, base_s, max_s
        self.clock = clock
        self.records: dict[str, _Record] = {}
        self._lock = asyncio.Lock()

    async def check(self, username: str, password: str) -> bool:
        """Gradio's ``auth=``: True to log in. (A coroutine *function*: Gradio awaits only
        what ``inspect.iscoroutinefunction`` recognises; an object with an async
        ``__call__`` would be called unawaited and its coroutine taken for True.)"""
        keys = [f"user:{username}", f"addr:{_client.get()}"]
        async with self._lock:
            now = self.clock()
            if any(self._record(k).blocked_until > now for k in keys):
                return False
            ok = self._matches(username, password)
            for key in keys:
                self._note(key, ok, now)
        if not ok:
            await asyncio.sleep(min(0.2, self.base_s))  # slows a single client down a little
        return ok

    def _matches(self, username: str, password: str) -> bool:
        expected = self.passwords.get(username)
        # Compare even for an unknown user, so the time taken does not tell names apart.
        same = hmac.compare_digest(password.encode(), (expected or "\x00" + password).encode())
        return expected is not None and same

    def _record(self, key: str) -> _Record:
        return self.records.get(key) or _Record()

    def _note(self, key: str, ok: bool, now: float) -> None:
        if ok:
            self.records.pop(key, None)
            return
        record = self.records.pop(key, None) or _Record()  # re-inserted: newest last
        record.failures += 1
        record.last = now
        over = record.failures - self.free
        if over > 0:
            record.blocked_until = now + min(self.max_s, self.base_s * 2 ** (over - 1))
        self.records[key] = record
        while len(self.records) > _MAX_TRACKED:
            self.records.pop(next(iter(self.records)))


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ClientAddress:
    """ASGI middleware: the client's address of each request, for ``LoginThrottle``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") or ("?", 0)
        token = _client.set(str(client[0]))
        try:
            await self.app(scope, receive, send)
        finally:
            _client.reset(token)


_API_INFO = re.compile(rb"window\.gradio_api_info = .*?;</script>", re.DOTALL)
_EMPTY_API_INFO = (
    b'window.gradio_api_info = {"named_endpoints":{},"unnamed_endpoints":{}};</script>'
)


class HideApiInfoWhenLoggedOut:
    """ASGI middleware: on the login page (a page whose config says ``auth_required``),
    replace the embedded API schema with an empty one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: MutableMapping[str, Any] | None = None
        body = bytearray()

        async def capture(message: MutableMapping[str, Any]) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if not _is_html(message):
                    await send(message)
                return
            if start is None or not _is_html(start):
                await send(message)
                return
            body.extend(message.get("body", b""))
            if not message.get("more_body"):
                await _send_page(send, start, bytes(body))

        await self.app(scope, receive, capture)


def _is_html(start: MutableMapping[str, Any]) -> bool:
    headers = dict(start.get("headers") or [])
    return headers.get(b"content-type", b"").startswith(b"text/html")


async def _send_page(send: Send, start: MutableMapping[str, Any], page: bytes) -> None:
    if b'"auth_required":true' in page:
        page = _API_INFO.sub(_EMPTY_API_INFO, page, count=1)
    headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(page)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": page, "more_body": False})
