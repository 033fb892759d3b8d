"""The request form inside a clinic's own website (static/embed.js puts it in an iframe).

The same form and rules as `/<slug>/request` (booking/public/views.py), in a slim frame
(templates/embed_base.html). What differs is what a third-party frame cannot rely on:

- framing: these routes, and their error pages, send `frame-ancestors` with exactly the
  clinic's allowed origins (none: 'none'); every other page keeps 'none';
- cookies: the browser may refuse them in the frame, so the CSRF check is a signed token
  in the form bound to the clinic and the form's one-time key (booking/public/embed_tokens.py),
  and the received page finds the request through a signed token in its address;
- events: `?parent=` names the embedding page's origin; used only if the clinic allowed
  it, it is where the frame posts `ready`, `request_submitted` and `booked`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from booking.domain.embedding import InvalidOrigin, campaign_from, normalise_origin
from booking.i18n import asked_language
from booking.models import Clinic
from booking.public import bp
from booking.public.embed_tokens import form_token, form_token_valid, received_request_id, received_token
from booking.public.form_page import FormPage
from booking.public.submit_limit import limited_embedded_submission
from booking.public.views import (
    DAMAGED_FORM,
    keep_without_errors,
    new_form,
    render_form,
    render_received,
    render_refused,
    render_wait,
    requestable,
    take_in,
)
from booking.queries.embedding import embed_origins_for_slug, may_embed
from booking.security import allow_framing

EMBED_LAYOUT = "embed_base.html"


def _parent_origin(clinic: Clinic, value: object) -> str | None:
    """`?parent=` if it is one of the clinic's allowed origins, else None (no events then)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        origin = normalise_origin(value)
    except InvalidOrigin:
        return None
    return origin if may_embed(clinic, origin) else None


@dataclass(frozen=True)
class EmbedPage(FormPage):
    """The form in the frame: its own template and layout, and the parent origin carried on."""

    template: str = "public/embed_request.html"
    layout: str = EMBED_LAYOUT
    endpoint: str = "public.embed_form"
    parent_origin: str | None = None

    def query(self) -> dict[str, str]:
        """The campaign, and the parent origin when it is an allowed one."""
        parent = {"parent": self.parent_origin} if self.parent_origin else {}
        return {**self.campaign.given(), **parent}

    def context(self, clinic: Clinic, form_key: str) -> Mapping[str, Any]:
        """The signed token standing in for the session's CSRF token, and where events go."""
        return {"embed_token": form_token(clinic.id, form_key), "parent_origin": self.parent_origin}


@bp.route("/<slug>/embed", methods=["GET", "POST"])
@limited_embedded_submission
def embed_form(slug: str) -> Response | tuple[str, int]:
    """The request form for a clinic's website, and taking it in without any cookie."""
    clinic, services = requestable(slug)
    page = EmbedPage(campaign_from(request.args), parent_origin=_parent_origin(clinic, request.args.get("parent")))
    form = new_form(clinic, services, csrf=False)
    if request.method == "POST" and not form_token_valid(
        request.form.get("embed_token"), clinic.id, request.form.get("form_key")
    ):
        # Expired, forged, for another clinic or another form: nothing is stored.
        return render_refused(clinic, services, form, page)
    if request.method == "POST" and "show_from" in request.form:
        # "Earlier/later dates" without JavaScript: the form again at those days, as typed.
        keep_without_errors(form)
        return render_form(clinic, form, services, page=page)
    if not form.validate_on_submit():
        notice = DAMAGED_FORM if form.form_key.errors else None
        return render_form(clinic, form, services, 422 if request.method == "POST" else 200, notice, page)
    outcome = take_in(clinic, services, form, page)
    if isinstance(outcome, tuple):
        return outcome
    values: dict[str, Any] = {"t": received_token(clinic.id, outcome["request"])} if outcome is not None else {}
    if page.parent_origin:
        values["parent"] = page.parent_origin
    return redirect(url_for("public.embed_received", slug=slug, **values, **asked_language()), 303)



def render_embed_after_rate_limit(slug: str, retry_after: int) -> tuple[str, int]:
    """The embedded form again, as typed, when this address sent too many (the same limit as the page's)."""
    clinic, services = requestable(slug)
    page = EmbedPage(campaign_from(request.args), parent_origin=_parent_origin(clinic, request.args.get("parent")))
    return render_wait(clinic, services, new_form(clinic, services, csrf=False), page, retry_after)


@bp.get("/<slug>/embed/received")
def embed_received(slug: str) -> str:
    """The received page in the frame, found by the signed token in its address."""
    clinic, _services = requestable(slug)
    request_id = received_request_id(request.args.get("t"), clinic.id)
    return render_received(
        clinic, request_id, "public/embed_received.html",
        layout=EMBED_LAYOUT, parent_origin=_parent_origin(clinic, request.args.get("parent")),
    )


def _origins(view_args: Mapping[str, Any]) -> list[str]:
    slug = view_args.get("slug")
    return embed_origins_for_slug(slug) if isinstance(slug, str) else []


for _endpoint in ("public.embed_form", "public.embed_received"):
    allow_framing(_endpoint, _origins)
