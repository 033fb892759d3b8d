"""The languages patients can be written to in."""
from __future__ import annotations

import enum


class Language(enum.Enum):
    """A language patients can read the clinic's pages and messages in."""

    EN = "en"
    ES = "es"

    @property
    def native_name(self) -> str:
        """The language's name in itself, for the switcher."""
        return _NATIVE_NAMES[self]

    @classmethod
    def parse(cls, value: str | None) -> Language | None:
        """The language a code such as "es" or "es-MX" names, if we have it."""
        if not value:
            return None
        try:
            return cls(value.strip().lower().replace("_", "-").split("-")[0])
        except ValueError:
            return None


_NATIVE_NAMES = {Language.EN: "English", Language.ES: "Español"}
