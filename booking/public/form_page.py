"""Where the request form is shown: its own page, or inside a clinic's website (booking/public/embed.py)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from booking.domain.embedding import Campaign
from booking.models import Clinic


@dataclass(frozen=True)
class FormPage:
    """Where the request form is shown: its own page here, or (`booking.public.embed`) inside a
    clinic's website. The campaign (utm_*, source) rides on the form's address to the POST."""

    campaign: Campaign = field(default_factory=Campaign)
    template: str = "public/request.html"
    layout: str = "base.html"
    endpoint: str = "public.request_form"

    def query(self) -> dict[str, str]:
        """What the form's address carries on besides `?lang=`."""
        return self.campaign.given()

    def context(self, clinic: Clinic, form_key: str) -> Mapping[str, Any]:
        """More for the template, once the page's one-time key is known."""
        return {}
