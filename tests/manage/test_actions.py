"""What a patient does from their page: confirm, driver, cancel, move; each audited, each a POST."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)
from booking.templating import format_day
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import CANARY_CONDITION, CANARY_MEDICATION, SURNAME, actions, csrf_from, link_for, snapshot


def outbox(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind).order_by(OutboxMessage.id)))


def reloaded(appointment: Appointment) -> Appointment:
    db.session.expire_all()
    fresh = db.session.get(Appointment, appointment.id)
    assert fresh is not None
    return fresh


class TestConfirm:
    def test_confirm_sets_confirmed_and_is_audited(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        response = client.post(f"{url}/confirm")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(url)
        fresh = reloaded(appt)
        assert fresh.status is AppointmentStatus.CONFIRMED
        assert fresh.patient_confirmed_at is not None
        assert AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT in actions(appt.id)
        event = db.session.scalar(select(AuditEvent).filter_by(action=AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT))
        assert event.staff_id is None
        page = client.get(url).get_data(as_text=True)
        assert "your appointment is confirmed" in page
        assert f"{url}/confirm" not in page  # nothing left to confirm

    def test_a_second_confirm_changes_nothing(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        client.post(f"{url}/confirm")
        before = snapshot()
        assert client.post(f"{url}/confirm").status_code == 303
        assert snapshot() == before

    def test_a_moved_appointment_asks_again(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        # Staff moved a confirmed appointment: the status stays, the patient's word is gone.
        appt.status = AppointmentStatus.CONFIRMED
        appt.patient_confirmed_at = None
        db.session.commit()
        assert f"{url}/confirm" in client.get(url).get_data(as_text=True)
        client.post(f"{url}/confirm")
        assert reloaded(appt).patient_confirmed_at is not None
        assert actions(appt.id) == [AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT]


def driver_form(**overrides: Any) -> dict[str, Any]:
    data = {"name": "Sam Driver", "phone": "(312) 555-0199", "email": "sam@example.net",
            "may_email": "y", "confirmed": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestDriver:
    def test_details_saved_and_pickup_note_queued(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        response = client.post(f"{url}/driver", data=driver_form())
        assert response.status_code == 303
        fresh = reloaded(appt)
        assert (fresh.driver_name, fresh.driver_phone, fresh.driver_email) == (
            "Sam Driver", "+13125550199", "sam@example.net")
        assert fresh.driver_may_be_emailed is True
        assert fresh.driver_confirmed_at is not None
        assert AuditAction.DRIVER_DETAILS_SAVED in actions(appt.id)
        [note] = outbox(MessageKind.DRIVER_PICKUP)
        assert "sam@example.net" in note.recipient
        assert (note.appointment_id, note.appointment_version) == (appt.id, 1)  # voided if the visit changes
        day = format_day(days_ahead(clinic, 3))
        for body in (note.body_text, note.body_html):
            assert f"{day} at 11:45 AM" in body  # end of infusion plus recovery
            assert clinic.address in body
            assert clinic.phone in body
            assert "Robin" in body
        assert "11:45 AM" in note.subject
        for message_part in (note.subject, note.body_text, note.body_html):
            for secret in (CANARY_CONDITION, CANARY_MEDICATION, "chronic pain", SURNAME,
                           "__MANAGE_URL__", "/manage/"):
                assert secret not in message_part

    def test_saving_again_sends_one_note_a_new_driver_gets_theirs(
        self, client: FlaskClient, appt: Appointment, url: str
    ) -> None:
        client.post(f"{url}/driver", data=driver_form())
        client.post(f"{url}/driver", data=driver_form())
        assert len(outbox(MessageKind.DRIVER_PICKUP)) == 1
        client.post(f"{url}/driver", data=driver_form(name="Alex Other", email="alex@example.net"))
        notes = outbox(MessageKind.DRIVER_PICKUP)
        assert len(notes) == 2
        assert "alex@example.net" in notes[1].recipient
        # The first driver's unsent note is void: only the current driver hears from us.
        assert [n.status for n in notes] == [OutboxStatus.VOID, OutboxStatus.PENDING]
        client.post(f"{url}/driver", data=driver_form())  # back to the first driver
        notes = outbox(MessageKind.DRIVER_PICKUP)
        assert [(n.status, "sam@" in n.recipient) for n in notes] == [
            (OutboxStatus.VOID, True), (OutboxStatus.VOID, False), (OutboxStatus.PENDING, True)]

    def test_withdrawing_consent_voids_the_unsent_note(
        self, client: FlaskClient, appt: Appointment, url: str
    ) -> None:
        client.post(f"{url}/driver", data=driver_form())
        client.post(f"{url}/driver", data=driver_form(may_email=None))
        assert [n.status for n in outbox(MessageKind.DRIVER_PICKUP)] == [OutboxStatus.VOID]
        assert reloaded(appt).driver_may_be_emailed is False

    def test_no_note_without_consent(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        assert client.post(f"{url}/driver", data=driver_form(may_email=None)).status_code == 303
        assert reloaded(appt).driver_email == "sam@example.net"
        assert outbox(MessageKind.DRIVER_PICKUP) == []

    def test_consent_without_an_email_is_refused(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        before = snapshot()
        response = client.post(f"{url}/driver", data=driver_form(email=""))
        assert response.status_code == 422
        assert "Enter your driver&#39;s email address" in response.get_data(as_text=True)
        assert snapshot() == before

    def test_bad_phone_is_refused_with_answers_kept(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        before = snapshot()
        response = client.post(f"{url}/driver", data=driver_form(phone="12"))
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "phone number" in page and 'aria-invalid="true"' in page
        assert 'value="Sam Driver"' in page
        assert snapshot() == before

    def test_unticking_confirmed_clears_it(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        client.post(f"{url}/driver", data=driver_form())
        client.post(f"{url}/driver", data=driver_form(confirmed=None))
        assert reloaded(appt).driver_confirmed_at is None


class TestCancel:
    def test_asks_first_then_cancels(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        page = client.get(f"{url}/cancel").get_data(as_text=True)
        assert "Are you sure?" in page
        assert f'method="post" action="{url}/cancel"' in page
        response = client.post(f"{url}/cancel")
        assert response.status_code == 303
        fresh = reloaded(appt)
        assert fresh.status is AppointmentStatus.CANCELLED
        assert fresh.cancel_reason == "Cancelled by the patient"
        assert AuditAction.APPOINTMENT_CANCELLED_BY_PATIENT in actions(appt.id)
        assert len(outbox(MessageKind.APPOINTMENT_CANCELLED)) == 1
        page = client.get(url).get_data(as_text=True)
        assert f"{url}/cancel" not in page

    def test_posting_to_a_cancelled_appointment_is_refused(
        self, client: FlaskClient, appt: Appointment, url: str
    ) -> None:
        client.post(f"{url}/cancel")
        before = snapshot()
        for action, data in (("cancel", {}), ("confirm", {}), ("driver", driver_form()),
                             ("reschedule", {"times": "2030-01-01T10:00:00+00:00"})):
            response = client.post(f"{url}/{action}", data=data)
            assert response.status_code == 409, action
            assert "This appointment is cancelled" in response.get_data(as_text=True)
        assert snapshot() == before

    def test_posting_after_it_started_is_refused(
        self, client: FlaskClient, clinic: Clinic, make_appointment: Any
    ) -> None:
        started = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                                   utcnow().replace(microsecond=0) - timedelta(minutes=10))
        url = link_for(started)
        before = snapshot()
        response = client.post(f"{url}/cancel")
        assert response.status_code == 409
        assert "already started or is over" in response.get_data(as_text=True)
        assert snapshot() == before

    def test_cancelling_closes_an_open_change_request(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        free = local(clinic, days_ahead(clinic, 5), 9)
        client.post(f"{url}/reschedule", data={"times": free.isoformat()})
        client.post(f"{url}/cancel")
        db.session.expire_all()
        assert db.session.scalar(select(ChangeRequest.status)) is ChangeRequestStatus.DISMISSED


def fill_chairs(clinic: Clinic, make_appointment: Any, start: Any) -> None:
    """Take every infusion chair at `start`."""
    for chair in chairs(clinic):
        make_appointment(clinic, service(clinic, "infusion"), chair, start)


class TestReschedule:
    def test_lists_free_times_without_javascript(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        page = client.get(f"{url}/reschedule").get_data(as_text=True)
        other = local(clinic, days_ahead(clinic, 5), 9)
        assert f'type="checkbox" name="times" value="{other.isoformat()}"' in page
        assert f'value="{local(clinic, days_ahead(clinic, 3), 10).isoformat()}"' not in page  # the current time
        assert f'value="{local(clinic, days_ahead(clinic, 15), 9).isoformat()}"' not in page  # beyond 14 days

    def test_without_rebooking_staff_get_a_change_request(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        times = [local(clinic, days_ahead(clinic, 5), 9), local(clinic, days_ahead(clinic, 6), 14)]
        response = client.post(f"{url}/reschedule", data={"times": [t.isoformat() for t in times]})
        assert response.status_code == 303
        db.session.expire_all()
        [item] = db.session.scalars(select(ChangeRequest)).all()
        assert item.appointment_id == appt.id and item.status is ChangeRequestStatus.OPEN
        assert item.preferred_times == [t.isoformat() for t in times]
        fresh = reloaded(appt)
        assert fresh.starts_at == local(clinic, days_ahead(clinic, 3), 10) and fresh.version == 1
        assert AuditAction.RESCHEDULE_REQUESTED in actions(appt.id)
        page = client.get(url).get_data(as_text=True)
        assert "You asked the clinic for another time" in page
        assert f"{format_day(days_ahead(clinic, 6))} at 2:00 PM" in page

    def test_asking_again_replaces_the_open_request(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        client.post(f"{url}/reschedule", data={"times": local(clinic, days_ahead(clinic, 5), 9).isoformat()})
        later = local(clinic, days_ahead(clinic, 7), 11)
        client.post(f"{url}/reschedule", data={"times": later.isoformat()})
        db.session.expire_all()
        [item] = db.session.scalars(select(ChangeRequest)).all()
        assert item.preferred_times == [later.isoformat()]

    @pytest.fixture
    def rebooking(self, clinic: Clinic) -> Clinic:
        clinic.patients_can_rebook = True
        db.session.commit()
        return clinic

    def test_with_rebooking_moves_to_the_first_free_choice(
        self, client: FlaskClient, rebooking: Clinic, make_appointment: Any, appt: Appointment, url: str
    ) -> None:
        clinic = rebooking
        taken = local(clinic, days_ahead(clinic, 4), 14)
        fill_chairs(clinic, make_appointment, taken)
        free = local(clinic, days_ahead(clinic, 5), 9)
        response = client.post(f"{url}/reschedule", data={"times": [taken.isoformat(), free.isoformat()]})
        assert response.status_code == 303
        fresh = reloaded(appt)
        assert fresh.starts_at == free
        assert fresh.version == 2
        assert AuditAction.APPOINTMENT_REBOOKED_BY_PATIENT in actions(appt.id)
        assert db.session.scalars(select(ChangeRequest)).all() == []
        assert len(outbox(MessageKind.APPOINTMENT_RESCHEDULED)) == 1
        assert "Your appointment is moved to" in client.get(url).get_data(as_text=True)

    @pytest.mark.parametrize("can_rebook", [True, False])
    def test_a_taken_time_is_refused_with_the_nearest_free_times(
        self, client: FlaskClient, clinic: Clinic, make_appointment: Any, appt: Appointment, url: str,
        can_rebook: bool,
    ) -> None:
        clinic.patients_can_rebook = can_rebook
        db.session.commit()
        taken = local(clinic, days_ahead(clinic, 4), 14)
        fill_chairs(clinic, make_appointment, taken)
        before = snapshot()
        response = client.post(f"{url}/reschedule", data={"times": taken.isoformat()})
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "no longer free" in page
        assert "Nearest free times" in page
        # 105-minute blocks around the 14:00 bookings: 12:00 ends at 13:45, 16:00 starts after them.
        assert f"{format_day(days_ahead(clinic, 4))} at 12:00 PM" in page
        assert f"{format_day(days_ahead(clinic, 4))} at 4:00 PM" in page
        assert snapshot() == before

    def test_more_than_three_times_are_refused(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        times = [local(clinic, days_ahead(clinic, 5), h).isoformat() for h in (9, 10, 11, 12)]
        before = snapshot()
        response = client.post(f"{url}/reschedule", data={"times": times})
        assert response.status_code == 422
        assert "Choose at most 3 times." in response.get_data(as_text=True)
        assert snapshot() == before

    def test_a_time_outside_opening_hours_is_refused(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
    ) -> None:
        night = local(clinic, days_ahead(clinic, 5), 22)
        before = snapshot()
        assert client.post(f"{url}/reschedule", data={"times": night.isoformat()}).status_code == 409
        assert snapshot() == before


class TestCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("action", ["confirm", "driver", "cancel", "reschedule"])
    def test_a_post_without_a_token_is_refused(
        self, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str, action: str
    ) -> None:
        client.get(url)  # a session exists, but the form's token is missing
        data = {"confirm": {}, "cancel": {}, "driver": driver_form(),
                "reschedule": {"times": local(clinic, days_ahead(clinic, 5), 9).isoformat()}}[action]
        before = snapshot()
        response = client.post(f"{url}/{action}", data=data)
        assert response.status_code == 400
        assert "Nothing was changed" in response.get_data(as_text=True)
        assert snapshot() == before

    def test_a_post_with_the_pages_token_works(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        token = csrf_from(client, url)
        assert client.post(f"{url}/confirm", data={"csrf_token": token}).status_code == 303
        assert reloaded(appt).status is AppointmentStatus.CONFIRMED

    def test_cancel_page_token_works(self, client: FlaskClient, appt: Appointment, url: str) -> None:
        token = csrf_from(client, f"{url}/cancel")
        assert client.post(f"{url}/cancel", data={"csrf_token": token}).status_code == 303
        assert reloaded(appt).status is AppointmentStatus.CANCELLED
