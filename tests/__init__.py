import pytest

# Asserts in the shared helpers report their values on failure, as asserts in test modules do.
pytest.register_assert_rewrite("tests.helpers", "tests.browser.helpers")
