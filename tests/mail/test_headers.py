"""Names typed as RFC 2047 encoded words reach no header as one: what the server gets has no CR/LF."""
from __future__ import annotations

import base64
import re
from datetime import date, datetime, timezone
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import time_machine
from flask.testing import FlaskClient

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.mail.outbox import display_name, header_safe
from booking.models import Clinic, Patient, utcnow
from booking.operations.booking import BookingSpec, book
from tests.factories import chairs, service
from tests.support.clinic_time import local
from tests.support.request_form import form_data
from tests.support.smtp import SmtpServer

# Decoded, each would be "Eve", CR LF, "Bcc: victim@example.net" (and more headers).
Q_NAME = "=?utf-8?q?Eve=0D=0ABcc=3A_victim=40example.net=0D=0AX-Evil=3A_1?= Testpatient"
B_NAME = "=?utf-8?b?" + base64.b64encode(b"Eve\r\nBcc: victim@example.net").decode() + "?= Testpatient"
CLINIC_NAME = "=?utf-8?q?Lakeside=0D=0AX-Injected=3A_1?= Infusions"
INJECTED = {"bcc", "x-evil", "x-injected"}


def unfolded_decoded(raw: str) -> str:
    """A raw header as a lenient reader shows it: unfolded, every encoded word decoded."""
    return str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", raw))))


def squeezed(text: str) -> str:
    return "".join(text.split())


def assert_nothing_injected(message: EmailMessage) -> None:
    injected = INJECTED & {key.lower() for key in message}
    assert not injected, injected
    for name, raw in message.raw_items():
        shown = unfolded_decoded(raw)
        assert "\r" not in shown and "\n" not in shown, (name, shown)
        assert not re.search(r"(?i)\b(bcc|x-evil|x-injected):", shown), (name, shown)
    for name in ("From", "To"):
        # policy.default refuses (ValueError) an address whose decoded name holds CR or LF.
        [address] = message[name].addresses
        assert "=?" not in address.display_name and "\r" not in address.display_name, address
    assert "=?" not in message["Subject"]


def test_encoded_words_are_broken_and_the_rest_kept() -> None:
    assert display_name(Q_NAME) == "= ?utf-8?q?Eve=0D=0ABcc=3A_victim=40example.net=0D=0AX-Evil=3A_1? = Testpatient"
    assert header_safe("a=?=?b?=c") == "a= ? = ?b? =c"
    for name in ("Zoë O'Brien-Smith", "José García", "Ana = Maria? Yes"):
        assert display_name(name) == name


def test_request_form_with_encoded_word_names(
    client: FlaskClient, make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    clinic = make_clinic(name=CLINIC_NAME)
    for n, name in enumerate((Q_NAME, B_NAME)):
        data = form_data(clinic, full_name=name, email=f"eve{n}@example.com")
        assert client.post(f"/{clinic.slug}/request", data=data).status_code == 303
    assert deliver_due().sent == 2

    assert smtp.handler.recipients == [["eve0@example.com"], ["eve1@example.com"]]
    for message in smtp.messages:
        assert_nothing_injected(message)
    q, b = smtp.messages
    # Still the name as typed, only never an encoded word (the email package's folding
    # of an overlong word may add a space inside it).
    assert squeezed(q["To"].addresses[0].display_name) == squeezed(display_name(Q_NAME))
    assert squeezed(b["To"].addresses[0].display_name) == squeezed(display_name(B_NAME))
    assert squeezed(q["From"].addresses[0].display_name) == squeezed("= ?utf-8?q?Lakeside=0D=0AX-Injected=3A_1? = Infusions")
    assert q["From"].addresses[0].addr_spec == clinic.email


def test_booking_confirmation_with_encoded_word_names(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic: Clinic = make_clinic(name=CLINIC_NAME)
    person = Patient(clinic_id=clinic.id, full_name=B_NAME, email="eve@example.com",
                     phone="+13125550188", date_of_birth=date(1980, 1, 1))
    db.session.add(person)
    db.session.commit()
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=timezone.utc), tick=False):
        spec = BookingSpec(service=service(clinic, "infusion"), patient=person, start=local(clinic, date(2030, 4, 9), 9),
                           chair_id=chairs(clinic)[0].id, override_consult_first=True)
        book(clinic, spec, actor_id=None, now=utcnow())
        db.session.commit()
        assert deliver_due().sent == 1
    [message] = smtp.messages
    assert smtp.handler.recipients == [["eve@example.com"]]
    assert_nothing_injected(message)
    assert message["To"].addresses[0].addr_spec == "eve@example.com"
    assert message["Subject"].startswith("Your appointment at = ?utf-8?q?Lakeside")
