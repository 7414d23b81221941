"""The Documents tab: upload and index files, list and delete documents, and ``/index``.

Everything here is about the session's current collection (chosen with the collection
controls of :mod:`ui.collections` at the top of the tab); uploads are kept per collection
under ``EVCHAT_HOME/uploads/<collection>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import gradio as gr

from assistant import SUPPORTED_EXTENSIONS, Assistant, DocumentInfo, EvchatError, FailedFile
from ui import open_document
from ui import render as ui
from ui.api import IndexReportJSON, StatsJSON, failure, refusal, typed_json
from ui.uploads import KEEP_BOTH, REPLACE, UploadStager

_PROGRESS = gr.Progress()  # the marker Gradio replaces with a per-event progress tracker


@dataclass
class DocumentsTab:
    """The components of the Documents tab."""

    upload: gr.File
    index_btn: gr.Button
    report_html: gr.HTML
    stats_md: gr.Markdown
    docs_table: gr.Dataframe
    delete_sel: gr.Dropdown
    delete_btn: gr.Button
    refresh_btn: gr.Button
    on_duplicate: gr.Radio


class DocumentViews:
    """What the Documents tab shows of a collection's index (empty, not an error, before
    the first indexing run); ``collection`` None is the app's default one."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def _bot(self, collection: str | None) -> Assistant:
        return self.bot.for_collection(collection or None)

    def sources(self, collection: str | None = None) -> list[str]:
        """The sources of the indexed documents, for the Sources filter."""
        try:
            return sorted({d.source for d in self._bot(collection).documents()})
        except Exception:
            return []

    def rows(self, collection: str | None = None) -> list[list[Any]]:
        """One table row per document; "date from" says where its date was read (front
        matter, a "Published" line, the file name …), so a wrong guess can be seen; "file"
        links the original file when the collection's uploads hold it."""
        bot = self._bot(collection)
        try:
            docs = bot.documents()
        except Exception:
            return []
        return [_row(bot, d) for d in docs]

    def doc_choices(self, collection: str | None = None) -> list[tuple[str, str]]:
        """(label, doc id) pairs for the delete selector."""
        try:
            return [
                (f"{d.title} ({d.doc_id})", d.doc_id) for d in self._bot(collection).documents()
            ]
        except Exception:
            return []

    def stats(self, collection: str | None = None) -> dict[str, Any]:
        """Index statistics, or zeros with the error when the store cannot be read."""
        try:
            return self._bot(collection).stats().to_dict()
        except EvchatError as e:
            return {"documents": 0, "chunks": 0, "error": str(e)}
        except Exception:
            return {"documents": 0, "chunks": 0}

    def api_stats(self, collection: str = "") -> StatsJSON:
        """Index statistics of ``collection`` (default: the app's default collection)."""
        return cast(StatsJSON, self.stats(collection or None))

    def stats_markdown(self, collection: str | None = None) -> str:
        """The one-line summary above the table."""
        s = self.stats(collection)
        return (
            f"**Documents:** {s.get('documents', 0)} · **Chunks:** {s.get('chunks', 0)} · "
            f"**Model:** {ui.escape_markdown(str(s.get('model', '—')))} · "
            f"**Store:** {ui.escape_markdown(str(s.get('store', '—')))} · "
            f"**Last indexed:** {ui.format_timestamp(s.get('last_indexed'))}"
        )

    def refresh(self, collection: str | None = None) -> tuple[Any, ...]:
        """New values for the table, the delete selector, the stats and the Sources filter."""
        return (
            self.rows(collection),
            gr.update(choices=self.doc_choices(collection), value=[]),
            self.stats_markdown(collection),
            gr.update(choices=self.sources(collection), value=[]),
        )

    def refresh_keeping(self, collection: str | None = None) -> tuple[Any, ...]:
        """Like :meth:`refresh`, keeping what the user has selected (for updates the user
        did not ask for: a background sync or the folder watcher wrote)."""
        return (
            self.rows(collection),
            gr.update(choices=self.doc_choices(collection)),
            self.stats_markdown(collection),
            gr.update(choices=self.sources(collection)),
        )


def _row(bot: Assistant, d: DocumentInfo) -> list[Any]:
    date = d.published_at or "undated"
    link = open_document.markdown_link(bot, d.doc_id, d.url)
    return [d.doc_id, d.title, date, d.date_from or "", d.source, d.chunks, link]


def build_documents_tab(views: DocumentViews) -> DocumentsTab:
    """Lay out the Documents tab (call inside an open ``gr.Tab``)."""
    upload = gr.File(file_count="multiple", label="Upload documents", elem_id="upload")
    on_duplicate = gr.Radio(
        [KEEP_BOTH, REPLACE],
        value=KEEP_BOTH,
        label="When a file of the same name is already indexed",
        info="keep both: the upload gets a new name · replace: it replaces that document",
        elem_id="on-duplicate",
    )
    index_btn = gr.Button("Index", variant="primary", elem_id="index-btn")
    report_html = gr.HTML(elem_id="report")
    stats_md = gr.Markdown(views.stats_markdown(), elem_id="stats")
    docs_table = gr.Dataframe(
        value=views.rows(),
        headers=["doc id", "title", "date", "date from", "source", "chunks", "file"],
        datatype=["str", "str", "str", "str", "str", "number", "markdown"],
        interactive=False,
        label="Indexed documents",
        wrap=True,
        max_height=420,
        column_widths=["22%", "30%", "10%", "10%", "12%", "6%", "10%"],
        elem_id="docs-table",
    )
    with gr.Row():
        delete_sel = gr.Dropdown(
            choices=views.doc_choices(), multiselect=True, label="Documents to delete", scale=4
        )
        delete_btn = gr.Button("Delete selected", variant="stop", scale=1)
        refresh_btn = gr.Button("Refresh", scale=1)
    return DocumentsTab(
        upload,
        index_btn,
        report_html,
        stats_md,
        docs_table,
        delete_sel,
        delete_btn,
        refresh_btn,
        on_duplicate,
    )


class DocumentHandlers:
    """Upload, index and delete, for the tab and for the ``/index`` endpoint."""

    def __init__(self, bot: Assistant, views: DocumentViews) -> None:
        self.bot = bot
        self.views = views

    def stager(self, collection: str | None = None) -> UploadStager:
        """The staging of uploads into the collection's own uploads folder."""
        bot = self.bot.for_collection(collection or None)
        limit = bot.settings.web.upload_max_mb
        return UploadStager(bot.uploads_dir, limit, SUPPORTED_EXTENSIONS)

    def run_index(
        self,
        files: Sequence[Any] | None,
        progress: gr.Progress,
        on_duplicate: str = KEEP_BOTH,
        collection: str | None = None,
    ) -> dict[str, Any]:
        """Stage the uploads in the collection's uploads folder and index them (only
        them); the report as a dict.

        A name already taken is replaced or kept beside the old one (``on_duplicate``);
        a file that fails as a whole is moved to ``uploads/failed/``.
        """
        bot, stager = self.bot.for_collection(collection or None), self.stager(collection)
        ids = self._indexed(bot)
        staged = stager.stage(files, ids | self._staged(stager), on_duplicate, ids)
        report: dict[str, Any] = {"added": 0, "updated": 0, "unchanged": 0, "failed": []}
        if staged.paths:

            def on_progress(done: int, total: int, msg: str) -> None:
                progress((done, total or None), desc=msg or "Indexing")

            progress(0, desc="Indexing")
            try:
                result = bot.index(staged.paths, on_progress=on_progress)
            except EvchatError as e:
                raise refusal(e, "upload") from None
            except Exception as e:  # a bug: the log has it, the user its id
                raise failure(e, "upload") from None
            report = result.to_dict()
            report["failed"] = self._set_aside_failed(stager, staged.paths, result.failed)
        report["unchanged"] = int(report.get("unchanged", 0) or 0) + len(staged.already)
        report["rejected"] = [{"path": n, "error": w} for n, w in staged.rejected]
        report["renamed"] = [{"file": n, "stored_as": new} for n, new in staged.renamed]
        report["already_indexed"] = [{"file": n, "indexed_as": d} for n, d in staged.already]
        return report

    @staticmethod
    def _indexed(bot: Assistant) -> set[str]:
        """The ids of the indexed documents (an upload's id is its file name)."""
        try:
            return {d.doc_id for d in bot.documents()}
        except Exception:  # no index yet
            return set()

    @staticmethod
    def _staged(stager: UploadStager) -> set[str]:
        """The files in the uploads folder: names an upload must not silently replace."""
        folder = stager.folder
        return {p.name for p in folder.iterdir()} if folder.is_dir() else set()

    @staticmethod
    def _set_aside_failed(
        stager: UploadStager, staged: Sequence[Path], failed: Sequence[FailedFile]
    ) -> list[dict[str, str]]:
        """Move whole-file failures out of the uploads folder; the failures by file name
        (the user never sees the server's paths)."""
        by_origin = {str(p): p for p in staged}
        out = []
        for f in failed:
            path = by_origin.get(f.path)
            if path is not None and path.exists():
                stager.set_aside(path, f.error)
            out.append({"path": path.name if path is not None else f.path, "error": f.error})
        return out

    def index_uploads(
        self,
        files: list[Any] | None,
        on_duplicate: str = KEEP_BOTH,
        collection: str = "",
        progress: gr.Progress = _PROGRESS,
    ) -> tuple[Any, ...]:
        """The Index button; the upload box is emptied once its files are handled, so a
        second click cannot index them again."""
        if not files:
            gr.Warning("Choose one or more files to upload first.")
            return (gr.update(),) * 6
        report = self.run_index(files, progress, on_duplicate, collection)
        rejected = [(r["path"], r["error"]) for r in report.pop("rejected")]
        for name, why in rejected:
            gr.Warning(f"{name} was rejected: {why}")
        for r in report.pop("renamed"):
            gr.Info(
                f"A file named {r['file']} is already indexed; the upload is stored as "
                f"{r['stored_as']}."
            )
        already = [(r["file"], r["indexed_as"]) for r in report.pop("already_indexed")]
        for name, as_ in already:
            gr.Info(f"{name} is already indexed (the same file as {as_}); nothing to do.")
        html = ui.render_report(report, rejected, already)
        return (html, *self.views.refresh(collection), gr.update(value=None))

    def api_index(
        self, files: list[Any] | None, replace: bool = False, progress: gr.Progress = _PROGRESS
    ) -> dict:
        """The ``/index`` endpoint: index uploaded files into the app's default collection;
        the report as JSON.

        ``replace``: a file whose name is already indexed replaces that document; by
        default it is kept beside it under a new name (listed in ``renamed``).
        """
        report = self.run_index(files, progress, REPLACE if replace else KEEP_BOTH)
        # gradio_client takes any dict with a "path" key for a file to download: rename it.
        for key in ("failed", "rejected"):
            report[key] = [
                {"file": str(f.get("path", "")), "error": str(f.get("error", ""))}
                for f in report.get(key) or []
            ]
        return report

    def delete_docs(self, doc_ids: list[str] | None, collection: str = "") -> tuple[Any, ...]:
        """The Delete selected button."""
        if not doc_ids:
            gr.Warning("Select documents to delete first.")
            return (gr.update(),) * 5
        try:
            removed = self.bot.for_collection(collection or None).delete(doc_ids)
        except EvchatError as e:
            raise refusal(e, "delete") from None
        gr.Info(f"Deleted {removed} document(s).")
        return (f"<p>Deleted {removed} document(s).</p>", *self.views.refresh(collection))


def wire_documents_tab(
    tab: DocumentsTab, handlers: DocumentHandlers, source_filter: gr.Dropdown, collection: Any
) -> list[Any]:
    """Connect the tab's events (about the ``collection`` state's collection); returns the
    outputs a page load or a switch of collection should refresh."""
    outputs = [tab.report_html, tab.docs_table, tab.delete_sel, tab.stats_md, source_filter]
    private: dict[str, Any] = {"api_visibility": "private"}
    tab.index_btn.click(
        handlers.index_uploads,
        [tab.upload, tab.on_duplicate, collection],
        [*outputs, tab.upload],
        concurrency_id="index",
        concurrency_limit=1,
        preprocess=False,  # see add_index_endpoint
        **private,
    )
    tab.delete_btn.click(
        handlers.delete_docs,
        [tab.delete_sel, collection],
        outputs,
        concurrency_id="index",
        **private,
    )
    tab.refresh_btn.click(handlers.views.refresh, [collection], outputs[1:], **private)
    return outputs[1:]


def add_index_endpoint(handlers: DocumentHandlers) -> None:
    """The hidden components behind ``/index`` (file upload in, report out)."""
    with gr.Row(visible=False):
        api_files = gr.File(file_count="multiple")
        api_replace = gr.Checkbox(False, label="replace")
        api_report = typed_json(IndexReportJSON, label="report")
        api_index_btn = gr.Button("index")
    # preprocess=False: the handler gets the uploads' file data (Gradio still checks that
    # every path is one of its uploads). gr.File's own preprocessing leaves an empty
    # temporary file behind in Gradio's folder for every upload.
    api_index_btn.click(
        handlers.api_index,
        [api_files, api_replace],
        [api_report],
        api_name="index",
        concurrency_id="index",
        concurrency_limit=1,
        preprocess=False,
    )
