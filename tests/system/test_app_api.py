"""The web app's named API endpoints (/stats, /ask, /index, /chat, /conversation(s)) as
the real ``gradio_client`` sees them, the server log of a user's mistake, and the login."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

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


ENDPOINTS = {"/index", "/ask", "/chat", "/conversations", "/conversation", "/stats"}


def _types(info: dict[str, Any]) -> list[str]:
    return [p["python_type"]["type"] for p in info["parameters"] + info["returns"]]


def test_view_api_names_and_types_every_output(client: Client) -> None:
    api = client.view_api(print_info=False, return_format="dict")
    named = api["named_endpoints"]
    assert set(named) == ENDPOINTS and not api["unnamed_endpoints"]
    labels = {name: [r["label"] for r in e["returns"]] for name, e in named.items()}
    assert labels == {
        "/index": ["report"], "/ask": ["answer"], "/chat": ["reply"],
        "/conversations": ["conversations"], "/conversation": ["conversation"],
        "/stats": ["stats"],
    }  # fmt: skip
    for name, endpoint in named.items():
        for shown in _types(endpoint):
            assert "Any" not in shown and "| None | " not in shown, (name, shown)
            assert not shown.endswith("| None") and "any valid json" not in shown, (name, shown)
    answer = named["/ask"]["returns"][0]["python_type"]["type"]
    assert answer.startswith("dict(answer: str, short_answer: None | str, refused: bool")
    assert "citations: list[dict(n: int, chunk_id: str" in answer
    assert named["/stats"]["parameters"][0]["python_type"]["type"] == "str"
    conversation = named["/conversation"]
    assert conversation["parameters"][1]["python_type"]["type"] == "Literal['json', 'md']"
    assert conversation["returns"][0]["python_type"]["type"].endswith(" | str")
    assert named["/index"]["returns"][0]["python_type"]["type"].startswith("dict(added: int")


def test_conversation_formats_and_an_unknown_one_is_refused(client: Client) -> None:
    chat = client.predict("Where is BYD building its first European car plant?", api_name="/chat")
    ident = chat["conversation_id"]
    data = client.predict(ident, "json", api_name="/conversation")
    assert data["id"] == ident and data["turns"][0]["answer"]["citations"]
    text = client.predict(ident, "md", api_name="/conversation")
    assert isinstance(text, str) and text.startswith("# ")
    with pytest.raises(Exception, match=r"Unknown format 'pdf'; use one of json, md\.") as err:
        client.predict(ident, "pdf", api_name="/conversation")
    assert "\n" not in str(err.value)


def test_a_users_mistake_is_one_info_line_in_the_server_log(
    client: Client, running_app_home: Path
) -> None:
    log = running_app_home / "app.log"
    before = log.stat().st_size
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict("Which automaker joined Ionna?", "2024-13-45", api_name="/ask")
    with pytest.raises(Exception, match=r"Please type a question\."):
        client.predict("   ", api_name="/ask")
    with log.open("rb") as f:
        f.seek(before)
        written = f.read().decode("utf-8", "replace")
    assert "Traceback" not in written, written
    lines = [line for line in written.splitlines() if "user error" in line]
    expected = [
        r".* INFO evchat: user error [0-9a-f]{8} in /ask: \"The 'as of' date '2024-13-45' .*",
        r".* INFO evchat: user error [0-9a-f]{8} in /ask: 'Please type a question\.'",
    ]
    assert len(lines) == 2, written
    assert all(re.fullmatch(p, line) for p, line in zip(expected, lines, strict=True)), lines
