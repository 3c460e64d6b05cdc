"""Django messages whose shipped Vietnamese translation is missing.

Listing them here puts them into our own catalogue (makemessages scans this
file), which takes precedence over Django's. Never imported at runtime.
"""

from django.utils.translation import ngettext_lazy

MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        10,
    ),
]
