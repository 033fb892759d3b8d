"""Command-line tools: `flask seed-demo`, `flask outbox send`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from booking.extensions import db
from booking.models import utcnow

outbox_cli = AppGroup("outbox", help="Deliver queued email.")


@outbox_cli.command("send")
@click.option("--limit", default=1000, show_default=True, help="Most messages to send in this run.")
def outbox_send(limit: int) -> None:
    """Send the messages that are due, once."""
    from booking.mail.delivery import deliver_due

    report = deliver_due(limit)
    click.echo(f"sent {report.sent}, will retry {report.retried}, failed {report.failed}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create (or refresh) the demo clinics."""
    from booking.demo import seed_demo
    from booking.queries.availability import clinic_zone

    clinics = seed_demo(utcnow().date())
    db.session.commit()
    for clinic in clinics:
        today = utcnow().astimezone(clinic_zone(clinic)).date()
        click.echo(f"{clinic.name}: /{clinic.slug}/ ({clinic.timezone}, today {today})")


def register_cli(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_demo_command)
