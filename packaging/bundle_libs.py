"""Rules the PyInstaller spec applies to the bundle's shared libraries (Linux, Debian build host).

Imported by ``packaging/sciatica.spec`` (PyInstaller puts nothing of this on the app's path) and by
``packaging/build.sh`` (``python packaging/bundle_libs.py depends ...``); unit-tested in
``tests/packaging/test_bundle_libs.py``. Standard library only: it runs inside the build venv.

Two rules live here:

* A library the build host's Debian packages provide is not bundled: the package depends on
  that Debian package instead. Bundled copies of libstdc++, glib, libxcb... clash with the
  newer ones a newer Debian loads into the same process (GL drivers, input methods).
* A library PyInstaller could not find ("Library not found" in its log) fails the build unless
  only files the spec drops needed it: a bundle that lacks one aborts on the user's machine.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# PyInstaller.depend.bindepend: "Library not found: could not resolve %r, dependency of %r."
NOT_FOUND = re.compile(r"Library not found: could not resolve '([^']+)', dependency of '([^']+)'")

# Never taken from Debian even when a package owns them: PyInstaller's bootloader loads libpython
# from the bundle's own folder by name.
ALWAYS_BUNDLED = re.compile(r"^libpython3")

# Folders whose libraries belong to the Python installation or to wheels, never to Debian.
SYSTEM_LIB_DIRS = ("/lib/", "/usr/lib/", "/lib64/", "/usr/lib64/")


class MissingLibraries(logging.Handler):
    """Collects PyInstaller's "Library not found" warnings as (library, needed by) pairs."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.found: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = NOT_FOUND.search(record.getMessage())
        if match:
            self.found.append((match.group(1), match.group(2)))


def unresolved(found: Iterable[tuple[str, str]], bundled_sources: set[str]) -> list[str]:
    """The not-found libraries still needed by a file that stays in the bundle, as messages."""
    kept = {os.path.realpath(src) for src in bundled_sources}
    return sorted({f"{lib} (needed by {ref})" for lib, ref in found if os.path.realpath(ref) in kept})


def _alternates(path: str) -> list[str]:
    """The names dpkg may record for PATH: Debian 12 merges /lib into /usr/lib, but packages
    still list their files under the unmerged name."""
    names = [path]
    for a, b in (("/usr/lib/", "/lib/"), ("/lib/", "/usr/lib/")):
        if path.startswith(a):
            names.append(b + path[len(a):])
    real = os.path.realpath(path)
    if real != path:
        names += [n for n in _alternates(real) if n not in names]
    return names


def dpkg_owner(path: str) -> str | None:
    """The Debian package that installed PATH (``dpkg-query -S``), or None."""
    for name in _alternates(path):
        try:
            out = subprocess.run(["dpkg-query", "-S", name], capture_output=True, text=True, check=False)
        except OSError:
            raise SystemExit("bundle_libs: dpkg-query is needed (the package is built on Debian)") from None
        if out.returncode == 0 and out.stdout:
            # "libxcb1:amd64: /lib/x86_64-linux-gnu/libxcb.so.1"; several owners: comma-separated.
            owner = out.stdout.splitlines()[0].rsplit(": ", 1)[0].split(",")[0].strip()
            return owner.split(":")[0]
    return None


def system_package(dest: str, src: str, owner: Callable[[str], str | None] = dpkg_owner) -> str | None:
    """The Debian package to depend on instead of bundling SRC (bundled as DEST), or None to bundle it.

    Only libraries outside the Python installation and its site-packages (wheels ship their own
    builds of Qt, ICU, OpenBLAS) and owned by a Debian package qualify.
    """
    name = os.path.basename(dest)
    if ALWAYS_BUNDLED.match(name):
        return None
    # Debian's own python3 lives in /usr: that prefix says nothing about who owns a library.
    prefixes = {os.path.realpath(p).rstrip(os.sep) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    prefixes -= {os.sep, "/usr/", "/usr/local/"}
    real = os.path.realpath(src)
    if any(real.startswith(p) for p in prefixes) or "site-packages" in real.split(os.sep):
        return None
    if not real.startswith(SYSTEM_LIB_DIRS) and not src.startswith(SYSTEM_LIB_DIRS):
        return None
    return owner(src)


_DEP = re.compile(r"^\s*([a-z0-9][a-z0-9+.-]+)")


def merge_depends(shlibdeps: str, packages: Iterable[str], extra: Iterable[str]) -> str:
    """One Depends field: dpkg-shlibdeps' result (versioned, from the bundle's ELF files), then
    the owners of the libraries left out of the bundle that it did not name (loaded with dlopen),
    then EXTRA (data packages such as fonts), each package once, in that order."""
    fields: list[str] = []
    seen: set[str] = set()
    for raw in [*shlibdeps.split(","), *sorted(set(packages)), *extra]:
        item = raw.strip()
        match = _DEP.match(item)
        if not match:
            continue
        names = {m.group(1) for m in (_DEP.match(alt) for alt in item.split("|")) if m}
        if names & seen:
            continue
        seen |= names
        fields.append(item)
    return ", ".join(fields)


def _cli(argv: list[str]) -> int:
    """``depends SHLIBDEPS_OUTPUT PACKAGES_FILE EXTRA``: print the merged Depends value."""
    if len(argv) != 4 or argv[0] != "depends":
        print("usage: bundle_libs.py depends 'shlibs:Depends=...' PACKAGES_FILE 'extra, deps'", file=sys.stderr)
        return 2
    shlibs = argv[1].split("=", 1)[1] if argv[1].startswith("shlibs:Depends=") else argv[1]
    packages = Path(argv[2]).read_text(encoding="utf-8").split()
    print(merge_depends(shlibs, packages, argv[3].split(",")))
    return 0


if __name__ == "__main__":
    raise SystemExit(_cli(sys.argv[1:]))
