"""Buttons that ask the browser for a confirmation before a destructive action."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import gradio as gr


def confirmed_click(
    button: gr.Button,
    question: str,
    fn: Callable[..., Any],
    inputs: list[Any],
    outputs: list[Any],
) -> Any:
    """On click, ask ``question`` (``window.confirm``), then call ``fn(confirmed, *inputs)``.

    The answer travels through a hidden checkbox: a browser-side function cannot hand
    a value to server-side state directly.
    """
    answer = gr.Checkbox(visible=False)
    ask = f"() => window.confirm({json.dumps(question)})"
    return button.click(None, None, [answer], js=ask, api_visibility="private").then(
        fn, [answer, *inputs], outputs, api_visibility="private"
    )
