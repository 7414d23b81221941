"""The feeds panel of the Documents tab: followed feeds with their last sync and status,
add and remove, "Sync now" with progress, the scheduled sync, and the watch-folder toggle.

Syncs and the watcher run in background threads (:class:`assistant.FeedScheduler`,
:class:`assistant.WatchThread`); a timer refreshes what the panel shows of them, so a sync
never holds up a chat. Every feed name, URL and error is escaped before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import Assistant, EvchatError, FeedScheduler, WatchThread
from ui import render as ui

_REFRESH_S = 2.0


@dataclass
class FeedsPanel:
    """The components of the feeds panel."""

    table: gr.Dataframe
    url: gr.Textbox
    name: gr.Textbox
    add_btn: gr.Button
    remove_sel: gr.Dropdown
    remove_btn: gr.Button
    sync_btn: gr.Button
    sync_md: gr.Markdown
    watch_dir: gr.Textbox
    watch_on: gr.Checkbox
    watch_md: gr.Markdown
    timer: gr.Timer
    written: gr.Textbox  # hidden: changes whenever a sync, the watcher or a removal wrote


class FeedHandlers:
    """What the panel's buttons do, and what it shows."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self.scheduler = FeedScheduler(bot.feeds, bot.settings.sources.feeds_interval_min)
        self.watcher = WatchThread(bot)
        self._removals = 0

    def start(self) -> None:
        """Start the scheduled sync (when ``EVCHAT_FEEDS_INTERVAL_MIN`` is not 0)."""
        if self.scheduler.interval_s:
            self.scheduler.start()

    def rows(self) -> list[list[Any]]:
        """One table row per feed."""
        try:
            feeds = self.bot.feeds.list()
        except EvchatError:
            return []
        return [
            [f.display_name, f.url, f.entries, ui.format_timestamp(f.last_sync),
             f.status + (f": {f.error}" if f.error else "")]
            for f in feeds
        ]  # fmt: skip

    def urls(self) -> list[str]:
        """The followed feeds' URLs, for the remove selector."""
        try:
            return [f.url for f in self.bot.feeds.list()]
        except EvchatError:
            return []

    def sync_markdown(self) -> str:
        """The sync line: progress while a sync runs, else the last sync's outcome."""
        st = self.scheduler.status()
        if st.running:
            return f"**Syncing:** {ui.escape_markdown(st.message)}"
        every = self.bot.settings.sources.feeds_interval_min
        plan = f"every {every:g} min" if every else "only when you press Sync now"
        if st.last_error:
            last = f"failed: {ui.escape_markdown(st.last_error)}"
        elif st.last_report is not None:
            r = st.last_report
            last = (
                f"{r.new} new, {r.updated} updated, {r.unchanged} unchanged, "
                f"{len(r.failed)} failed ({r.embedded} chunks embedded)"
            )
        else:
            last = "none yet"
        return f"**Feeds sync** {plan} · **last:** {last}"

    def watch_markdown(self) -> str:
        """The watcher's line."""
        st = self.watcher.status()
        where = f" `{ui.escape_markdown(st.folder)}`" if st.folder else ""
        return f"**Folder watch:**{where} {ui.escape_markdown(st.message)}"

    def written_marker(self) -> str:
        """A value that changes whenever the background work may have changed the index
        (a sync finished, the watcher indexed, a feed was removed): the app refreshes the
        Documents tab's list when it changes."""
        sync, watch = self.scheduler.status(), self.watcher.status()
        return f"{sync.last_finished}|{watch.message}|{self._removals}"

    def refresh(self) -> tuple[Any, ...]:
        """New values for the table, the remove selector, both status lines and the marker."""
        return (
            self.rows(),
            gr.update(choices=self.urls(), value=None),
            self.sync_markdown(),
            self.watch_markdown(),
            self.written_marker(),
        )

    def tick(self) -> tuple[Any, ...]:
        """The timer: the table, the selector's choices (keeping the selection), both
        status lines and the marker, so a background sync's progress shows as it goes."""
        return (
            self.rows(),
            gr.update(choices=self.urls()),
            self.sync_markdown(),
            self.watch_markdown(),
            self.written_marker(),
        )

    def add(self, url: str, name: str) -> tuple[Any, ...]:
        """The Add button: follow the feed, then sync it in the background."""
        try:
            feed = self.bot.feeds.add(url, name)
        except EvchatError as e:
            raise gr.Error(str(e)) from None
        gr.Info(f"Following {feed.url}; syncing now.")
        self.scheduler.run_now()
        return ("", "", *self.refresh())

    def remove(self, url: str | None) -> tuple[Any, ...]:
        """The Remove button: stop following and delete the feed's articles."""
        if not url:
            gr.Warning("Choose a feed to remove first.")
            return (gr.update(),) * 5
        try:
            removed = self.bot.feeds.remove(url)
        except EvchatError as e:
            raise gr.Error(str(e)) from None
        self._removals += 1
        gr.Info(f"Removed the feed and {removed} of its articles.")
        return self.refresh()

    def sync_now(self) -> str:
        """The Sync now button (the sync runs in the background)."""
        self.scheduler.run_now()
        return "**Syncing:** starting"

    def toggle_watch(self, folder: str, on: bool) -> str:
        """The watch checkbox: start or stop watching the folder (with prune)."""
        if on:
            try:
                self.watcher.start(folder.strip())
            except EvchatError as e:
                raise gr.Error(str(e)) from None
        else:
            self.watcher.stop()
        return self.watch_markdown()


def build_feeds_panel(handlers: FeedHandlers) -> FeedsPanel:
    """Lay out the panel (call inside the Documents tab)."""
    with gr.Accordion("Feeds and watched folder", open=True, elem_id="feeds"):
        table = gr.Dataframe(
            value=handlers.rows(),
            headers=["feed", "URL", "entries", "last sync", "status"],
            interactive=False,
            label="Followed feeds",
            wrap=True,
            elem_id="feeds-table",
        )
        with gr.Row():
            url = gr.Textbox(label="Feed URL (RSS or Atom)", scale=3, elem_id="feed-url")
            name = gr.Textbox(label="Name (optional)", scale=2, elem_id="feed-name")
            add_btn = gr.Button("Add feed", variant="primary", scale=1, elem_id="feed-add")
        with gr.Row():
            remove_sel = gr.Dropdown(choices=handlers.urls(), label="Feed to remove", scale=3)
            remove_btn = gr.Button("Remove feed", variant="stop", scale=1)
            sync_btn = gr.Button("Sync now", scale=1, elem_id="feed-sync")
        sync_md = gr.Markdown(handlers.sync_markdown(), elem_id="feed-status")
        with gr.Row():
            watch_dir = gr.Textbox(label="Folder to watch (on the server)", scale=3)
            watch_on = gr.Checkbox(label="Watch (re-index on change)", value=False, scale=1)
        watch_md = gr.Markdown(handlers.watch_markdown(), elem_id="watch-status")
        timer = gr.Timer(_REFRESH_S)
        written = gr.Textbox(handlers.written_marker(), visible=False)
    return FeedsPanel(
        table, url, name, add_btn, remove_sel, remove_btn, sync_btn, sync_md, watch_dir,
        watch_on, watch_md, timer, written,
    )  # fmt: skip


def wire_feeds_panel(panel: FeedsPanel, handlers: FeedHandlers) -> None:
    """Connect the panel's events and start the scheduled sync."""
    private: dict[str, Any] = {"api_visibility": "private"}
    shown = [panel.table, panel.remove_sel, panel.sync_md, panel.watch_md, panel.written]
    panel.add_btn.click(
        handlers.add, [panel.url, panel.name], [panel.url, panel.name, *shown], **private
    )
    panel.remove_btn.click(
        handlers.remove, [panel.remove_sel], shown, concurrency_id="index", **private
    )
    panel.sync_btn.click(handlers.sync_now, None, [panel.sync_md], **private)
    panel.watch_on.change(
        handlers.toggle_watch, [panel.watch_dir, panel.watch_on], [panel.watch_md], **private
    )
    panel.timer.tick(handlers.tick, None, shown, show_progress="hidden", **private)
    handlers.start()
