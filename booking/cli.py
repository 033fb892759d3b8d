"""Command-line tools: `flask seed-demo`, `flask outbox send`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from booking.extensions import db
from booking.models import Clinic, Membership, Role, StaffUser, utcnow

outbox_cli = AppGroup("outbox", help="Deliver queued email.")


@outbox_cli.command("send")
@click.option("--limit", default=1000, show_default=True, help="Most messages to send in this run.")
def outbox_send(limit: int) -> None:
    """Send the messages that are due, once."""
    from booking.mail.delivery import deliver_due

    report = deliver_due(limit)
    click.echo(f"sent {report.sent}, will retry {report.retried}, failed {report.failed}, "
               f"void {report.voided}, skipped {report.skipped}")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit (for cron).")
@click.option("--idle", type=float, default=None, help="Seconds to wait when nothing is due.")
@click.option("--channel", type=click.Choice(["email", "sms"]), default=None,
              help="Deliver only emails or only texts (default: both).")
def outbox_work(once: bool, idle: float | None, channel: str | None) -> None:
    """Deliver due messages until stopped; SIGTERM finishes the current message and exits."""
    from flask import current_app

    from booking.mail.worker import run_worker
    from booking.models import Channel

    config = current_app.config
    totals = run_worker(
        once=once,
        idle_seconds=idle if idle is not None else config["OUTBOX_IDLE_SECONDS"],
        batch=config["OUTBOX_BATCH"],
        channel=Channel(channel) if channel else None,
    )
    click.echo(f"sent {totals.sent}, will retry {totals.retried}, failed {totals.failed}, "
               f"void {totals.voided}, skipped {totals.skipped}, deferred {totals.deferred}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create (or refresh) the demo clinics."""
    from booking.demo import DEMO_STAFF, seed_demo

    clinics = seed_demo(utcnow().date())
    db.session.commit()
    for clinic in clinics:
        today = clinic.today(utcnow())
        click.echo(f"{clinic.name}: /{clinic.slug}/ ({clinic.timezone}, today {today})")
    click.echo("Staff sign-in at /staff/login (demo accounts, both clinics):")
    for email, password, role in DEMO_STAFF:
        click.echo(f"  {role.value:<11} {email}  password: {password}")


staff_cli = AppGroup("staff", help="Manage staff accounts.")

MIN_PASSWORD_LENGTH = 12


@staff_cli.command("create")
@click.option("--email", required=True, help="Sign-in email.")
@click.option("--clinic", "clinic_slug", required=True, help="Clinic slug, e.g. riverside-infusion.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Full name (defaults to the email's local part).")
@click.password_option(help="Prompted for if not given.")
def staff_create(email: str, clinic_slug: str, role: str, name: str, password: str) -> None:
    """Create a staff account, or add a clinic and role to an existing one."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == clinic_slug))
    if clinic is None:
        raise click.BadParameter(f"no clinic with slug {clinic_slug!r}", param_hint="--clinic")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password")
    email = email.strip().lower()
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    if user is None:
        user = StaffUser(email=email, full_name=name or email.split("@")[0])
        db.session.add(user)
    user.password_hash = generate_password_hash(password)
    membership = next((m for m in user.memberships if m.clinic_id == clinic.id), None)
    if membership is None:
        user.memberships.append(Membership(clinic_id=clinic.id, role=Role(role)))
    else:
        membership.role = Role(role)
    db.session.commit()
    click.echo(f"{email} is {role} at {clinic.name}")


def register_cli(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(outbox_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(seed_demo_command)
