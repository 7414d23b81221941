"""Markdown as the plain text evchat stores, shows and quotes: one decision for every
surface (answers, sources, exports, the model's prompt). Headings become their own
paragraph, emphasis and link syntax go (a link keeps its text, an image its alt text),
list items keep a bullet or number, table rows become ``cell | cell`` lines, code and HTML
stay as written (shown as text, never run). Parsing is markdown-it-py's (CommonMark plus
tables and strikethrough), so ``\\*`` escapes, entities and nesting follow the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

_DROPPED_INLINE = frozenset(
    {"link_open", "link_close", "em_open", "em_close", "strong_open", "strong_close",
     "s_open", "s_close"}
)  # fmt: skip


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_text(source: str) -> str:
    """The plain text of Markdown ``source``: paragraphs separated by a blank line."""
    blocks: list[tuple[str, str]] = []  # (separator before, text)
    lists: list[list[int]] = []  # per open list: [next number] (ordered) or [] (bullets)
    bullet: str | None = None  # the marker the next item's first line gets
    in_list = False  # the last block was a list item's line
    row: list[str] | None = None
    row_before = False  # a table row was the last block: the next one follows on its line
    for tok in _parser().parse(source):
        kind = tok.type
        if kind == "bullet_list_open":
            lists.append([])
        elif kind == "ordered_list_open":
            lists.append([int(tok.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            in_list = in_list and bool(lists)  # a new list after this one is a paragraph
        elif kind == "list_item_open":
            bullet = _item_marker(lists)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append(("\n" if row_before else "\n\n", " | ".join(row)))
            row, row_before = None, True
        elif kind == "table_close":
            row_before = False
        elif kind == "inline":
            text = inline_text(tok.children or [])
            if row is not None:
                row.append(text)
            else:
                indent = "  " * max(len(lists) - 1, 0)
                sep = "\n" if lists and in_list else "\n\n"
                blocks.append((sep, f"{indent}{bullet}{text}" if bullet else text))
                bullet, in_list = None, bool(lists)
        elif kind in ("fence", "code_block", "html_block"):
            blocks.append(("\n\n", tok.content.strip("\n")))
            in_list = False
    kept = [(sep, text) for sep, text in blocks if text.strip()]
    return "".join(sep + text for sep, text in kept).removeprefix("\n\n").lstrip("\n")


def _item_marker(lists: list[list[int]]) -> str:
    if not lists:
        return "• "
    current = lists[-1]
    if not current:
        return "• "
    n = current[0]
    current[0] += 1
    return f"{n}. "


def inline_text(children: Sequence[Any]) -> str:
    """The text of one inline run: no emphasis or link syntax; line breaks kept."""
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "image":
            out.append(inline_text(child.children or []))
        elif kind not in _DROPPED_INLINE:
            out.append(child.content)
    return "".join(out)


def markdown_line(source: str) -> str:
    """One line of Markdown (a title) as plain text."""
    return " ".join(markdown_text(source).split())
