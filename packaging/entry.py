"""PyInstaller entry script of the bundle: the same ``main`` as the ``sciatica`` console script."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
