"""Issue 18 item 4: login limits that hold under simultaneous guesses, across workers, against
spoofed forwarded headers, without locking the owner out, and without a flood of argon2 work.

Time is a frozen clock the tests move on (the limiter reads ``app.state.login_limiter.clock``);
the password checks are the real ones, counted by a subclass of :class:`Accounts`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.accounts.ratelimit import LoginLimiter, client_key, user_key
from assistant.accounts.service import Accounts, Principal
from assistant.accounts.throttle import Backoff, LoginThrottle
from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services, build_services
from tests.api.conftest import PASSWORD

LOGIN = "/api/v1/auth/login"


class FrozenClock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class CountingAccounts(Accounts):
    """Real accounts that count the password checks and how many ran at once."""

    def __init__(self, *args: object, delay_s: float = 0.0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.delay_s = delay_s
        self.evaluated = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def authenticate(self, username: str, password: str) -> Principal | None:
        with self._lock:
            self.evaluated += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay_s)  # a slower machine: lets overlapping checks show
            return super().authenticate(username, password)
        finally:
            with self._lock:
                self.running -= 1


def _counting(services: Services, delay_s: float = 0.0) -> CountingAccounts:
    accounts = CountingAccounts(services.db, delay_s=delay_s)
    services.__dict__["accounts"] = accounts  # replaces the cached_property's value
    return accounts


def _app(settings: Settings, services: Services, **changes: object) -> TestClient:
    # The login reads its limits from the services' settings (the app's own are the same
    # object outside tests): both get the changes.
    services.settings = settings.model_copy(update=changes)
    return TestClient(create_app(services.settings, services))


def _guess(
    client: TestClient, name: str, password: str = "wrong-guess-1", **headers: str
) -> httpx.Response:
    return client.post(LOGIN, json={"username": name, "password": password}, headers=headers)


@pytest.fixture
def accounts(services: Services) -> CountingAccounts:
    accounts = _counting(services)
    accounts.add("dan", PASSWORD, "drafter")
    accounts.add("dora", PASSWORD, "drafter")
    return accounts


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def client(
    settings: Settings, services: Services, accounts: CountingAccounts, clock: FrozenClock
) -> Iterator[TestClient]:
    with _app(settings, services, login_hash_wait_s=30.0) as c:
        c.app.state.login_limiter.clock = clock  # type: ignore[attr-defined]
        yield c


def test_simultaneous_wrong_guesses_are_counted_before_they_are_checked(
    client: TestClient, accounts: CountingAccounts
) -> None:
    # Old main checked the limit, then verified, then counted: all 30 were verified.
    with ThreadPoolExecutor(30) as pool:
        codes = list(pool.map(lambda _: _guess(client, "dan").status_code, range(30)))
    assert accounts.evaluated == 5
    # the rest refused by the back-off, or, beyond the hash gate's queue, as busy (503)
    assert codes.count(401) == 5 and 429 in codes and set(codes) <= {401, 429, 503}


def test_two_app_instances_on_one_database_share_the_limit(
    settings: Settings,
    services: Services,
    accounts: CountingAccounts,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    other = settings.model_copy(
        update={"data_dir": tmp_path / "worker2", "database_url": settings.effective_database_url}
    )
    services2 = build_services(other)
    try:
        with _app(settings, services) as a, _app(other, services2) as b:
            for c in (a, b):
                c.app.state.login_limiter.clock = clock  # type: ignore[attr-defined]
            codes = [_guess(c, "dan").status_code for c in (a, b, a, b, a, b, a, b)]
        # 5 free attempts in all, not 5 per worker (old main: eight 401s, never a 429)
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    finally:
        services2.close()


def test_the_owner_gets_in_after_a_short_back_off(client: TestClient, clock: FrozenClock) -> None:
    for _ in range(5):
        assert _guess(client, "dan").status_code == 401
    r = _guess(client, "dan", PASSWORD)  # the owner, just after someone's five guesses
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert r.json() == {"detail": "登录尝试过于频繁，请 1 秒后再试", "code": "rate_limited"}
    clock.advance(1)
    assert _guess(client, "dan").status_code == 401  # the guesser takes that slot
    r = _guess(client, "dan", PASSWORD)
    assert r.status_code == 429 and r.headers["retry-after"] == "2"  # it doubles
    clock.advance(2)
    assert _guess(client, "dan", PASSWORD).status_code == 200  # no five-minute lock-out
    # ... and the success ends the streak: the next typo is free again
    assert _guess(client, "dan").status_code == 401
    assert _guess(client, "dan", PASSWORD).status_code == 200


def test_the_wait_is_capped_however_long_the_guessing(
    settings: Settings, services: Services, accounts: CountingAccounts, clock: FrozenClock
) -> None:
    waits = []
    with _app(settings, services, login_backoff_cap_s=8) as c:
        c.app.state.login_limiter.clock = clock  # type: ignore[attr-defined]
        while len(waits) < 6:
            r = _guess(c, "dan")
            if r.status_code == 429:
                waits.append(int(r.headers["retry-after"]))
                clock.advance(waits[-1])
        assert waits == [1, 2, 4, 8, 8, 8]
        assert _guess(c, "dan", PASSWORD).status_code == 200


def test_other_accounts_are_not_held_up_by_a_guessed_one(client: TestClient) -> None:
    for _ in range(6):
        _guess(client, "dan")
    assert _guess(client, "dora", PASSWORD).status_code == 200


def test_one_address_spraying_many_accounts_is_limited(
    settings: Settings, services: Services, accounts: CountingAccounts
) -> None:
    with _app(settings, services, login_free_attempts_per_client=4) as c:
        codes = [_guess(c, f"user{i}").status_code for i in range(5)]
        # a success does not wipe the address's record, so a known password cannot launder it
        assert _guess(c, "dora", PASSWORD).status_code == 429
    assert codes == [401] * 4 + [429]


def test_forwarded_for_from_an_untrusted_peer_does_not_change_the_client_key(
    settings: Settings, services: Services, accounts: CountingAccounts
) -> None:
    throttle = LoginThrottle(services.db)
    with _app(settings, services, login_free_attempts_per_client=3) as c:
        codes = [
            _guess(c, f"user{i}", **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(4)
        ]
    assert codes == [401, 401, 401, 429]  # one client, whatever the header says
    assert throttle.failures("addr:testclient") == 3
    assert throttle.failures("addr:203.0.113.0") == 0


def test_forwarded_for_from_a_trusted_proxy_keys_each_client(
    settings: Settings, services: Services, accounts: CountingAccounts
) -> None:
    throttle = LoginThrottle(services.db)
    app = _app(settings, services, login_free_attempts_per_client=3, trusted_proxies="testclient")
    with app as c:
        codes = [
            _guess(c, f"user{i}", **{"X-Forwarded-For": f"203.0.113.{i % 2}"}).status_code
            for i in range(6)
        ]
    assert codes == [401] * 6  # two clients behind the proxy, three attempts each
    assert throttle.failures("addr:203.0.113.0") == throttle.failures("addr:203.0.113.1") == 3
    assert throttle.failures("addr:testclient") == 0


def test_argon2_work_is_bounded_during_a_flood(settings: Settings, services: Services) -> None:
    # Many accounts from many (forwarded) addresses: no back-off applies, only the hash gate.
    accounts = _counting(services, delay_s=0.2)
    app = _app(
        settings,
        services,
        trusted_proxies="testclient",
        login_hash_concurrency=2,
        login_hash_wait_s=0.3,
    )
    with app as c, ThreadPoolExecutor(24) as pool:
        started = time.monotonic()
        answers = list(
            pool.map(
                lambda i: _guess(c, f"u{i}", **{"X-Forwarded-For": f"198.51.100.{i}"}),
                range(24),
            )
        )
        elapsed = time.monotonic() - started
    assert accounts.most_at_once <= 2  # old main: one per pool thread, here up to 24
    busy = [r for r in answers if r.status_code == 503]
    assert busy and {r.headers["retry-after"] for r in busy} == {"1"}
    assert "服务器繁忙" in busy[0].json()["detail"]
    assert accounts.evaluated + len(busy) == 24
    assert elapsed < 20
    # an attempt turned away unheard does not count against its account
    throttle = LoginThrottle(services.db)
    counted = sum(throttle.failures(user_key(f"u{i}")) for i in range(24))
    assert counted == accounts.evaluated


def test_back_off_steps_double_up_to_the_cap() -> None:
    b = Backoff(free=3, cap_s=10)
    assert [b.delay_ms(f) for f in range(9)] == [0, 0, 0, 1000, 2000, 4000, 8000, 10000, 10000]


def test_client_keys() -> None:
    assert client_key("192.0.2.7") == "addr:192.0.2.7"
    assert client_key("::ffff:192.0.2.7") == "addr:192.0.2.7"
    # one IPv6 client holds a /64: all of it is one key
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") == "addr:2001:db8:1:2::/64"
    assert user_key("Dora") == user_key("dora")


def test_forgotten_streaks_are_deleted(services: Services) -> None:
    clock = FrozenClock()
    throttle = LoginLimiter(clock).throttle(services.db)
    policy = Backoff(free=5, cap_s=60, forget_s=900)
    assert throttle.reserve([("user:x", policy)]) is None
    clock.advance(959)
    assert throttle.forget_old(policy.forget_ms) == 0
    clock.advance(2)
    assert throttle.forget_old(policy.forget_ms) == 1
    assert throttle.failures("user:x") == 0
