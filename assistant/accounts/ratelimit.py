"""What one app keeps between logins: the clock, the argon2 gate, and how clients are keyed.

The counts themselves live in the database (:mod:`assistant.accounts.throttle`), so every worker
on it shares them; only the hash gate is per process, as the memory it protects is.
"""

from __future__ import annotations

import ipaddress
import time

from assistant.accounts.hashgate import HashGate
from assistant.accounts.throttle import Clock, LoginThrottle
from assistant.storage.db import Database

# An IPv6 client usually holds a whole /64: keyed by single addresses it would have 2^64 keys.
IPV6_PREFIX = 64


def user_key(username: str) -> str:
    # casefold: "Dora" and "dora" share one budget (a stricter limit, never a looser one)
    return "user:" + username.casefold()


def client_key(host: str) -> str:
    """The key of a client address (already the proxy's word only for trusted proxies)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "addr:" + host[:200]  # a name such as TestClient's "testclient"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"addr:{address.ipv4_mapped}"
        network = ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False)
        return f"addr:{network}"
    return f"addr:{address}"


class LoginLimiter:
    def __init__(self, clock: Clock = time.time) -> None:
        self.clock = clock  # tests replace it; read on every use
        self._gate: HashGate | None = None
        self._throttles: dict[int, LoginThrottle] = {}

    def now(self) -> float:
        return self.clock()

    def gate(self, slots: int, wait_s: float) -> HashGate:
        """The process's hash gate, sized by the first caller (the settings do not change)."""
        if self._gate is None:
            self._gate = HashGate(slots, wait_s)
        return self._gate

    def throttle(self, db: Database) -> LoginThrottle:
        throttle = self._throttles.get(id(db))
        if throttle is None:
            throttle = self._throttles[id(db)] = LoginThrottle(db, clock=self.now)
        return throttle
