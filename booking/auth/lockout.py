"""The per-account limit on failed sign-ins, kept in the rate limiter's storage (Redis when shared).

Counted by the email typed, whether or not an account has it, so a locked answer says
nothing about which addresses exist. Failed passwords and failed second-factor codes both
count. A browser that signed in to the account before is exempt (booking/auth/sessions.py),
so an attacker cannot lock the real user out; an admin can unlock the account.
"""
from __future__ import annotations

import time

from flask import current_app
from limits import RateLimitItem, parse_many

from booking.extensions import limiter

NAMESPACE = "login-account"


def _limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])


def _key(email: str) -> str:
    return email.strip().lower()


def seconds_locked(email: str) -> int:
    """0 if the account may try again now, else about how long until it may."""
    waits = []
    for item in _limits():
        if not limiter.limiter.test(item, NAMESPACE, _key(email)):
            reset, _ = limiter.limiter.get_window_stats(item, NAMESPACE, _key(email))
            waits.append(max(1, int(reset - time.time())))
    return max(waits, default=0)


def count_failure(email: str) -> None:
    """One more failed attempt against this account."""
    for item in _limits():
        limiter.limiter.hit(item, NAMESPACE, _key(email))


def unlock(email: str) -> None:
    """Forget this account's failed attempts."""
    for item in _limits():
        limiter.limiter.clear(item, NAMESPACE, _key(email))
