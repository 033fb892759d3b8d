"""Valid answers to post to the settings forms."""
from __future__ import annotations

INSTRUCTIONS = {
    "fasting_hours": "",
    "clear_liquids_hours": "4",
    "medication_review": "Bring every bottle.",
    "driver_required": "y",
    "support_person_text": "Someone must stay with you.",
    "other": "Wear layers.",
}
