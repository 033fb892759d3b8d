"""The outbox scenario: deliver 10,000 due messages to a local aiosmtpd sink.

Half the messages are request acknowledgments; half are booking confirmations
with an .ics and a secret link (so the worker also checks the appointment and
stores a link token). Both are rendered once by the app's own templates and
copied. Runs, in order: the floor (Python's smtplib sending the same messages
over one persistent connection), 1 worker, and on PostgreSQL 4 workers, each
against a fresh sink that counts Message-IDs, so a duplicate would show.
"""
from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from bench.config import (
    HOST,
    OUTBOX_KEY_PREFIX,
    PYTHON,
    ROOT,
    SCRATCH,
    SMTP_PORT,
    VENV_BIN,
    Target,
    app_environment,
)

MESSAGES = 10_000


def _app(target: Target) -> Any:
    os.environ.update(app_environment(target))
    from booking import create_app

    return create_app()


def _templates(clinic: Any, appointment: Any, now: Any) -> list[dict[str, Any]]:
    """One rendered row of each kind, made by the app's own code, then rolled back."""
    from booking.extensions import db
    from booking.mail.outbox import enqueue
    from booking.models import Language, OutboxMessage, Service
    from booking.operations.notices import notify_patient

    notify_patient(clinic, appointment, "appointment_booked", now)
    service = db.session.scalar(select(Service).where(Service.clinic_id == clinic.id, Service.public.is_(True)))
    enqueue(clinic, kind="request_received", dedupe_key="bench-template", to_name="Pat Bench",
            to_email="pat@requests.bench.example", now=now, language=Language.EN,
            context={"first_name": "Pat", "service": service, "preferred_times": [appointment.starts_at],
                     "call_me": False, "consent_phone": True})
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.created_at == now)).all()
    columns = [c.name for c in OutboxMessage.__table__.columns if c.name != "id"]
    samples = [{c: getattr(r, c) for c in columns} for r in rows]
    db.session.rollback()
    return samples


def seed(target: Target, count: int = MESSAGES) -> None:
    """Replace earlier bench messages with `count` due ones."""
    from datetime import timedelta

    from booking.extensions import db
    from booking.models import (
        OCCUPYING_STATUSES,
        Appointment,
        Clinic,
        ManageToken,
        OutboxMessage,
        OutboxStatus,
        utcnow,
    )

    with _app(target).app_context():
        clean(target)
        now = utcnow()
        clinic = db.session.scalar(select(Clinic).where(Clinic.id == 1))
        appointments = db.session.scalars(
            select(Appointment).where(Appointment.clinic_id == 1, Appointment.starts_at > now + timedelta(days=2),
                                      Appointment.status.in_(OCCUPYING_STATUSES)).order_by(Appointment.id).limit(2000)
        ).all()
        samples = _templates(clinic, appointments[0], now)
        rows = []
        for i in range(count):
            row = dict(samples[i % len(samples)])
            if row["appointment_id"] is not None:
                appointment = appointments[i % len(appointments)]
                row.update(appointment_id=appointment.id, appointment_version=appointment.version)
            row.update(dedupe_key=f"{OUTBOX_KEY_PREFIX}{i}", message_id=f"<bench-{i}-{now.timestamp()}@bench.localhost>",
                       recipient=f"Patient {i} <bench{i}@patients.bench.example>", status=OutboxStatus.PENDING,
                       due_at=now - timedelta(minutes=1), next_attempt_at=now - timedelta(minutes=1),
                       created_at=now, attempts=0, sent_at=None)
            rows.append(row)
        db.session.execute(insert(OutboxMessage), rows)
        db.session.execute(delete(ManageToken))
        db.session.commit()


def clean(target: Target) -> None:
    """Remove the bench's messages and the link tokens their sending made."""
    from booking.extensions import db
    from booking.models import ManageToken, OutboxMessage

    db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{OUTBOX_KEY_PREFIX}%")))
    db.session.execute(delete(ManageToken))
    db.session.commit()


def reset(target: Target) -> None:
    """Make every bench message due again (between runs)."""
    from booking.extensions import db
    from booking.models import ManageToken, OutboxMessage, OutboxStatus

    with _app(target).app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{OUTBOX_KEY_PREFIX}%"))
                           .values(status=OutboxStatus.PENDING, attempts=0, sent_at=None))
        db.session.execute(delete(ManageToken))
        db.session.commit()


def _state(target: Target) -> dict[str, int]:
    from booking.extensions import db
    from booking.models import ManageToken, OutboxMessage

    with _app(target).app_context():
        by_status = dict(db.session.execute(
            select(OutboxMessage.status, func.count()).where(OutboxMessage.dedupe_key.like(f"{OUTBOX_KEY_PREFIX}%"))
            .group_by(OutboxMessage.status)).all())
        tokens = db.session.scalar(select(func.count()).select_from(ManageToken))
        return {**{s.value: n for s, n in by_status.items()}, "link_tokens": tokens or 0}


class Sink:
    """The aiosmtpd sink as a separate process."""

    def __init__(self, label: str) -> None:
        self.stats_path = SCRATCH / f"sink-{label}.json"
        self.stats_path.unlink(missing_ok=True)
        try:
            socket.create_connection((HOST, SMTP_PORT), timeout=1).close()
            raise RuntimeError(f"something already listens on {HOST}:{SMTP_PORT} (BENCH_SMTP_PORT)")
        except ConnectionRefusedError:
            pass
        self.process = subprocess.Popen([PYTHON, "-m", "bench.smtp_sink", "--port", str(SMTP_PORT),
                                         "--stats", str(self.stats_path)], cwd=ROOT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the SMTP sink exited with {self.process.returncode}")
            try:
                socket.create_connection((HOST, SMTP_PORT), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    def finish(self) -> dict[str, Any]:
        """Stop it and read what it counted."""
        import json

        self.process.terminate()
        self.process.wait(timeout=30)
        stats = json.loads(self.stats_path.read_text())
        window = (stats["last"] - stats["first"]) if stats["count"] > 1 else 0
        stats["seconds"] = round(window, 2)
        stats["per_s"] = round(stats["count"] / window, 1) if window else 0.0
        return stats


def smtplib_floor(target: Target) -> dict[str, Any]:
    """Python's smtplib sending the same messages over one connection."""
    from booking.extensions import db
    from booking.models import OutboxMessage

    with _app(target).app_context():
        rows = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.dedupe_key.like(f"{OUTBOX_KEY_PREFIX}%")).order_by(OutboxMessage.id)).all()
        messages = [(r.subject, r.sender, r.recipient, r.message_id, r.body_text, r.body_html, r.ics, r.ics_method)
                    for r in rows]
    sink = Sink("floor")
    with smtplib.SMTP(HOST, SMTP_PORT, timeout=30) as smtp:
        for subject, sender, recipient, message_id, text, html, ics, method in messages:
            message = EmailMessage()
            message["Subject"], message["From"], message["To"] = subject, sender, recipient
            message["Message-ID"] = message_id
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            if ics:
                message.add_attachment(ics.encode(), maintype="text", subtype="calendar",
                                       filename="appointment.ics", params={"method": method})
            smtp.send_message(message)
    return sink.finish()


def run_workers(target: Target, workers: int) -> dict[str, Any]:
    """`flask outbox work --once` in `workers` processes until the queue is empty."""
    sink = Sink(f"workers-{workers}")
    env = app_environment(target)
    started = time.perf_counter()
    processes = [subprocess.Popen([str(VENV_BIN / "flask"), "--app", "booking", "outbox", "work", "--once"],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(workers)]
    outputs = [p.communicate(timeout=900)[0] for p in processes]
    wall = time.perf_counter() - started
    stats = sink.finish()
    stats.update(workers=workers, wall_seconds=round(wall, 2), worker_output=[o.strip()[-200:] for o in outputs],
                 db=_state(target))
    return stats


def run(target: Target, log: Any = print) -> dict[str, Any]:
    """The whole outbox scenario for one database."""
    seed(target)
    results: dict[str, Any] = {"floor": smtplib_floor(target)}
    log(f"[outbox] {target.name} smtplib floor: {results['floor']['per_s']} msg/s")
    for workers in (1, 4) if target.engine == "postgres" else (1,):
        reset(target)
        results[f"workers_{workers}"] = run_workers(target, workers)
        r = results[f"workers_{workers}"]
        log(f"[outbox] {target.name} {workers} worker(s): {r['per_s']} msg/s, {r['count']} received, "
            f"{r['duplicates']} duplicates, db {r['db']}")
    with _app(target).app_context():
        clean(target)
    return results


if __name__ == "__main__":
    print(run(Target(sys.argv[1], int(sys.argv[2]))))
