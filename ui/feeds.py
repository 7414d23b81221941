"""The feeds panel of the Documents tab: followed feeds with their last sync and status,
add and remove, "Sync now" with progress, the scheduled sync, and the watch-folder toggle,
all for the session's current collection (each collection has its own feeds and folder).

Syncs and the watcher run in background threads (:class:`assistant.FeedScheduler`,
:class:`assistant.WatchThread`); a timer refreshes what the panel shows of them, so a sync
never holds up a chat. Every feed name, URL and error is escaped before it is shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import Assistant, EvchatError, FeedScheduler, SyncStatus, WatchThread
from ui import render as ui
from ui.api import refusal
from ui.collections import CollectionBots

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


class _CollectionFeeds:
    """One collection's scheduled sync, folder watcher and count of feed removals."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self.scheduler = FeedScheduler(bot.feeds, bot.settings.sources.feeds_interval_min)
        self.watcher = WatchThread(bot)
        self.removals = 0
        # The feed just added, and the finish time of the sync before its first one; once
        # that first sync is over, ``first_sync`` keeps what it found on the page (a later
        # "Sync now" reports "0 new" for the same articles).
        self.added: tuple[str, float | None] | None = None
        self.first_sync: str | None = None
        if self.scheduler.interval_s:
            self.scheduler.start()


class FeedHandlers:
    """What the panel's buttons do, and what it shows, for the session's current
    collection: every collection has its own feeds, scheduled sync and watched folder."""

    def __init__(self, bots: CollectionBots) -> None:
        self.bots = bots
        self._lock = threading.Lock()
        self._feeds: dict[str, _CollectionFeeds] = {}

    def of(self, collection: str | None) -> _CollectionFeeds:
        """The current collection's sync and watcher (started on first use)."""
        name = self.bots.current(collection)
        with self._lock:
            if name not in self._feeds:
                self._feeds[name] = _CollectionFeeds(self.bots.get(name))
            return self._feeds[name]

    def start(self) -> None:
        """Start the scheduled sync (when ``EVCHAT_FEEDS_INTERVAL_MIN`` is not 0) of the
        default collection and of every collection that follows a feed."""
        for name in self.bots.names():
            try:
                follows = name == self.bots.default or bool(self.bots.get(name).feeds.list())
            except EvchatError:
                follows = False
            if follows:
                self.of(name)

    def rows(self, collection: str | None = None) -> list[list[Any]]:
        """One table row per feed of the collection."""
        try:
            feeds = self.of(collection).bot.feeds.list()
        except EvchatError:
            return []
        return [
            [f.display_name, f.url, f.entries, ui.format_timestamp(f.last_sync),
             f.status + (f": {f.error}" if f.error else "")]
            for f in feeds
        ]  # fmt: skip

    def urls(self, collection: str | None = None) -> list[str]:
        """The collection's followed feeds' URLs, for the remove selector."""
        try:
            return [f.url for f in self.of(collection).bot.feeds.list()]
        except EvchatError:
            return []

    def sync_markdown(self, collection: str | None = None) -> str:
        """The sync line: progress while a sync runs, else the last sync's outcome."""
        st = self.of(collection).scheduler.status()
        if st.running:
            return f"**Syncing:** {ui.escape_markdown(st.message)}"
        every = self.bots.root.settings.sources.feeds_interval_min
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
        line = f"**Feeds sync** {plan} · **last:** {last}"
        first = self._first_sync(self.of(collection), st)
        return f"{line}  \n{first}" if first else line

    @staticmethod
    def _first_sync(feeds: _CollectionFeeds, st: SyncStatus) -> str | None:
        """What the first sync of the feed added last found (once it has finished)."""
        if feeds.added is not None and not st.running and st.last_finished != feeds.added[1]:
            url, feeds.added = feeds.added[0], None
            if st.last_error:
                feeds.first_sync = (
                    f"**Added** {ui.escape_markdown(url)}: its first sync failed: "
                    f"{ui.escape_markdown(st.last_error)}"
                )
            elif st.last_report is not None:
                r = st.last_report
                feeds.first_sync = (
                    f"**Added** {ui.escape_markdown(url)}: its first sync found {r.new} new, "
                    f"{r.updated} updated, {len(r.failed)} failed"
                )
        return feeds.first_sync

    def watch_markdown(self, collection: str | None = None) -> str:
        """The watcher's line."""
        st = self.of(collection).watcher.status()
        where = f" `{ui.escape_markdown(st.folder)}`" if st.folder else ""
        return f"**Folder watch:**{where} {ui.escape_markdown(st.message)}"

    def written_marker(self, collection: str | None = None) -> str:
        """A value that changes whenever the background work may have changed the
        collection's index (a sync finished, the watcher indexed, a feed was removed):
        the app refreshes the Documents tab's list when it changes."""
        feeds = self.of(collection)
        sync, watch = feeds.scheduler.status(), feeds.watcher.status()
        return (
            f"{self.bots.current(collection)}|{sync.last_finished}|{watch.message}|{feeds.removals}"
        )

    def refresh(self, collection: str | None = None) -> tuple[Any, ...]:
        """New values for the table, the remove selector, both status lines, the watch
        checkbox and the marker."""
        return (
            self.rows(collection),
            gr.update(choices=self.urls(collection), value=None),
            *self._lines(collection),
        )

    def tick(self, collection: str | None = None) -> tuple[Any, ...]:
        """The timer: as :meth:`refresh`, keeping the selection, so a background sync's
        progress shows as it goes and a switch of collection shows its feeds."""
        return (
            self.rows(collection),
            gr.update(choices=self.urls(collection)),
            *self._lines(collection),
        )

    def _lines(self, collection: str | None) -> tuple[Any, ...]:
        watching = self.of(collection).watcher.status().running
        return (
            self.sync_markdown(collection),
            self.watch_markdown(collection),
            gr.update(value=watching),
            self.written_marker(collection),
        )

    def add(self, url: str, name: str, collection: str | None = None) -> tuple[Any, ...]:
        """The Add button: follow the feed in the collection, then sync it in the
        background."""
        feeds = self.of(collection)
        try:
            feed = feeds.bot.feeds.add(url, name)
        except EvchatError as e:
            raise refusal(e, "add feed") from None
        gr.Info(f"Following {feed.url}; syncing now.")
        feeds.added, feeds.first_sync = (feed.url, feeds.scheduler.status().last_finished), None
        feeds.scheduler.run_now()
        return ("", "", *self.refresh(collection))

    def remove(self, url: str | None, collection: str | None = None) -> tuple[Any, ...]:
        """The Remove button: stop following and delete the feed's articles."""
        if not url:
            gr.Warning("Choose a feed to remove first.")
            return (gr.update(),) * 6
        feeds = self.of(collection)
        try:
            removed = feeds.bot.feeds.remove(url)
        except EvchatError as e:
            raise refusal(e, "remove feed") from None
        feeds.removals += 1
        gr.Info(f"Removed the feed and {removed} of its articles.")
        return self.refresh(collection)

    def sync_now(self, collection: str | None = None) -> str:
        """The Sync now button (the sync runs in the background)."""
        self.of(collection).scheduler.run_now()
        return "**Syncing:** starting"

    def toggle_watch(self, folder: str, on: bool, collection: str | None = None) -> str:
        """The watch checkbox: start or stop watching the folder into the collection
        (with prune)."""
        watcher = self.of(collection).watcher
        if on:
            try:
                watcher.start(folder.strip())
            except EvchatError as e:
                raise refusal(e, "watch") from None
        else:
            watcher.stop()
        return self.watch_markdown(collection)


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


def wire_feeds_panel(panel: FeedsPanel, handlers: FeedHandlers, collection: gr.State) -> None:
    """Connect the panel's events (each for the current ``collection``) and start the
    scheduled syncs."""
    private: dict[str, Any] = {"api_visibility": "private"}
    shown = [
        panel.table, panel.remove_sel, panel.sync_md, panel.watch_md, panel.watch_on,
        panel.written,
    ]  # fmt: skip
    panel.add_btn.click(
        handlers.add,
        [panel.url, panel.name, collection],
        [panel.url, panel.name, *shown],
        **private,
    )
    panel.remove_btn.click(
        handlers.remove, [panel.remove_sel, collection], shown, concurrency_id="index", **private
    )
    panel.sync_btn.click(handlers.sync_now, [collection], [panel.sync_md], **private)
    # .input, not .change: the timer sets the box to the current collection's watcher.
    panel.watch_on.input(
        handlers.toggle_watch,
        [panel.watch_dir, panel.watch_on, collection],
        [panel.watch_md],
        **private,
    )
    panel.timer.tick(handlers.tick, [collection], shown, show_progress="hidden", **private)
    collection.change(handlers.refresh, [collection], shown, show_progress="hidden", **private)
    handlers.start()
