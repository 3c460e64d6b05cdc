"""Environment for the test run, set before Django reads its settings.

Loaded with `-p tests.pytest_env` (pyproject addopts) because pytest-django
imports the settings before any conftest runs. Tests talk plain HTTP to the
test client and the live server, so the HTTPS redirect production gets by
default is off; runtime files go to a temporary folder.
"""

import os
import tempfile

os.environ.setdefault("DTIS_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DTIS_SECURE_COOKIES", "0")
if not os.environ.get("DTIS_VAR_DIR"):
    os.environ["DTIS_VAR_DIR"] = tempfile.mkdtemp(prefix="dtis-test-")
