"""The core's messages: English templates, rendered in the reader's language.

The core imports nothing from Django, so it cannot translate by itself. Each
message keeps its template and parameters and is rendered when it is shown,
through a translator the application installs at start-up
(`dtis.frameworks.apps`); the templates are marked with `gettext_noop` so
that `makemessages` puts them into the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable


def _identity(message: str) -> str:
    return message


_translate: Callable[[str], str] = _identity


def set_translator(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def gettext_noop(message: str) -> str:
    """Marks a template for the catalogue; translation happens when rendered."""
    return message


class Message:
    __slots__ = ("params", "template")

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        # Always %-format, so a literal "%%" in a template shows as "%".
        return _translate(self.template) % self.params

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {self.params!r})"


class CoreError(ValueError):
    """An error whose text is a translatable Message."""

    def __init__(self, template: str, **params: object) -> None:
        self.message = Message(template, **params)
        super().__init__(template)

    def __str__(self) -> str:
        return str(self.message)
