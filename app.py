"""evchat web app: chat over EV-industry documents with verified citations.

``python app.py`` indexes the bundled ``samples/`` on first start (when the index is
empty), then serves the app on ``EVCHAT_HOST``/``EVCHAT_PORT``, behind a login when
``EVCHAT_AUTH`` is set. Everything goes through the public ``assistant`` API.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, EvchatError, Filters, Settings
from assistant import ui_render as ui
from index.loaders import SUPPORTED_EXTENSIONS

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"

EXAMPLES = [
    "Where is BYD building its first European car plant?",
    "What definitive EU duty applies to Tesla's Shanghai-made cars?",
    "Which automaker became the eighth investor in Ionna?",
    "What happened to lithium prices in 2023?",
]

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")

ChatHistory = list[dict[str, str]]
_PROGRESS = gr.Progress()  # the marker Gradio replaces with a per-event progress tracker


# --- helpers -------------------------------------------------------------------------
def _date_or_none(value: str | None, what: str) -> str | None:
    """A validated YYYY-MM-DD date or None; ValueError with a clear message otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"The {what} {value!r} is not a date of the form YYYY-MM-DD.") from None


def _filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> Filters:
    return Filters(
        sources=tuple(sources or ()),
        date_from=_date_or_none(date_from, "'from' date"),
        date_to=_date_or_none(date_to, "'to' date"),
    )


def safe_upload_name(name: str) -> str:
    """A safe basename for an uploaded file; ValueError for names that try to escape."""
    if not name or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError("the file name must not contain path separators")
    if name in (".", "..") or ".." in name.split("."):
        raise ValueError("the file name must not contain '..'")
    cleaned = _SAFE_NAME.sub("_", name).strip(" .")
    if not cleaned or cleaned.startswith("."):
        raise ValueError("the file name is empty or hidden")
    return cleaned


def _file_path(item: Any) -> tuple[Path, str]:
    """(temporary path, original name) of an uploaded file in any form Gradio gives it."""
    if isinstance(item, dict):
        path = item.get("path") or item.get("name") or ""
        orig = item.get("orig_name") or Path(str(path)).name
        return Path(str(path)), str(orig)
    path = getattr(item, "path", None) or getattr(item, "name", None) or item
    orig = getattr(item, "orig_name", None) or Path(str(path)).name
    return Path(str(path)), str(orig)


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:password`` or a path to a file of such lines → credential pairs."""
    if not value:
        return None
    lines: list[str]
    candidate = Path(value).expanduser()
    if ":" not in value or candidate.is_file():
        lines = candidate.read_text(encoding="utf-8").splitlines()
    else:
        lines = [value]
    pairs = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user:
            raise SystemExit(f"EVCHAT_AUTH: expected 'user:password', got {line!r}")
        pairs.append((user, password))
    if not pairs:
        raise SystemExit("EVCHAT_AUTH names no user")
    return pairs


def _index_is_empty(assistant: Assistant) -> bool:
    try:
        return assistant.stats().documents == 0
    except Exception:  # a brand-new home has no collection yet
        return True


# --- the app -------------------------------------------------------------------------
def build_app(assistant: Assistant | None = None) -> gr.Blocks:
    """The Gradio Blocks app around ``assistant`` (a default one if None)."""
    bot = assistant or Assistant(Settings())
    settings = bot.settings
    uploads_dir = Path(settings.uploads_dir)
    answerers = ["extractive"]
    if bot.answerer_name("auto") == "openai" or settings.openai_base_url:
        answerers.append("openai")
    default_answerer = "openai" if bot.answerer_name() == "openai" else "extractive"

    def source_choices() -> list[str]:
        try:
            return sorted({d.source for d in bot.documents()})
        except Exception:
            return []

    def documents_rows() -> list[list[Any]]:
        try:
            docs = bot.documents()
        except Exception:
            return []
        return [[d.doc_id, d.title, d.published_at or "", d.source, d.chunks] for d in docs]

    def doc_choices() -> list[tuple[str, str]]:
        try:
            return [(f"{d.title} ({d.doc_id})", d.doc_id) for d in bot.documents()]
        except Exception:
            return []

    def stats_dict() -> dict[str, Any]:
        try:
            return bot.stats().to_dict()
        except EvchatError as e:
            return {"documents": 0, "chunks": 0, "error": str(e)}
        except Exception:
            return {"documents": 0, "chunks": 0}

    def stats_markdown() -> str:
        s = stats_dict()
        return (
            f"**Documents:** {s.get('documents', 0)} · **Chunks:** {s.get('chunks', 0)} · "
            f"**Model:** {ui.escape_markdown(str(s.get('model', '—')))} · "
            f"**Store:** {ui.escape_markdown(str(s.get('store', '—')))} · "
            f"**Last indexed:** {ui.format_timestamp(s.get('last_indexed'))}"
        )

    # --- chat ------------------------------------------------------------------------
    def respond(
        question: str,
        chat: ChatHistory,
        history: ChatHistory,
        as_of: str,
        sources: list[str],
        date_from: str,
        date_to: str,
        answerer: str,
        k: float,
        options: str = "",
    ) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            gr.Warning("Please type a question.")
            yield chat, gr.update(), gr.update(), history, question
            return
        try:
            as_of_date = _date_or_none(as_of, "'as of' date")
            filters = _filters(sources, date_from, date_to)
            stream = bot.stream(
                question,
                history,
                as_of_date,
                filters,
                int(k),
                answerer or None,
                _option_lines(options),
            )
            chat.append({"role": "user", "content": ui.escape_markdown(question)})
            chat.append({"role": "assistant", "content": "…"})
            text = ""
            final: Answer | None = None
            yield chat, "", "", history, ""
            for item in stream:
                if isinstance(item, Answer):
                    final = item
                    break
                text += item
                chat[-1] = {"role": "assistant", "content": ui.escape_markdown(text)}
                yield chat, gr.update(), gr.update(), history, ""
        except (EvchatError, ValueError) as e:
            gr.Warning(str(e))
            if chat and chat[-1].get("role") == "assistant" and chat[-1]["content"] == "…":
                chat = chat[:-2]
            yield chat, gr.update(), gr.update(), history, question
            return
        if final is None:
            return
        if final.refused:
            shown = f"⛔ **{ui.REFUSAL_HEADING}.** " + ui.escape_markdown(final.text)
        else:
            shown = ui.escape_markdown(final.text)
        chat[-1] = {"role": "assistant", "content": shown}
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": final.text},
        ]
        yield chat, ui.render_answer(final, question), ui.render_sources(final), history, ""

    def api_ask(question: str, as_of: str = "", options: str = "") -> dict[str, Any]:
        """Answer a question from the indexed documents; returns the Answer as JSON.

        ``options``: the options of a multiple-choice question, one per line (optional).
        """
        try:
            answer = bot.ask(
                question,
                as_of=_date_or_none(as_of, "'as of' date"),
                choices=_option_lines(options),
            )
        except (EvchatError, ValueError) as e:
            raise gr.Error(str(e)) from None
        return answer.to_dict()

    def api_stats() -> dict[str, Any]:
        """Index statistics: documents, chunks, collection, model, store, last indexed."""
        return stats_dict()

    # --- documents -------------------------------------------------------------------
    def stage_uploads(files: Sequence[Any] | None) -> tuple[list[str], list[tuple[str, str]]]:
        """Copy acceptable uploads into uploads_dir; returns (staged names, rejections)."""
        staged: list[str] = []
        rejected: list[tuple[str, str]] = []
        limit = settings.upload_max_mb * 1024 * 1024
        uploads_dir.mkdir(parents=True, exist_ok=True)
        root = uploads_dir.resolve()
        for item in files or []:
            path, orig = _file_path(item)
            try:
                name = safe_upload_name(orig)
                ext = Path(name).suffix.lower()
                if ext not in SUPPORTED_EXTENSIONS:
                    supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
                    raise ValueError(f"unsupported file type {ext or '(none)'}; use {supported}")
                size = path.stat().st_size
                if size == 0:
                    raise ValueError("the file is empty")
                if size > limit:
                    raise ValueError(
                        f"the file is {size / 1e6:.1f} MB; the limit is {settings.upload_max_mb} MB"
                    )
                dest = (root / name).resolve()
                if dest.parent != root:
                    raise ValueError("the file name is not allowed")
                shutil.copyfile(path, dest)
                staged.append(name)
            except OSError:
                rejected.append((orig, "the upload could not be read"))
            except ValueError as e:
                rejected.append((orig, str(e)))
        return staged, rejected

    def run_index(files: Sequence[Any] | None, progress: gr.Progress) -> dict[str, Any]:
        staged, rejected = stage_uploads(files)
        report: dict[str, Any] = {"added": 0, "updated": 0, "unchanged": 0, "failed": []}
        if staged:

            def on_progress(done: int, total: int, msg: str) -> None:
                progress((done, total or None), desc=msg or "Indexing")

            progress(0, desc="Indexing")
            try:
                report = bot.index([uploads_dir], on_progress=on_progress).to_dict()
            except EvchatError as e:
                raise gr.Error(str(e)) from None
        report["rejected"] = [{"path": n, "error": w} for n, w in rejected]
        return report

    def index_uploads(files: list[Any] | None, progress: gr.Progress = _PROGRESS) -> tuple:
        if not files:
            gr.Warning("Choose one or more files to upload first.")
            return (gr.update(),) * 5
        report = run_index(files, progress)
        rejected = [(r["path"], r["error"]) for r in report.pop("rejected")]
        for name, why in rejected:
            gr.Warning(f"{name} was rejected: {why}")
        return (
            ui.render_report(report, rejected),
            documents_rows(),
            gr.update(choices=doc_choices(), value=[]),
            stats_markdown(),
            gr.update(choices=source_choices()),
        )

    def api_index(files: list[Any] | None, progress: gr.Progress = _PROGRESS) -> dict:
        report = run_index(files, progress)
        # gradio_client takes any dict with a "path" key for a file to download: rename it.
        for key in ("failed", "rejected"):
            report[key] = [
                {"file": str(f.get("path", "")), "error": str(f.get("error", ""))}
                for f in report.get(key) or []
            ]
        return report

    def delete_docs(doc_ids: list[str] | None) -> tuple:
        if not doc_ids:
            gr.Warning("Select documents to delete first.")
            return (gr.update(),) * 5
        try:
            removed = bot.delete(doc_ids)
        except EvchatError as e:
            raise gr.Error(str(e)) from None
        gr.Info(f"Deleted {removed} document(s).")
        return (
            f"<p>Deleted {removed} document(s).</p>",
            documents_rows(),
            gr.update(choices=doc_choices(), value=[]),
            stats_markdown(),
            gr.update(choices=source_choices()),
        )

    def refresh() -> tuple:
        return (
            documents_rows(),
            gr.update(choices=doc_choices(), value=[]),
            stats_markdown(),
            gr.update(choices=source_choices()),
        )

    # --- layout ----------------------------------------------------------------------
    with gr.Blocks(title="evchat") as demo:
        gr.Markdown("## evchat — EV-industry news with verified citations")
        history = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Chat", height=380, buttons=["copy"], elem_id="chatbot"
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            placeholder="Ask about the EV industry…",
                            show_label=False,
                            scale=5,
                            elem_id="question",
                        )
                        ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    gr.Examples(EXAMPLES, inputs=question, label="Examples")
                    answer_html = gr.HTML(elem_id="answer")
                    sources_html = gr.HTML(elem_id="sources")
                    clear_btn = gr.Button("Clear chat", size="sm")
                with gr.Column(scale=1):
                    as_of = gr.Textbox(label="As of (YYYY-MM-DD)", placeholder="today")
                    source_filter = gr.Dropdown(
                        choices=source_choices(), multiselect=True, label="Sources"
                    )
                    date_from = gr.Textbox(label="Published from (YYYY-MM-DD)")
                    date_to = gr.Textbox(label="Published to (YYYY-MM-DD)")
                    answerer = gr.Radio(answerers, value=default_answerer, label="Answerer")
                    k = gr.Slider(1, 20, value=settings.k, step=1, label="Passages (k)")
                    options = gr.Textbox(
                        label="Options (multiple choice, one per line)",
                        lines=3,
                        elem_id="options",
                    )
            with gr.Tab("Documents", id="documents"):
                upload = gr.File(file_count="multiple", label="Upload documents", elem_id="upload")
                index_btn = gr.Button("Index", variant="primary", elem_id="index-btn")
                report_html = gr.HTML(elem_id="report")
                stats_md = gr.Markdown(stats_markdown(), elem_id="stats")
                docs_table = gr.Dataframe(
                    value=documents_rows(),
                    headers=["doc id", "title", "date", "source", "chunks"],
                    interactive=False,
                    label="Indexed documents",
                    wrap=True,
                    max_height=420,
                    column_widths=["28%", "40%", "11%", "14%", "7%"],
                )
                with gr.Row():
                    delete_sel = gr.Dropdown(
                        choices=doc_choices(),
                        multiselect=True,
                        label="Documents to delete",
                        scale=4,
                    )
                    delete_btn = gr.Button("Delete selected", variant="stop", scale=1)
                    refresh_btn = gr.Button("Refresh", scale=1)
        with gr.Row(visible=False):
            api_files = gr.File(file_count="multiple")
            api_report = gr.JSON()
            api_index_btn = gr.Button("index")

        chat_inputs = [
            question,
            chatbot,
            history,
            as_of,
            source_filter,
            date_from,
            date_to,
            answerer,
            k,
            options,
        ]
        chat_outputs = [chatbot, answer_html, sources_html, history, question]
        for trigger in (question.submit, ask_btn.click):
            trigger(respond, chat_inputs, chat_outputs, api_visibility="private")
        clear_btn.click(
            lambda: ([], "", "", [], ""),
            None,
            [chatbot, answer_html, sources_html, history, question],
            api_visibility="private",
        )
        doc_outputs = [report_html, docs_table, delete_sel, stats_md, source_filter]
        index_btn.click(
            index_uploads,
            [upload],
            doc_outputs,
            api_visibility="private",
            concurrency_id="index",
            concurrency_limit=1,
        )
        delete_btn.click(
            delete_docs, [delete_sel], doc_outputs, api_visibility="private", concurrency_id="index"
        )
        refresh_btn.click(refresh, None, doc_outputs[1:], api_visibility="private")
        demo.load(refresh, None, doc_outputs[1:], api_visibility="private")
        api_index_btn.click(
            api_index,
            [api_files],
            [api_report],
            api_name="index",
            concurrency_id="index",
            concurrency_limit=1,
        )
        gr.api(api_ask, api_name="ask")
        gr.api(api_stats, api_name="stats")
    demo.queue(default_concurrency_limit=4)
    return demo


def _option_lines(text: str | None) -> list[str]:
    """The options typed one per line (blank lines ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def main(settings: Settings | None = None) -> None:
    """Index the samples on first start, then serve the app."""
    settings = settings or Settings()
    assistant = Assistant(settings)
    auth = parse_auth(settings.auth)
    if _index_is_empty(assistant) and SAMPLES_DIR.is_dir():
        print(f"evchat: the index is empty; indexing {SAMPLES_DIR} …", flush=True)

        def on_progress(done: int, total: int, msg: str) -> None:
            print(f"  [{done}/{total}] {msg}", flush=True)

        report = assistant.index([SAMPLES_DIR], on_progress=on_progress)
        print(f"evchat: indexed {report.documents} documents, {report.chunks} chunks", flush=True)
        for f in report.failed:
            print(f"  failed: {f.path}: {f.error}", file=sys.stderr, flush=True)
    demo = build_app(assistant)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        theme=gr.themes.Soft(),
        css=ui.CSS,
        head=ui.HEAD,
        show_error=True,
    )


if __name__ == "__main__":
    main()
