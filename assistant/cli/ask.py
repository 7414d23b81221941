"""``evchat ask``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cli.common import add_collection, assistant_for


def register(sub: Any) -> None:
    """Add the ``ask`` command."""
    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--as-of", help="ignore documents published after this date (YYYY-MM-DD)")
    add_collection(ask)
    ask.add_argument("--answerer", choices=["extractive", "openai", "local"])
    ask.add_argument(
        "--choice",
        action="append",
        dest="choices",
        metavar="OPTION",
        help="an option of a multiple-choice question (repeat for each option)",
    )
    ask.add_argument(
        "--conversation",
        metavar="ID",
        help="continue a saved conversation (its history is carried and this turn saved), "
        "or 'new' to start one",
    )
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Answer the question; print it with its sources (or as JSON)."""
    answer = _answer(args)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    print(answer.text)
    for s in answer.sentences:
        if not s.supported:
            print(f"  ⚠ unsupported: {s.text} — {s.explanation()}")
    for c in answer.citations:
        where = f", p. {c.page}" if c.page else ""
        print(f"  [{c.n}] {c.title} ({c.published_at or 'undated'}; {c.source}{where})")
        print(f"      “{' '.join(c.quote.split())}”")
    if answer.refused and answer.passages:
        print("Closest passages:")
        for p in answer.passages[:3]:
            print(f"  - {p.title}: {' '.join(p.text.split())[:160]}…")
    if answer.warning:
        print(f"warning: {answer.warning}", file=sys.stderr)
    return 0


def _answer(args: argparse.Namespace) -> Any:
    """The answer, asked in a saved conversation with ``--conversation``."""
    bot = assistant_for(args)
    if not args.conversation:
        return bot.ask(
            args.question, as_of=args.as_of, answerer=args.answerer, choices=args.choices
        )
    chats = bot.conversations()
    chat = chats.new() if args.conversation == "new" else chats.open(args.conversation)
    answer = chat.ask(args.question, as_of=args.as_of, answerer=args.answerer, choices=args.choices)
    if chat.save_error:
        print(f"evchat: {chat.save_error}", file=sys.stderr)
    else:
        print(f"conversation {chat.id}, question {len(chat.turns)}", file=sys.stderr)
    return answer
