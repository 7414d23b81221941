"""Answers built by hand for the history tests (no index needed)."""

from __future__ import annotations

from assistant import Answer, AnswerSentence, Citation, Passage

PASSAGE_TEXT = (
    "Volta Iberia, a Spanish battery start-up, will build its first cell plant in Zaragoza. "
    "Production is due to start in 2026."
)


def passage(chunk_id: str = "c1", doc_id: str = "volta.md", text: str = PASSAGE_TEXT) -> Passage:
    return Passage(chunk_id, doc_id, text, "Volta picks Zaragoza", "Test Wire", "2025-03-04",
                   2, 100, 100 + len(text), 0.5, "https://example.org/volta", 0.7)  # fmt: skip


def citation(n: int = 1, quote: str | None = None, **kw: object) -> Citation:
    quote = quote or PASSAGE_TEXT.split(". ")[0] + "."
    fields: dict[str, object] = dict(
        n=n, chunk_id="c1", doc_id="volta.md", title="Volta picks Zaragoza", source="Test Wire",
        published_at="2025-03-04", page=2, quote=quote, start=100, end=100 + len(quote),
        score=0.8, url="https://example.org/volta",
    )  # fmt: skip
    fields.update(kw)
    return Citation(**fields)  # type: ignore[arg-type]


def answered(text_extra: str = "") -> Answer:
    c = citation()
    return Answer(
        text=f"{c.quote} [1] The plant has no name yet. {text_extra}".strip(),
        refused=False,
        citations=[c],
        passages=[passage(), passage("c9", "other.md", "Unrelated passage text.")],
        standalone_question="Where will Volta Iberia build its plant?",
        sentences=[
            AnswerSentence(f"{c.quote} [1]", (1,), True),
            AnswerSentence("The plant has no name yet.", (), False),
        ],
        timings_ms={"answer": 12.5},
        answerer="extractive",
        warning="a warning",
    )


def refused() -> Answer:
    return Answer(
        text="The indexed documents do not contain an answer to this question.",
        refused=True,
        citations=[],
        passages=[passage(f"c{i}", f"d{i}.md") for i in range(5)],
        standalone_question="Who won the World Cup?",
    )
