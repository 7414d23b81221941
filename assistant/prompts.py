"""Prompt templates: Markdown files in ``prompts/`` with ``{named}`` placeholders.

No prompt text lives in Python code. :class:`PromptSet` loads every template once, checks
at load time that each file uses exactly the placeholders its caller fills in, and renders
them with :meth:`str.format` (literal braces in a file are doubled). HTML comments
(``<!-- ... -->``) in a file are notes for maintainers and are removed on load.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Sequence
from pathlib import Path

__all__ = ["EXPECTED_PLACEHOLDERS", "PromptSet", "format_passages"]

#: Every prompt and the exact set of placeholders its file must contain.
EXPECTED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "answer": frozenset({"passages", "question", "refusal"}),
    "condense": frozenset({"history", "question"}),
    "refusal": frozenset(),
    "options": frozenset({"question", "options"}),
}

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Anything that could open or close a passage block: <passage, </passage, < / PASSAGE ...
_PASSAGE_TAG = re.compile(r"<(\s*/?\s*passage)", re.IGNORECASE)


def _placeholders(text: str, path: Path) -> set[str]:
    """The field names used in a format string, or ValueError naming ``path``."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError as exc:
        raise ValueError(
            f"Prompt file {path} is not a valid template ({exc}); "
            "double literal braces as '{{' and '}}'."
        ) from exc
    for field in fields:
        if field == "" or field.isdigit():
            raise ValueError(
                f"Prompt file {path} has a positional placeholder '{{{field}}}'; "
                "use a named one, and double literal braces as '{{' and '}}'."
            )
    return set(fields)


class PromptSet:
    """All prompt templates of evchat, loaded and checked from one folder."""

    def __init__(self, folder: Path | str | None = None) -> None:
        if folder is None:
            from assistant.settings import bundled_prompts_dir

            folder = bundled_prompts_dir()
        self.folder = Path(folder)
        self._templates: dict[str, str] = {}
        for name, expected in EXPECTED_PLACEHOLDERS.items():
            path = self.folder / f"{name}.md"
            if not path.is_file():
                raise FileNotFoundError(
                    f"Prompt file {path} is missing; every prompt "
                    f"({', '.join(EXPECTED_PLACEHOLDERS)}) must be a .md file in {self.folder}."
                )
            text = _COMMENT.sub("", path.read_text(encoding="utf-8")).strip()
            if not text:
                raise ValueError(f"Prompt file {path} is empty.")
            found = _placeholders(text, path)
            if found != expected:
                missing = sorted(expected - found)
                unknown = sorted(found - expected)
                problems = []
                if missing:
                    problems.append("missing " + ", ".join(f"{{{n}}}" for n in missing))
                if unknown:
                    problems.append("unknown " + ", ".join(f"{{{n}}}" for n in unknown))
                wanted = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "none"
                raise ValueError(
                    f"Prompt file {path} has the wrong placeholders ({'; '.join(problems)}); "
                    f"expected exactly: {wanted}."
                )
            self._templates[name] = text

    @property
    def refusal(self) -> str:
        """The exact refusal sentence."""
        return self.render("refusal")

    def render(self, name: str, **values: str) -> str:
        """Fill in prompt ``name``. ``refusal`` is filled in automatically when not given."""
        if name not in self._templates:
            raise KeyError(f"Unknown prompt {name!r}; known: {', '.join(self._templates)}.")
        expected = EXPECTED_PLACEHOLDERS[name]
        if "refusal" in expected and "refusal" not in values:
            values["refusal"] = self.render("refusal")
        given = set(values)
        if given != expected:
            raise ValueError(
                f"Prompt {name!r} takes {sorted(expected)}, but was given {sorted(given)}."
            )
        return self._templates[name].format(**values)


def _escape_attr(value: str) -> str:
    return html.escape(" ".join(value.split()), quote=True)


def format_passages(passages: Sequence[tuple[int, str, str | None, str]]) -> str:
    """Render ``(n, title, date, text)`` tuples as delimited ``<passage>`` blocks.

    Titles and dates are attribute-escaped; any ``<passage``/``</passage`` inside the text
    is neutralised (``&lt;/passage``) so that a document cannot close its block or forge one.
    """
    blocks = []
    for n, title, date, text in passages:
        attrs = f'n="{int(n)}" title="{_escape_attr(title or "")}"'
        if date:
            attrs += f' date="{_escape_attr(date)}"'
        body = _PASSAGE_TAG.sub(r"&lt;\1", text.strip())
        blocks.append(f"<passage {attrs}>\n{body}\n</passage>")
    return "\n\n".join(blocks)
