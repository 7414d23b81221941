"""HTML rendering of answers: escaping of document text, marked quotes, refusals."""

from __future__ import annotations

from assistant import Answer, AnswerSentence, Citation, Passage
from ui import render as ui


def test_rendering_escapes_and_marks() -> None:
    """Refusals, unsupported sentences and hostile document text render safely (no server)."""
    evil = '<script>x()</script><img src=x onerror="x()"> [a](javascript:x())'
    passage = Passage(
        "c1", "d1", "Intro. " + evil + " end.", evil, "javascript:x()", "2024-01-01", 3, 0, 40, 1.0
    )
    quote = evil
    cite = Citation(
        1,
        "c1",
        "d1",
        evil,
        "javascript:x()",
        "2024-01-01",
        3,
        quote,
        7,
        7 + len(quote),
        0.9,
        url="javascript:x()",
    )
    answer = Answer(
        text=f"{evil} [1] Made up.",
        refused=False,
        citations=[cite],
        passages=[passage],
        standalone_question="what about x?",
        sentences=[AnswerSentence(evil, (1,), True), AnswerSentence("Made up.", (), False)],
        warning="the model's stream was cut",
    )
    html_out = ui.render_answer(answer, "and x?") + ui.render_sources(answer)
    assert "<script>" not in html_out and "<img" not in html_out
    assert 'href="javascript' not in html_out
    assert "icon-warning" in html_out and "unsupported" in html_out and "Searched for:" in html_out
    assert "stream was cut" in html_out
    assert "<mark>&lt;script&gt;" in html_out and 'id="cite-1"' in html_out
    assert ui.safe_url("https://example.com/a") == "https://example.com/a"
    refusal = Answer("I can't find that.", True, [], [passage], "q")
    assert ui.REFUSAL_HEADING in ui.render_answer(refusal) and "Closest passages" in (
        ui.render_answer(refusal)
    )


def test_the_unsupported_flag_says_what_failed_escaped() -> None:
    flagged = AnswerSentence(
        "Stellantis paid $6.9 billion <b>.",
        (),
        False,
        reason="Its names, numbers, dates or negations differ from the passage.",
        missing=("<script>",),
        conflicts=(("$6.9 billion", "$1.6 billion"),),
    )
    answer = Answer("x", False, [], [], "q", sentences=[flagged])
    html_out = ui.render_answer(answer)
    assert "unsupported</summary>" in html_out and "<details" in html_out
    assert "$6.9 billion (the passage says $1.6 billion)" in html_out
    assert "Not in the passage: &lt;script&gt;" in html_out and "<script>" not in html_out
    assert "<b>" not in html_out


def test_short_answer_is_bold_and_escaped() -> None:
    text = "<b>Tesla</b> — Tesla will lay off about 14,000 jobs. [1]"
    answer = Answer(
        text=text,
        refused=False,
        citations=[],
        passages=[],
        standalone_question="q",
        sentences=[AnswerSentence(text, (1,), True)],
        short_answer="<b>Tesla</b>",
    )
    html_out = ui.render_answer(answer)
    assert '<b class="short-answer">&lt;b&gt;Tesla&lt;/b&gt;</b> — Tesla will lay off' in html_out
    assert ui.answer_markdown(answer).startswith("**&lt;b&gt;Tesla&lt;/b&gt;** — Tesla")
    plain = Answer("Tesla will lay off staff. [1]", False, [], [], "q", short_answer=None)
    assert "**" not in ui.answer_markdown(plain)


def test_urls_in_markdown_lines_are_autolinks_without_backslashes() -> None:
    line = ui.escape_markdown("Reading http://127.0.0.1:8937/feed.xml… *not bold* [x](y)")
    assert line.startswith("Reading <http://127.0.0.1:8937/feed.xml>…")
    assert "\\*not bold\\*" in line and "\\[x\\]\\(y\\)" in line
    assert ui.escape_markdown("javascript:alert(1)") == "javascript:alert\\(1\\)"


def test_document_line_breaks_never_reach_the_chats_markdown() -> None:
    passage = Passage(
        "c1",
        "d1",
        "Intro.\n\n## Volkswagen turns to Xpeng\n\nText.",
        "T",
        "s",
        None,
        None,
        0,
        9,
        1.0,
    )
    refusal = Answer(
        text="Not in the documents.",
        refused=True,
        citations=[],
        passages=[passage],
        standalone_question="q",
    )
    out = ui.render_answer(refusal)
    assert "\n" not in out and "<br><br>## Volkswagen" in out  # text, not a heading
    assert 'class="evchat-icon icon-stop"' in out and "⛔" not in out
