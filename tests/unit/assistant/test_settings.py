"""The one settings object: sections, EVCHAT_ variables, flat keyword arguments."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Settings
from index.settings import IndexSettings


def test_flat_keywords_are_routed_to_their_sections(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, k=4, answerer="extractive", chunk_tokens=120, port=9000)
    assert (s.store.home, s.retrieval.k, s.answering.answerer) == (tmp_path, 4, "extractive")
    assert (s.ingest.chunk_tokens, s.web.port) == (120, 9000)
    assert s.uploads_dir == tmp_path / "uploads"


def test_every_section_reads_its_evchat_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVCHAT_K", "9")
    monkeypatch.setenv("EVCHAT_HOME", "/srv/evchat")
    monkeypatch.setenv("EVCHAT_DROP_UNSUPPORTED", "1")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    s = Settings(k=3)  # a keyword beats the variable, the other fields still read theirs
    assert s.retrieval.k == 3 and s.store.home == Path("/srv/evchat")
    assert s.answering.drop_unsupported is True and s.openai.configured


def test_the_write_path_reads_only_its_own_sections(tmp_path: Path) -> None:
    s = IndexSettings(home=tmp_path, chunk_tokens=100)
    assert set(type(s).model_fields) == {"store", "embedding", "ingest", "openai", "sources"}
    assert isinstance(Settings(), IndexSettings)  # the read path's object serves both
    with pytest.raises(ValueError, match="Unknown setting 'k'"):
        IndexSettings(k=4)


def test_unknown_and_invalid_values_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="Unknown setting 'topk'"):
        Settings(topk=3)
    with pytest.raises(ValidationError):
        Settings(k=0)


def test_replace_changes_some_fields_and_keeps_the_rest(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, k=4)
    t = s.replace(k=2, source_weight=0.0)
    assert (t.retrieval.k, t.retrieval.source_weight, t.store.home) == (2, 0.0, tmp_path)
    assert s.retrieval.k == 4
    assert t.flat()["k"] == 2 and "home" in t.flat()


def test_a_field_named_like_its_section_is_taken_flat() -> None:
    settings = Settings(embedding="openai", openai_embedding_model="m")
    assert settings.embedding.embedding == "openai"
    assert settings.embedding.openai_embedding_model == "m"
    assert Settings(embedding={"embedding": "openai"}).embedding.embedding == "openai"
    assert settings.replace(k=3).embedding.embedding == "openai"
    with pytest.raises(ValidationError):
        Settings(embedding="word2vec")
