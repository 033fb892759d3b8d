"""The neutral names messages give a visit, in the language being written."""
from __future__ import annotations

from flask_babel import lazy_gettext

from booking.models import Service

# Service names can reveal a condition ("infusion for pain"): the model picks one of
# these neutral labels (`Service.email_label`) and messages show it translated.
_LABELS = {
    "Consultation": lazy_gettext("Consultation"),
    "Video consultation": lazy_gettext("Video consultation"),
    "Treatment visit": lazy_gettext("Treatment visit"),
}


def service_label(service: Service) -> str:
    """`service`'s neutral label in the language being rendered (a message's, under `force_locale`)."""
    return str(_LABELS[service.email_label])
