"""20 concurrent chats across 4 users keep their histories apart: over the Python API, and
through the running app's login and its ``/chat`` endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from assistant import Assistant, Settings
from tests.fixtures.app import app_process
from tests.fixtures.corpus import write_markdown
from tests.fixtures.workspace import KESTREL, VOLTA, WORKSPACE_DOCS

USERS = ["ann", "bob", "cyd", "dee"]
FIRST = [VOLTA, KESTREL, "How many sodium-ion packs does the Quillon Motors line make?"]
FOLLOW_UP = "And when does that start?"
# What each first question is about, which its follow-up's standalone question must name.
SUBJECT = {VOLTA: "Volta Iberia", KESTREL: "Kestrel Freight", FIRST[2]: "Quillon Motors"}


def plan(i: int) -> tuple[str, str]:
    """Chat ``i``: its user and its first question (5 chats per user)."""
    return USERS[i % 4], FIRST[i % 3]


def test_twenty_concurrent_chats_over_the_api_keep_users_apart(workspace_bot: Assistant) -> None:
    people = [f"api-{u}" for u in USERS]

    def chat(i: int) -> tuple[str, str, str]:
        user, question = people[i % 4], FIRST[i % 3]
        conversation = workspace_bot.conversations(user).new()
        conversation.ask(question)
        conversation.ask(FOLLOW_UP)
        assert conversation.save_error is None
        return user, conversation.id, question

    with ThreadPoolExecutor(max_workers=10) as pool:
        done = list(pool.map(chat, range(20)))
    for user in people:
        mine = {cid: q for u, cid, q in done if u == user}
        listed = workspace_bot.conversations(user).list()
        assert {c.id for c in listed} == set(mine) and len(mine) == 5
        for c in listed:
            turns = workspace_bot.conversations(user).open(c.id).turns
            assert [t.question for t in turns] == [mine[c.id], FOLLOW_UP]
            searched = turns[1].standalone_question  # its own history, no other
            assert [s for s in SUBJECT.values() if s in searched] == [SUBJECT[mine[c.id]]]


@pytest.fixture(scope="module")
def team_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("team_app")
    for name, (title, date, body) in WORKSPACE_DOCS.items():
        write_markdown(root / "corpus", name, title, body, date=date)
    Assistant(Settings(home=root / "home")).index([root / "corpus"])
    users = root / "users.txt"
    users.write_text("".join(f"{u}:{u}-pw\n" for u in USERS), encoding="utf-8")
    with app_process(root / "home", {"EVCHAT_AUTH": str(users)}) as url:
        yield url


def client(url: str, user: str) -> Client:
    # a generous timeout: twenty chats share a busy two-core machine
    return Client(url, auth=(user, f"{user}-pw"), verbose=False, httpx_kwargs={"timeout": 300})


def test_twenty_concurrent_chats_through_the_app_keep_users_apart(team_app: str) -> None:
    clients = {user: client(team_app, user) for user in USERS}  # one session per user

    def chat(i: int) -> tuple[str, str, str]:
        user, question = plan(i)
        c = clients[user]
        first: dict[str, Any] = c.predict(question, api_name="/chat")
        assert first["saved"] and first["turn"] == 1, first
        second: dict[str, Any] = c.predict(FOLLOW_UP, first["conversation_id"], api_name="/chat")
        assert second["conversation_id"] == first["conversation_id"] and second["turn"] == 2
        assert SUBJECT[question] in second["answer"]["standalone_question"]
        return user, first["conversation_id"], question

    with ThreadPoolExecutor(max_workers=10) as pool:
        done = list(pool.map(chat, range(20)))
    for user in USERS:
        mine = {cid: q for u, cid, q in done if u == user}
        c = clients[user]
        listed = c.predict(api_name="/conversations")
        assert {x["id"] for x in listed} == set(mine) and len(mine) == 5
        assert all(x["user"] == user and x["turns"] == 2 for x in listed)
        some_id = next(iter(mine))
        data = c.predict(some_id, "json", api_name="/conversation")
        assert [t["question"] for t in data["turns"]] == [mine[some_id], FOLLOW_UP]
        others = [cid for u, cid, _q in done if u != user]
        with pytest.raises(Exception, match="no conversation"):
            c.predict(others[0], "json", api_name="/conversation")
        with pytest.raises(Exception, match="no conversation"):
            c.predict("Continue someone else's chat?", others[0], api_name="/chat")


def test_a_corrupt_history_file_leaves_the_app_answering(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("corrupt_history_app")
    for name, (title, date, body) in WORKSPACE_DOCS.items():
        write_markdown(root / "corpus", name, title, body, date=date)
    Assistant(Settings(home=root / "home")).index([root / "corpus"])
    bad = root / "home" / "conversations.sqlite"
    bad.write_bytes(b"not a database " * 400)
    with app_process(root / "home") as url:
        c = Client(url, verbose=False)
        result = c.predict(VOLTA, api_name="/chat")
        assert not result["answer"]["refused"] and "Zaragoza" in result["answer"]["answer"]
        assert result["saved"] is False
        assert "cannot be read" in result["history_error"] and "\n" not in result["history_error"]
        with pytest.raises(Exception, match="cannot be read"):
            c.predict(api_name="/conversations")
        assert not c.predict(KESTREL, "", api_name="/ask")["refused"]
    log = (root / "home" / "app.log").read_text(errors="replace")
    # the only tracebacks are Gradio's log of the one-line error /conversations raised
    assert log.count("Traceback") == log.count("gradio.exceptions.Error: 'The conversation")
    assert Path(bad).read_bytes().startswith(b"not a database")  # never overwritten
