"""Which websites may show a clinic's form in a frame."""
from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, EmbedOrigin


def embed_origins(clinic: Clinic) -> list[EmbedOrigin]:
    """The clinic's allowed origins, oldest first."""
    return list(db.session.scalars(
        select(EmbedOrigin).where(EmbedOrigin.clinic_id == clinic.id).order_by(EmbedOrigin.created_at, EmbedOrigin.id)
    ))


def embed_origins_for_slug(slug: str) -> list[str]:
    """The origins allowed to frame the clinic at `slug` (none for an unknown slug)."""
    return list(db.session.scalars(
        select(EmbedOrigin.origin).join(Clinic, Clinic.id == EmbedOrigin.clinic_id)
        .where(Clinic.slug == slug).order_by(EmbedOrigin.id)
    ))


def may_embed(clinic: Clinic, origin: str) -> bool:
    """True if `origin` (normalised) is on the clinic's list."""
    return db.session.scalar(
        select(EmbedOrigin.id).where(EmbedOrigin.clinic_id == clinic.id, EmbedOrigin.origin == origin)
    ) is not None
