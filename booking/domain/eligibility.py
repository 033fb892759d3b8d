"""Whether a patient may be booked for infusions, and what is missing (pure)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Eligibility:
    """What the infusion rule looks at: a completed consultation, and every flagged review cleared."""

    consultation_done_at: datetime | None  # the latest completed consultation
    consultation_booked_at: datetime | None  # the next consultation still to come
    reviews_pending: int  # flagged requests no clinician has decided on
    reviews_not_cleared: int  # flagged requests decided "needs a call" or "declined"
    reviews_cleared: int

    @property
    def may_have_infusions(self) -> bool:
        """The rule the booking operation enforces (see `ConsultFirst`)."""
        return self.consultation_done_at is not None and not self.reviews_pending and not self.reviews_not_cleared

    def missing(self) -> list[str]:
        """What stands between the patient and an infusion, in words; empty when eligible."""
        reasons = []
        if self.consultation_done_at is None:
            reasons.append("the consultation is booked but not completed yet" if self.consultation_booked_at
                           else "no consultation yet")
        if self.reviews_pending:
            reasons.append("a clinician's review of the screening answers is pending")
        if self.reviews_not_cleared:
            reasons.append("the clinician's review did not clear the patient (needs a call or declined)")
        return reasons
