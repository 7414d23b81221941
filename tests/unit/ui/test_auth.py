"""EVCHAT_AUTH parsing (one pair, a file of pairs, clear errors) and login throttling."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ui.auth import LoginThrottle, parse_auth


def test_no_setting_means_no_login() -> None:
    assert parse_auth(None) is None and parse_auth("") is None


def test_one_pair_and_a_file_of_pairs(tmp_path: Path) -> None:
    assert parse_auth("ana:s3cret:x") == [("ana", "s3cret:x")]
    users = tmp_path / "users.txt"
    users.write_text("# analysts\nana:one\n\nben:two\n", encoding="utf-8")
    assert parse_auth(str(users)) == [("ana", "one"), ("ben", "two")]


def test_malformed_lines_stop_the_app_with_one_line(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("no-colon-here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="expected 'user:password'"):
        parse_auth(str(users))
    users.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="names no user"):
        parse_auth(str(users))


class Clock:
    """A settable clock, so that the throttle's delays are tested without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def attempt(throttle: LoginThrottle, user: str, password: str) -> bool:
    return asyncio.run(throttle.check(user, password))


def test_right_password_logs_in_and_wrong_ones_do_not() -> None:
    throttle = LoginThrottle([("ana", "s3cret")], base_s=0.001)
    assert attempt(throttle, "ana", "s3cret")
    assert not attempt(throttle, "ana", "guess")
    assert not attempt(throttle, "nobody", "s3cret")


def test_repeated_failures_block_even_the_right_password_for_a_growing_time() -> None:
    clock = Clock()
    throttle = LoginThrottle([("ana", "s3cret")], free=3, base_s=0.001, max_s=60, clock=clock)
    for _ in range(3):
        assert not attempt(throttle, "ana", "guess")
    assert attempt(throttle, "ana", "s3cret")  # three failures are free
    for _ in range(4):
        assert not attempt(throttle, "ana", "guess")
    first = throttle.records["user:ana"].blocked_until - clock.now
    assert not attempt(throttle, "ana", "s3cret")  # blocked: refused without checking
    clock.now += first + 0.0001
    assert not attempt(throttle, "ana", "guess")
    second = throttle.records["user:ana"].blocked_until - clock.now
    assert second == pytest.approx(2 * first)
    clock.now += second + 0.0001
    assert attempt(throttle, "ana", "s3cret")
    assert "user:ana" not in throttle.records


def test_the_delay_is_capped() -> None:
    clock = Clock()
    throttle = LoginThrottle([("ana", "x")], free=0, base_s=0.001, max_s=0.004, clock=clock)
    for _ in range(12):
        attempt(throttle, "ana", "guess")
        clock.now = throttle.records["user:ana"].blocked_until
    assert throttle.records["user:ana"].blocked_until - clock.now <= 0.004


def test_failures_from_one_address_slow_down_every_user_name_it_tries() -> None:
    clock = Clock()
    throttle = LoginThrottle([("ana", "s3cret")], free=2, base_s=0.001, clock=clock)
    for name in ("a", "b", "c"):
        assert not attempt(throttle, name, "guess")
    assert throttle.records["addr:?"].blocked_until > clock.now
    assert not attempt(throttle, "ana", "s3cret")  # same (unknown) address: blocked too


def test_gradio_sees_the_check_as_a_coroutine_function() -> None:
    """Gradio awaits ``auth`` only if this holds; otherwise a coroutine object (truthy)
    would let every password in."""
    import inspect

    assert inspect.iscoroutinefunction(LoginThrottle([("ana", "x")]).check)


def test_an_unreadable_auth_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"^EVCHAT_AUTH: expected .* cannot read '.*missing'"):
        parse_auth(str(tmp_path / "missing"))
