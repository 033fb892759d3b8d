"""Delivery is at least once: a worker killed mid-send resends only the message it had in flight."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from booking import ROOT
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import Clinic, Language, MessageKind, OutboxMessage, OutboxStatus, utcnow
from tests.mail.test_outbox_delivery import make_due
from tests.support.smtp import SmtpServer
from tests.support.waiting import eventually

MESSAGES = 6
KILL_AT = 3  # the worker dies once the server has stored this message, before it hears "250"


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "booking", "outbox", "work", *args]


def worker_env(database_url: str, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT),
        FLASK_SKIP_DOTENV="1",
        FLASK_SQLALCHEMY_DATABASE_URI=database_url,
        FLASK_SECRET_KEY="test-secret",
        FLASK_MAIL_SERVER="127.0.0.1",
        FLASK_MAIL_PORT=str(smtp_port),
        FLASK_MAIL_TIMEOUT="10",
        FLASK_OUTBOX_IDLE_SECONDS="0.05",
    )
    return env


def queue_not_yet_due(clinic: Clinic) -> list[str]:
    """MESSAGES acknowledgments due in an hour; their Message-IDs in sending order."""
    later = utcnow() + timedelta(hours=1)
    for n in range(MESSAGES):
        enqueue(clinic, kind=MessageKind.REQUEST_RECEIVED, dedupe_key=f"crash-{n}", to_name=f"Patient {n}",
                to_email=f"p{n}@example.com", context={"first_name": "P", "preferred_times": [], "call_me": True,
                "consent_phone": True}, now=utcnow(), due_at=later, language=Language.EN)
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage.message_id).order_by(OutboxMessage.id)))


def no_row_locked() -> bool:
    """True once every pending row can be locked (PostgreSQL frees a dead client's locks with its connection)."""
    pending = OutboxMessage.status == OutboxStatus.PENDING
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(pending))
    lockable = db.session.scalars(select(OutboxMessage.id).where(pending).with_for_update(skip_locked=True)).all()
    db.session.rollback()
    return len(lockable) == total


def test_a_killed_worker_resends_only_the_message_in_flight(
    make_clinic: Any, smtp: SmtpServer, smtp_port: int, database_url: str, tmp_path: Path, ctx: None
) -> None:
    ids = queue_not_yet_due(make_clinic())
    env = worker_env(database_url, smtp_port)

    with (tmp_path / "worker.log").open("wb") as log:
        first = subprocess.Popen(worker_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            def kill_worker(count: int) -> None:
                if count == KILL_AT:
                    os.kill(first.pid, signal.SIGKILL)

            smtp.handler.after_receive = kill_worker
            make_due()  # only now, with the hook knowing whom to kill, can the worker take them
            returncode = first.wait(timeout=60)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait(timeout=10)
    output = (tmp_path / "worker.log").read_text(errors="replace")
    assert returncode == -signal.SIGKILL, output
    smtp.handler.after_receive = None
    assert [m["Message-ID"] for m in smtp.messages] == ids[:KILL_AT]
    db.session.expire_all()
    in_flight = db.session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == ids[KILL_AT - 1]))
    assert in_flight is not None and in_flight.status is OutboxStatus.PENDING  # stored there, not recorded here

    assert eventually(no_row_locked, timeout=30)
    second = subprocess.run(worker_command("--once"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.startswith(f"sent {MESSAGES - KILL_AT + 1},"), second.stdout

    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert set(received) == set(ids)  # nothing lost
    assert {i for i, n in received.items() if n > 1} == {ids[KILL_AT - 1]}  # one resent, the one in flight
    assert received[ids[KILL_AT - 1]] == 2
    db.session.expire_all()
    assert {(r.status, r.attempts) for r in db.session.scalars(select(OutboxMessage))} == {(OutboxStatus.SENT, 1)}
