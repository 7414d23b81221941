"""The web app's named API endpoints (/stats, /ask, /index) and its login."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gradio_client import Client, handle_file


@pytest.fixture(scope="module")
def client(running_app: str) -> Client:
    return Client(running_app, verbose=False)


def test_stats(client: Client) -> None:
    stats = client.predict(api_name="/stats")
    assert stats["documents"] >= 20
    assert stats["chunks"] >= stats["documents"]
    assert stats["model"]


def test_ask_cites_the_right_document(client: Client) -> None:
    answer = client.predict(
        "Which automaker became the eighth investor in Ionna?", "", api_name="/ask"
    )
    assert answer["refused"] is False
    assert "Toyota" in answer["answer"]
    # the bold short answer is shown only when the learned show model trusts it
    if answer["short_answer"] is not None:
        assert answer["short_answer"] == "Toyota" and answer["answer"].startswith("Toyota — ")
    assert any("ionna" in c["doc_id"].lower() for c in answer["citations"])
    assert all(c["quote"] for c in answer["citations"])


def test_ask_with_options_names_the_supported_one(client: Client) -> None:
    answer = client.predict(
        "Which automaker became the eighth investor in Ionna?",
        "",
        "BMW\nToyota\n\nHyundai",
        api_name="/ask",
    )
    assert answer["answer"].startswith("Toyota — "), answer["answer"]
    assert len(answer["citations"]) == 1


def test_ask_bad_date_is_a_clear_error(client: Client) -> None:
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict(
            "Where is BYD building its first European car plant?", "2024-13-45", api_name="/ask"
        )


def test_index_endpoint(client: Client, tmp_path: Path) -> None:
    doc = tmp_path / "kestrel-api-upload.md"
    doc.write_text(
        "---\ntitle: Kestrel Freight orders 300 electric trucks\ndate: 2025-06-01\n---\n\n"
        "Kestrel Freight, a Danish haulier, ordered 300 electric trucks for delivery in 2026.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ")
    report = client.predict([handle_file(str(doc)), handle_file(str(bad))], api_name="/index")
    assert report["added"] == 1, report
    assert [r["file"] for r in report["rejected"]] == ["notes.exe"]
    answer = client.predict(
        "How many electric trucks did Kestrel Freight order?", "", api_name="/ask"
    )
    assert any("kestrel" in c["doc_id"] for c in answer["citations"]), answer


def test_login_is_required(auth_app: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(auth_app + "/config", timeout=10)
    assert err.value.code in (401, 403)
    with pytest.raises(Exception):  # noqa: B017 - any refusal is fine, as long as it refuses
        Client(auth_app, verbose=False).predict(api_name="/stats")
    stats = Client(auth_app, auth=("user", "pass"), verbose=False).predict(api_name="/stats")
    assert stats["documents"] >= 20
