from tests.desktop.conftest import isolated_settings, messages  # noqa: F401  (fixtures reused)
