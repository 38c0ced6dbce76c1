"""Login throttling per username and per address, with an injected clock (no sleeping)."""

from __future__ import annotations

import pytest

from photonix_rt.auth.ratelimit import LoginRateLimiter
from photonix_rt.errors import RateLimited


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(limiter: LoginRateLimiter, user: str, ip: str | None, times: int) -> None:
    for _ in range(times):
        limiter.begin(user, ip)  # never forgiven: a failed attempt


def test_user_limit_blocks_after_failures_from_any_address() -> None:
    limiter = LoginRateLimiter(per_user=3, per_ip=100, window_s=60, clock=Clock())
    fail(limiter, "alice", "10.0.0.1", 2)
    fail(limiter, "alice", "10.0.0.2", 1)
    with pytest.raises(RateLimited):
        limiter.begin("alice", "10.0.0.3")
    limiter.begin("bob", "10.0.0.3")  # other users are unaffected


def test_usernames_are_compared_ignoring_case_and_spaces() -> None:
    limiter = LoginRateLimiter(per_user=2, per_ip=100, window_s=60, clock=Clock())
    fail(limiter, "Alice", "10.0.0.1", 1)
    fail(limiter, " alice ", "10.0.0.1", 1)
    with pytest.raises(RateLimited):
        limiter.begin("ALICE", "10.0.0.9")


def test_address_limit_blocks_spraying_many_usernames() -> None:
    limiter = LoginRateLimiter(per_user=100, per_ip=5, window_s=60, clock=Clock())
    for i in range(5):
        limiter.begin(f"user{i}", "10.0.0.1")
    with pytest.raises(RateLimited):
        limiter.begin("someone-else", "10.0.0.1")
    limiter.begin("someone-else", "10.0.0.2")


def test_window_slides() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_user=2, per_ip=100, window_s=60, clock=clock)
    fail(limiter, "alice", "ip", 1)
    clock.now += 30
    fail(limiter, "alice", "ip", 1)
    with pytest.raises(RateLimited):
        limiter.begin("alice", "ip")
    clock.now += 31  # the first failure has slid out; the second has not
    limiter.begin("alice", "ip")
    with pytest.raises(RateLimited):
        limiter.begin("alice", "ip")


def test_refusals_are_not_counted() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_user=1, per_ip=100, window_s=60, clock=clock)
    fail(limiter, "alice", "ip", 1)
    for _ in range(10):
        with pytest.raises(RateLimited):
            limiter.begin("alice", "ip")
    clock.now += 61
    limiter.begin("alice", "ip")


def test_message_says_when_to_retry() -> None:
    limiter = LoginRateLimiter(per_user=1, per_ip=100, window_s=15 * 60, clock=Clock())
    fail(limiter, "alice", "ip", 1)
    with pytest.raises(RateLimited, match="15 min"):
        limiter.begin("alice", "ip")


def test_success_clears_the_users_failures() -> None:
    limiter = LoginRateLimiter(per_user=3, per_ip=100, window_s=60, clock=Clock())
    fail(limiter, "alice", "ip", 2)
    limiter.succeeded(limiter.begin("alice", "ip"))
    fail(limiter, "alice", "ip", 3)  # a fresh allowance of three
    with pytest.raises(RateLimited):
        limiter.begin("alice", "ip")


def test_success_keeps_the_addresss_failures_for_other_users() -> None:
    limiter = LoginRateLimiter(per_user=100, per_ip=4, window_s=60, clock=Clock())
    fail(limiter, "victim1", "10.0.0.1", 2)
    fail(limiter, "victim2", "10.0.0.1", 1)
    for _ in range(5):  # the attacker's own valid account, many times
        limiter.succeeded(limiter.begin("attacker", "10.0.0.1"))
    fail(limiter, "victim3", "10.0.0.1", 1)  # 4th failure from this address
    with pytest.raises(RateLimited):
        limiter.begin("victim4", "10.0.0.1")


def test_concurrent_attempts_are_counted_before_they_finish() -> None:
    limiter = LoginRateLimiter(per_user=3, per_ip=100, window_s=60, clock=Clock())
    started = [limiter.begin("alice", "ip") for _ in range(3)]  # none finished yet
    with pytest.raises(RateLimited):
        limiter.begin("alice", "ip")
    assert len(started) == 3


def test_memory_is_bounded() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_user=5, per_ip=5, window_s=60, clock=clock, max_keys=100)
    for i in range(1000):
        limiter.begin(f"user{i}", f"10.0.{i // 250}.{i % 250}")
    assert len(limiter._users) <= 100
    assert len(limiter._ips) <= 100


def test_no_address_still_limits_the_user() -> None:
    limiter = LoginRateLimiter(per_user=1, per_ip=1, window_s=60, clock=Clock())
    fail(limiter, "alice", None, 1)
    with pytest.raises(RateLimited):
        limiter.begin("alice", None)
    limiter.begin("bob", None)


def test_guessing_from_elsewhere_does_not_lock_the_owner_out_of_a_known_address() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_user=3, per_ip=100, window_s=60, clock=clock)
    limiter.succeeded(limiter.begin("alice", "10.0.0.1"))  # the owner, at home
    clock.now += 10
    for i in range(3):  # guesses from many addresses fill alice's window
        fail(limiter, "alice", f"203.0.113.{i}", 1)
    with pytest.raises(RateLimited):
        limiter.begin("alice", "203.0.113.99")  # a new address is held to the user's limit
    limiter.succeeded(limiter.begin("alice", "10.0.0.1"))  # the owner still gets in at home


def test_known_address_still_has_its_own_pair_limit() -> None:
    limiter = LoginRateLimiter(per_user=3, per_ip=100, window_s=60, clock=Clock())
    limiter.succeeded(limiter.begin("alice", "10.0.0.1"))
    fail(limiter, "alice", "10.0.0.1", 3)  # someone in the same house guessing
    with pytest.raises(RateLimited):
        limiter.begin("alice", "10.0.0.1")


def test_guessing_from_a_shared_address_does_not_lock_out_its_known_users() -> None:
    # Everyone behind one proxy or NAT: an attacker there fills the address's window.
    limiter = LoginRateLimiter(per_user=100, per_ip=4, window_s=60, clock=Clock())
    limiter.succeeded(limiter.begin("alice", "192.0.2.1"))
    for i in range(4):
        fail(limiter, f"victim{i}", "192.0.2.1", 1)
    with pytest.raises(RateLimited):
        limiter.begin("bob", "192.0.2.1")  # never signed in here: held to the address's limit
    limiter.succeeded(limiter.begin("alice", "192.0.2.1"))


def test_known_addresses_are_forgotten_after_a_while() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(per_user=2, per_ip=100, window_s=60, remember_s=3600,
                               clock=clock)
    limiter.succeeded(limiter.begin("alice", "10.0.0.1"))
    clock.now += 3601
    fail(limiter, "alice", "203.0.113.1", 2)
    with pytest.raises(RateLimited):
        limiter.begin("alice", "10.0.0.1")


def test_known_addresses_are_bounded() -> None:
    limiter = LoginRateLimiter(per_user=5, per_ip=5, window_s=60, clock=Clock(), max_keys=100)
    for i in range(1000):
        limiter.succeeded(limiter.begin(f"user{i}", f"10.0.{i // 250}.{i % 250}"))
    assert len(limiter._good) <= 100
    assert len(limiter._pairs) <= 100
