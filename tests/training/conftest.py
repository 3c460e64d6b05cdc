"""The reporting tests' cycles, for copying into the sandbox."""

from tests.reporting.conftest import dept_cycle, frameworks  # noqa: F401 (fixtures)
