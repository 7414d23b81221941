"""Collections in the web app: the switcher on the Documents tab and the one assistant
per collection that every tab asks.

Each browser session has its current collection (a ``gr.State``, remembered in the
browser's local storage across reloads); questions, uploads, the document list and the
Sources filter all follow it, and the page header always names it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import Assistant, EvchatError
from ui import render as ui


class CollectionBots:
    """The app's assistants, one per collection, sharing one embedding model."""

    def __init__(self, root: Assistant) -> None:
        self.root = root
        self.default = root.collection_name
        self._lock = threading.Lock()

    def get(self, name: str | None) -> Assistant:
        """The assistant of collection ``name`` (the default one for None or empty)."""
        return self.root.for_collection(name or self.default)

    def names(self) -> list[str]:
        """Every collection, the default one included even before it is indexed."""
        try:
            names = {c.name for c in self.root.collections()}
        except EvchatError:
            names = set()
        return sorted(names | {self.default})

    def current(self, name: str | None) -> str:
        """``name`` if it is still a collection (another session may have deleted or
        renamed it), else the default."""
        return name if name and name in self.names() else self.default

    def header(self, name: str | None) -> str:
        """The header line naming the current collection and its size."""
        name = self.current(name)
        docs = next((c.documents for c in self._infos() if c.name == name), 0)
        return f"Collection: **{ui.escape_markdown(name)}** · {docs} document{'s' * (docs != 1)}"

    def _infos(self) -> list[Any]:
        try:
            return self.root.collections()
        except EvchatError:
            return []

    def create(self, name: str) -> str:
        """Create collection ``name``; returns it."""
        with self._lock:
            self.root.create_collection((name or "").strip())
        return name.strip()

    def rename(self, old: str, new: str) -> str:
        """Rename ``old`` to ``new``; returns the new name."""
        new = (new or "").strip()
        if old == self.default:
            raise EvchatError(
                f"{old!r} is the app's default collection (EVCHAT_COLLECTION); it keeps its name."
            )
        with self._lock:
            self.root.rename_collection(old, new)
        return new

    def delete(self, name: str) -> None:
        """Delete collection ``name`` (not the default one)."""
        if name == self.default:
            raise EvchatError(
                f"{name!r} is the app's default collection; delete its documents instead."
            )
        with self._lock:
            self.root.delete_collection(name)


@dataclass
class CollectionPanel:
    """The collection controls at the top of the Documents tab."""

    select: gr.Dropdown
    name: gr.Textbox
    create_btn: gr.Button
    rename_btn: gr.Button
    delete_btn: gr.Button


def build_collection_panel(bots: CollectionBots) -> CollectionPanel:
    """Lay out the collection controls (call inside the Documents tab)."""
    with gr.Row(elem_id="collections"):
        select = gr.Dropdown(
            choices=bots.names(),
            value=bots.default,
            label="Collection",
            elem_id="collection-select",
            scale=2,
        )
        name = gr.Textbox(
            label="Name (letters, digits, . _ -)",
            placeholder="e.g. battery-reports",
            elem_id="collection-name",
            scale=2,
        )
        with gr.Column(scale=2, min_width=260):
            create_btn = gr.Button("Create", size="sm", elem_id="collection-create")
            with gr.Row():
                rename_btn = gr.Button("Rename current", size="sm", elem_id="collection-rename")
                delete_btn = gr.Button(
                    "Delete current", size="sm", variant="stop", elem_id="collection-delete"
                )
    return CollectionPanel(select, name, create_btn, rename_btn, delete_btn)


class CollectionHandlers:
    """What the collection controls do; each returns the new current collection."""

    def __init__(self, bots: CollectionBots) -> None:
        self.bots = bots

    def choices(self, current: str | None) -> Any:
        """The switcher's choices with ``current`` selected."""
        return gr.update(choices=self.bots.names(), value=self.bots.current(current))

    def create(self, name: str, current: str) -> tuple[Any, ...]:
        """The Create button: create the collection and switch to it."""
        try:
            made = self.bots.create(name)
        except EvchatError as e:
            gr.Warning(str(e))
            return current, gr.update(), gr.update()
        gr.Info(f"Created collection {made!r}; questions and uploads now go to it.")
        return made, self.choices(made), ""

    def rename(self, name: str, current: str) -> tuple[Any, ...]:
        """The Rename button: rename the current collection."""
        try:
            new = self.bots.rename(current, name)
        except EvchatError as e:
            gr.Warning(str(e))
            return current, gr.update(), gr.update()
        gr.Info(f"Renamed {current!r} to {new!r}.")
        return new, self.choices(new), ""

    def delete(self, confirmed: bool, current: str) -> tuple[Any, ...]:
        """The Delete button (after the browser's confirmation): back to the default."""
        if not confirmed:
            return current, gr.update(), gr.update()
        try:
            self.bots.delete(current)
        except EvchatError as e:
            gr.Warning(str(e))
            return current, gr.update(), gr.update()
        gr.Info(f"Deleted collection {current!r}.")
        return self.bots.default, self.choices(self.bots.default), ""

    def switch(self, name: str | None) -> str:
        """The switcher: the chosen collection becomes the current one."""
        return self.bots.current(name)
