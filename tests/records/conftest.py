"""The shipped pathway and its staff, as the scenario tests set them up, for the record tests."""
from tests.scenarios.conftest import council_with_pathway  # noqa: F401
