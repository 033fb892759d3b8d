"""The texts scenario: deliver 2,000 due texts through the worker to a local fake of Twilio.

The fake (tests/support/fake_twilio.py) is Twilio's Messages API over real HTTP on
127.0.0.1, and the worker talks to it with the real `twilio` client, as in the tests.
Runs, on the database of `target` (the outbox scenario's, after it): the floor (the
twilio client sending the same texts in one loop, no database), 1 worker, and on
PostgreSQL 4 workers (`flask outbox work --once --channel sms`). The fake counts what it
accepted per body, so a text sent twice shows as a duplicate.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from bench.config import ROOT, VENV_BIN, Target, app_environment

TEXTS = int(os.environ.get("BENCH_TEXTS", "2000"))
KEY_PREFIX = "bench-sms:"


class _Timed(list):  # type: ignore[type-arg]
    """The fake's list of accepted texts, noting when the first and the last arrived."""

    first = last = 0.0

    def append(self, item: Any) -> None:
        self.last = time.perf_counter()
        if not self:
            self.first = self.last
        super().append(item)

    def clear(self) -> None:
        self.first = self.last = 0.0
        super().clear()


def _fake() -> Any:
    sys.path.insert(0, str(ROOT))
    from tests.support.fake_twilio import FakeTwilio

    fake = FakeTwilio(messages=_Timed())
    fake.start()
    return fake


def _environment(target: Target, fake: Any) -> dict[str, str]:
    from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

    return dict(app_environment(target), FLASK_SMS_PROVIDER="twilio", FLASK_TWILIO_ACCOUNT_SID=ACCOUNT_SID,
                FLASK_TWILIO_AUTH_TOKEN=AUTH_TOKEN, FLASK_TWILIO_FROM_NUMBER=FROM_NUMBER,
                FLASK_TWILIO_API_BASE_URL=fake.base_url)


def _app(env: dict[str, str]) -> Any:
    os.environ.update(env)
    from booking import create_app

    return create_app()


def seed(env: dict[str, str], count: int = TEXTS) -> None:
    """Replace earlier bench texts with `count` due ones, copied from one the app's own code made."""
    from datetime import timedelta

    from booking.extensions import db
    from booking.mail.sms_outbox import enqueue_text
    from booking.models import Clinic, MessageKind, OutboxMessage, OutboxStatus, utcnow

    with _app(env).app_context():
        clean()
        now = utcnow()
        clinic = db.session.scalar(select(Clinic).order_by(Clinic.id).limit(1))
        sample = enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key=f"{KEY_PREFIX}template",
                              phone="+13125550100", body="", now=now, reply=True)
        assert sample is not None, "the bench's number is opted out"
        columns = [c.name for c in OutboxMessage.__table__.columns if c.name != "id"]
        template = {c: getattr(sample, c) for c in columns}
        db.session.rollback()
        rows = []
        for i in range(count):
            row = dict(template)
            row.update(dedupe_key=f"{KEY_PREFIX}{i}", message_id=f"<bench-sms-{i}-{now.timestamp()}@bench.localhost>",
                       recipient=f"+1312555{i % 10_000:04d}",
                       body_text=f"{clinic.name}: your visit is on Tue, Mar 3 at 9:30 AM. Reply C to confirm. #{i}",
                       status=OutboxStatus.PENDING, due_at=now - timedelta(minutes=1),
                       next_attempt_at=now - timedelta(minutes=1), created_at=now, attempts=0, sent_at=None,
                       provider_message_id=None)
            rows.append(row)
        db.session.execute(insert(OutboxMessage), rows)
        db.session.commit()


def clean() -> None:
    from booking.extensions import db
    from booking.models import OutboxMessage

    db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{KEY_PREFIX}%")))
    db.session.commit()


def reset(env: dict[str, str]) -> None:
    """Make every bench text due again (between runs)."""
    from booking.extensions import db
    from booking.models import OutboxMessage, OutboxStatus

    with _app(env).app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{KEY_PREFIX}%"))
                           .values(status=OutboxStatus.PENDING, attempts=0, sent_at=None, provider_message_id=None))
        db.session.commit()


def _sent(env: dict[str, str]) -> int:
    from booking.extensions import db
    from booking.models import OutboxMessage, OutboxStatus

    with _app(env).app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.dedupe_key.like(f"{KEY_PREFIX}%"), OutboxMessage.status == OutboxStatus.SENT)) or 0


def _received(fake: Any, wall: float) -> dict[str, Any]:
    """What the fake accepted: texts per second from the first to the last (start-up excluded)."""
    ours = [m for m in fake.messages if "Reply C to confirm. #" in m["Body"]]  # not the demo's own replies
    bodies = Counter(m["Body"] for m in ours)
    count = len(ours)
    seconds = fake.messages.last - fake.messages.first
    return {"count": count, "duplicates": sum(n - 1 for n in bodies.values() if n > 1),
            "seconds": round(seconds, 2), "wall_seconds": round(wall, 2),
            "per_s": round(count / seconds, 1) if seconds else 0.0}


def floor(env: dict[str, str], fake: Any) -> dict[str, Any]:
    """The twilio client alone sending the same texts in one loop."""
    from twilio.rest import Client

    from booking.extensions import db
    from booking.models import OutboxMessage

    with _app(env).app_context():
        texts = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.body_text).where(
            OutboxMessage.dedupe_key.like(f"{KEY_PREFIX}%")).order_by(OutboxMessage.id)).all()
    client = Client(env["FLASK_TWILIO_ACCOUNT_SID"], env["FLASK_TWILIO_AUTH_TOKEN"])
    client.api.base_url = fake.base_url
    fake.messages.clear()
    started = time.perf_counter()
    for to, body in texts:
        client.messages.create(to=to, from_=env["FLASK_TWILIO_FROM_NUMBER"], body=body)
    return _received(fake, time.perf_counter() - started)


def run_workers(env: dict[str, str], fake: Any, workers: int) -> dict[str, Any]:
    """`flask outbox work --once --channel sms` in `workers` processes until no text is due."""
    fake.messages.clear()
    started = time.perf_counter()
    processes = [subprocess.Popen([str(VENV_BIN / "flask"), "--app", "booking", "outbox", "work", "--once",
                                   "--channel", "sms"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(workers)]
    outputs = [p.communicate(timeout=900)[0] for p in processes]
    stats = _received(fake, time.perf_counter() - started)
    stats.update(workers=workers, sent_in_db=_sent(env), worker_output=[o.strip()[-200:] for o in outputs])
    return stats


def run(target: Target, log: Any = print) -> dict[str, Any]:
    """The whole texts scenario for one database."""
    fake = _fake()
    try:
        env = _environment(target, fake)
        seed(env)
        results: dict[str, Any] = {"floor": floor(env, fake)}
        log(f"[sms] {target.name} twilio client floor: {results['floor']['per_s']} texts/s")
        for workers in (1, 4) if target.engine == "postgres" else (1,):
            reset(env)
            results[f"workers_{workers}"] = r = run_workers(env, fake, workers)
            log(f"[sms] {target.name} {workers} worker(s): {r['per_s']} texts/s, {r['count']} received, "
                f"{r['duplicates']} duplicates, {r['sent_in_db']} marked sent")
        with _app(env).app_context():
            clean()
        return results
    finally:
        fake.stop()


if __name__ == "__main__":
    print(run(Target(sys.argv[1], int(sys.argv[2]))))
