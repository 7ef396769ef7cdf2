"""PyInstaller entry script of the bundle: the same ``main`` as the ``sciatica`` console script.

First the environment the bundle's bootloader changed is put back, so the programs the app
starts (PDF viewer, file manager) never load the bundle's libraries (desktop/child_env.py).
"""

import sys

from desktop.child_env import restore_for_children

restore_for_children()

from desktop.cli import main  # noqa: E402 - after the restore, before anything starts a child

if __name__ == "__main__":
    sys.exit(main())
