"""The web app against hostile uploads, questions and logins (a real ``python app.py``
behind a login, with small limits): oversized uploads refused before they are stored,
nothing left in Gradio's temporary folder, a failed upload set aside without blocking
the next one, a taken name kept beside or replaced, bad input answered in one sentence,
logins throttled, and no API schema on the login page."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.conftest import free_port
from tests.fixtures.hostile import MB, write_docx_bomb, write_good
from tests.fixtures.processes import stop, wait_until_answering
from tests.paths import REPO

USER, PASSWORD = "ana", "s3cret"
LOGIN_MAX_DELAY_S = 2.0


@dataclass
class App:
    url: str
    home: Path
    gradio_temp: Path
    proc: subprocess.Popen[bytes]

    def files_in_gradio_temp(self) -> list[str]:
        found = [p for p in self.gradio_temp.rglob("*") if p.is_file()]
        return sorted(str(p.relative_to(self.gradio_temp)) for p in found)

    @contextlib.contextmanager
    def http(self) -> Iterator[httpx.Client]:
        """An HTTP client logged in with the app's cookie."""
        with httpx.Client(base_url=self.url, timeout=120) as client:
            assert login(client, USER, PASSWORD) == 200
            yield client

    def client(self) -> Client:
        return Client(self.url, auth=(USER, PASSWORD), verbose=False)


def login(client: httpx.Client, user: str, password: str) -> int:
    return client.post("/login", data={"username": user, "password": password}).status_code


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    home = tmp_path_factory.mktemp("hostile_app_home")
    gradio_temp = tmp_path_factory.mktemp("gradio_temp")
    port = free_port()
    env = {
        **os.environ,
        "EVCHAT_HOME": str(home),
        "EVCHAT_PORT": str(port),
        "EVCHAT_HOST": "127.0.0.1",
        "EVCHAT_AUTH": f"{USER}:{PASSWORD}",
        "EVCHAT_UPLOAD_MAX_MB": "1",
        "EVCHAT_MAX_UNPACKED_MB": "2",
        "EVCHAT_LOGIN_DELAY_S": "0.5",
        "EVCHAT_LOGIN_MAX_DELAY_S": str(LOGIN_MAX_DELAY_S),
        "GRADIO_TEMP_DIR": str(gradio_temp),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    log = home / "app.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        command = [sys.executable, str(REPO / "app.py")]
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_answering("app.py", url + "/", proc, log, 240)
            yield App(url, home, gradio_temp, proc)
        finally:
            stop(proc)


def test_the_login_page_embeds_no_api_schema(app: App) -> None:
    page = httpx.get(app.url + "/", timeout=60).text
    assert '"auth_required":true' in page
    assert 'window.gradio_api_info = {"named_endpoints":{},"unnamed_endpoints":{}};' in page
    assert '"/ask"' not in page and '"/index"' not in page
    assert httpx.get(app.url + "/gradio_api/info", timeout=60).status_code == 401
    with app.http() as http:  # logged in, the schema is there as before
        assert "/ask" in http.get("/gradio_api/info").json()["named_endpoints"]


def test_an_oversized_upload_is_refused_before_it_is_stored(app: App, tmp_path: Path) -> None:
    with app.http() as http:
        response = http.post("/gradio_api/upload", files={"files": ("big.md", b"x" * (2 * MB))})
    assert response.status_code == 413
    assert "maximum allowed size of 1048576 bytes" in response.text
    assert app.files_in_gradio_temp() == []


def test_uploads_leave_nothing_behind_and_a_failed_one_is_set_aside(
    app: App, tmp_path: Path
) -> None:
    good = write_good(
        tmp_path / "zephyr.md", "Zephyr plant", "Zephyr Cells opened a plant in Lyon."
    )
    bomb = write_docx_bomb(tmp_path / "bomb.docx", 4 * MB)
    exe, script = tmp_path / "tool.exe", tmp_path / "evil.py"
    exe.write_bytes(b"MZ")
    script.write_text("print('hi')\n", encoding="utf-8")
    client = app.client()
    files = [handle_file(str(p)) for p in (good, bomb, exe, script)]
    report = client.predict(files, api_name="/index")
    assert report["added"] == 1, report
    assert [r["file"] for r in report["rejected"]] == ["tool.exe", "evil.py"]
    [failed] = report["failed"]
    assert failed["file"] == "bomb.docx"  # a name, never the server's path
    assert failed["error"].startswith("the Word file expands to 4.")
    uploads = app.home / "uploads" / "evchat"  # the default collection's
    assert sorted(p.name for p in uploads.iterdir()) == ["failed", "zephyr.md"]
    reason = (uploads / "failed" / "bomb.docx.reason.txt").read_text(encoding="utf-8")
    assert reason.strip() == failed["error"] and (uploads / "failed" / "bomb.docx").exists()
    assert app.files_in_gradio_temp() == []

    later = write_good(
        tmp_path / "kestrel.md", "Kestrel order", "Kestrel Freight ordered 300 trucks."
    )
    second = client.predict([handle_file(str(later))], api_name="/index")
    assert (second["added"], second["failed"]) == (1, [])  # the failed upload blocks nothing
    answer = client.predict("Where did Zephyr Cells open a plant?", "", api_name="/ask")
    assert any(c["doc_id"] == "zephyr.md" for c in answer["citations"]), answer


def test_a_taken_name_is_kept_beside_the_old_document_or_replaces_it(
    app: App, tmp_path: Path
) -> None:
    client = app.client()
    path = tmp_path / "orca.md"
    write_good(path, "Orca v1", "Orca Drive gained 40 km of range.")
    first = client.predict([handle_file(str(path))], api_name="/index")
    assert first["added"] == 1 and first["renamed"] == []
    write_good(path, "Orca v2", "Orca Drive gained 55 km of range.")
    both = client.predict([handle_file(str(path))], api_name="/index")
    assert both["added"] == 1
    assert both["renamed"] == [{"file": "orca.md", "stored_as": "orca-2.md"}]
    write_good(path, "Orca v3", "Orca Drive gained 70 km of range.")
    replaced = client.predict([handle_file(str(path))], True, api_name="/index")
    assert (replaced["updated"], replaced["renamed"]) == (1, [])
    uploads = app.home / "uploads" / "evchat"
    text = (uploads / "orca.md").read_text(encoding="utf-8")
    assert "70 km" in text and "55 km" in (uploads / "orca-2.md").read_text()
    assert app.files_in_gradio_temp() == []


def ask_raw(http: httpx.Client, *data: object) -> tuple[str, dict[str, object] | list[object]]:
    """Call /ask over Gradio's REST API with JSON as a browser sends it, every input given
    (Gradio's REST API fills in no defaults; lone surrogates
    travel as \\ud800 escapes); (event, payload) of the result."""
    body = json.dumps({"data": list(data)})  # ensure_ascii: surrogates stay escapes
    headers = {"content-type": "application/json"}
    event_id = http.post("/gradio_api/call/ask", content=body, headers=headers).json()["event_id"]
    lines = http.get(f"/gradio_api/call/ask/{event_id}").text.splitlines()
    event = next(line for line in lines if line.startswith("event: ")).split(": ", 1)[1]
    data_line = next(line for line in lines if line.startswith("data: "))
    return event, json.loads(data_line.split(": ", 1)[1])


def test_questions_with_lone_surrogates_are_answered_and_bad_input_is_one_sentence(
    app: App,
) -> None:
    with app.http() as http:
        question = "Where did Zephyr Cells open a plant \ud800?"
        event, payload = ask_raw(http, question, "", "", "", None)
        assert event == "complete", payload
        answer = payload[0]  # type: ignore[index]
        assert "Lyon" in answer["answer"] and "\ufffd" in answer["standalone_question"], answer
        event, payload = ask_raw(http, "Which plant?", "2024-01-01; DROP TABLE x", "", "", None)
        assert event == "error"
        assert payload["error"] == (  # type: ignore[call-overload]
            "The 'as of' date '2024-01-01; DROP TABLE x' is not a date of the form YYYY-MM-DD."
        )
        event, payload = ask_raw(http, 42, "", "", "", None)
        assert (event, payload["error"]) == ("error", "Please type a question.")  # type: ignore[call-overload]


def test_logins_are_throttled_per_user_and_per_address(app: App) -> None:
    with httpx.Client(base_url=app.url, timeout=60) as http:
        started = time.monotonic()
        codes = [login(http, USER, f"guess-{i}") for i in range(30)]
        assert codes == [400] * 30
        assert login(http, USER, PASSWORD) == 400  # blocked: the password is not even checked
        assert login(http, "someone-else", "x") == 400
        time.sleep(LOGIN_MAX_DELAY_S + 0.2)
        assert login(http, USER, PASSWORD) == 200
        assert time.monotonic() - started >= LOGIN_MAX_DELAY_S
        assert login(http, USER, "wrong") == 400  # a wrong password never logs in


def test_nothing_is_left_in_gradios_folder_after_the_app_stops(app: App) -> None:
    stop(app.proc)  # SIGTERM, as a service manager would
    assert app.proc.returncode is not None
    assert app.files_in_gradio_temp() == []
