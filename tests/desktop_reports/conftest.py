from tests.desktop.conftest import isolated_settings, messages  # noqa: F401  (fixtures reused)
from tests.torture.test_no_network import no_network  # noqa: F401
