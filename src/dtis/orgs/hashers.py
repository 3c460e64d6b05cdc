"""Password hashers tuned for the machines this runs on.

- `Argon2Hasher`: Argon2id with 46 MiB, one pass, one lane — one of OWASP's
  recommended settings. Django's default (100 MiB, two passes, eight lanes)
  costs over half a second per sign-in on a two-core government server,
  which a deadline-day rush of reporters would feel.
- `IssuedPasswordHasher`: for one-time passwords the system generates (about
  70 random bits). Random secrets that long cannot be guessed whatever the
  hash cost, so a light PBKDF2 makes issuing hundreds of accounts take
  seconds instead of minutes. The person must change the password at the
  first sign-in, and Django then re-hashes with the preferred Argon2 hasher.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 47104
    parallelism = 1


class IssuedPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_issued"
    iterations = 20_000
