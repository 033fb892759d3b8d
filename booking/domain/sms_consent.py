"""The SMS consent disclosure's version: stored with every consent, bumped when its words change."""
from __future__ import annotations

# The words are in templates/_sms_consent.html (translated); change them, change this.
SMS_CONSENT_VERSION = "2026-12-03"
