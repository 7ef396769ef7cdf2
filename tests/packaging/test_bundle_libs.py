"""The spec's rules for shared libraries (packaging/bundle_libs.py), without building anything."""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_libs", ROOT / "packaging" / "bundle_libs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bundle_libs"] = module
    spec.loader.exec_module(module)
    return module


bundle_libs = load()


def test_library_not_found_warnings_are_collected_from_pyinstallers_log() -> None:
    handler = bundle_libs.MissingLibraries()
    log = logging.getLogger("PyInstaller.test_bundle_libs")
    log.addHandler(handler)
    try:
        log.warning("Library not found: could not resolve %r, dependency of %r.", "libxcb-icccm.so.4",
                    "/venv/PySide6/Qt/plugins/platforms/libqxcb.so")
        log.warning("Hidden import 'foo' not found")
    finally:
        log.removeHandler(handler)
    assert handler.found == [("libxcb-icccm.so.4", "/venv/PySide6/Qt/plugins/platforms/libqxcb.so")]


def test_only_libraries_needed_by_bundled_files_fail_the_build() -> None:
    found = [("libgtk-3.so.0", "/venv/plugins/platformthemes/libqgtk3.so"),
             ("libxcb-icccm.so.4", "/venv/plugins/platforms/libqxcb.so")]
    assert bundle_libs.unresolved(found, {"/venv/plugins/platforms/libqxcb.so"}) == [
        "libxcb-icccm.so.4 (needed by /venv/plugins/platforms/libqxcb.so)"]
    assert bundle_libs.unresolved(found, {"/venv/lib/libQt6Core.so.6"}) == []


def test_debian_owned_system_libraries_are_left_to_their_package() -> None:
    owners = {"/lib/x86_64-linux-gnu/libxcb-icccm.so.4": "libxcb-icccm4"}
    assert bundle_libs.system_package("libxcb-icccm.so.4", "/lib/x86_64-linux-gnu/libxcb-icccm.so.4",
                                      owners.get) == "libxcb-icccm4"
    # Not owned by a package (built by hand): bundled.
    assert bundle_libs.system_package("libfoo.so.1", "/usr/lib/libfoo.so.1", owners.get) is None


def test_wheel_and_python_libraries_stay_in_the_bundle() -> None:
    def owner(path: str) -> str:
        return "some-package"

    site = f"{sys.prefix}/lib/python3.11/site-packages/PySide6/Qt/lib/libQt6Core.so.6"
    assert bundle_libs.system_package("PySide6/Qt/lib/libQt6Core.so.6", site, owner) is None
    assert bundle_libs.system_package("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
                                      owner) is None
    assert bundle_libs.system_package("numpy.libs/libscipy_openblas.so", "/opt/x/site-packages/numpy.libs/x.so",
                                      owner) is None


def test_dpkg_names_under_the_unmerged_lib_folder_are_tried() -> None:
    names = bundle_libs._alternates("/usr/lib/x86_64-linux-gnu/libz.so.1")
    assert "/lib/x86_64-linux-gnu/libz.so.1" in names


def test_depends_merges_shlibdeps_then_dlopened_then_extra_each_once() -> None:
    merged = bundle_libs.merge_depends(
        "libc6 (>= 2.35), libxcb1 (>= 1.8), libegl1",
        ["libxcb1", "libxcb-cursor0"],
        ["fontconfig-config", " fonts-dejavu-core | fonts-freefont-ttf", ""],
    )
    assert merged == ("libc6 (>= 2.35), libxcb1 (>= 1.8), libegl1, libxcb-cursor0, fontconfig-config, "
                      "fonts-dejavu-core | fonts-freefont-ttf")


def test_a_debian_python_in_usr_does_not_claim_every_system_library(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("prefix", "base_prefix", "exec_prefix"):
        monkeypatch.setattr(sys, name, "/usr")
    assert bundle_libs.system_package("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", {
        "/lib/x86_64-linux-gnu/libz.so.1": "zlib1g"}.get) == "zlib1g"
