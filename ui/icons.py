"""Icons that need no font: each is an empty ``<span>`` that ``ui/assets/evchat.css``
paints with an inline SVG (a ``mask-image`` data URL in the text's colour), so a machine
without an emoji font shows the same icon as any other, and the chat's sanitiser (which
keeps ``class`` but may drop ``<svg>``) cannot remove it. ``aria-hidden``: the words next
to an icon say what it means.
"""

from __future__ import annotations

NAMES = frozenset({"stop", "warning", "thumbs-up", "thumbs-down", "logout", "user"})


def icon(name: str) -> str:
    """The HTML of icon ``name`` (one of :data:`NAMES`)."""
    if name not in NAMES:
        raise ValueError(f"unknown icon {name!r}")
    return f'<span class="evchat-icon icon-{name}" aria-hidden="true"></span>'
