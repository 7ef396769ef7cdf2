"""Packaging files agree with the app and with each other (fast; nothing is built).

The spec bundles every module of the app, the desktop entry and the MIME type name the same
type, the icons exist at every size the build installs, the control template is filled from
``domain.__version__``, and the shell scripts parse.
"""

from __future__ import annotations

import ast
import configparser
import importlib
import os
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import domain

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "sciatica.spec"
DEBIAN = PACKAGING / "debian"
APP_PACKAGES = ("domain", "projections", "desktop")
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def spec_constants() -> dict[str, object]:
    """The spec's module-level constants (literal assignments), read without running it."""
    values: dict[str, object] = {}
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return values


def app_modules() -> list[str]:
    names = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "__pycache__" in parts or parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def build_sh_value(name: str) -> str:
    match = re.search(rf'^{name}="([^"]*)"', (PACKAGING / "build.sh").read_text(encoding="utf-8"), re.M)
    assert match, f"build.sh defines no {name}"
    return match.group(1)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEBIAN / "sciatica-tracker.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def mime_types() -> list[ET.Element]:
    root = ET.parse(DEBIAN / "sciatica-tracker.xml").getroot()
    return root.findall(f"{MIME_NS}mime-type")


# --- the spec ----------------------------------------------------------------------------------


def test_spec_names_the_entry_script_which_calls_the_cli() -> None:
    constants = spec_constants()
    entry = PACKAGING / str(constants["ENTRY_SCRIPT"])
    assert entry.is_file()
    source = entry.read_text(encoding="utf-8")
    assert "from desktop.cli import main" in source
    assert "main()" in source
    assert constants["BUNDLE_NAME"] == "sciatica"
    assert "SPEC_DIR / ENTRY_SCRIPT" in SPEC.read_text(encoding="utf-8")


def test_spec_collects_every_app_package() -> None:
    constants = spec_constants()
    assert sorted(constants["APP_PACKAGES"]) == sorted(APP_PACKAGES)  # type: ignore[arg-type]
    text = SPEC.read_text(encoding="utf-8")
    assert re.search(r"for _package in APP_PACKAGES:\s+hiddenimports \+= collect_submodules\(_package\)", text)
    assert re.search(r"for _package in APP_PACKAGES:\s+datas \+= collect_data_files\(_package\)", text)


def test_every_package_directory_is_installed_by_pyproject() -> None:
    """`pip install .` (what build.sh bundles) only installs the packages pyproject lists."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for package in APP_PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"


def test_every_app_module_is_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """collect_submodules skips (with only a warning) a module that fails to import."""
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    modules = app_modules()
    assert {"domain.events", "domain.application", "desktop.cli", "projections.history"} <= set(modules)
    failures = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failures[name] = f"{type(exc).__name__}: {exc}"
    assert failures == {}


def test_runtime_resolved_eventsourcing_modules_are_hidden_imports() -> None:
    """eventsourcing resolves PERSISTENCE_MODULE and cipher/compressor topics by name."""
    hidden = set(spec_constants()["HIDDEN_IMPORTS"])  # type: ignore[arg-type]
    assert {"eventsourcing.sqlite", "eventsourcing.cipher"} <= hidden
    topic = re.compile(r"""["'](eventsourcing\.[a-z_.]+?)(?::[A-Za-z_]+)?["']""")
    named = set()
    for path in (ROOT / "domain").rglob("*.py"):
        named |= set(topic.findall(path.read_text(encoding="utf-8")))
    assert named, "domain/ names no eventsourcing module (PERSISTENCE_MODULE moved?)"
    assert named - hidden == set()


def test_excluded_qt_modules_are_not_used_by_the_app() -> None:
    excludes = set(spec_constants()["EXCLUDES"])  # type: ignore[arg-type]
    for needed in ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg", "PySide6.QtTest", "pydoc"):
        assert needed not in excludes, f"pyqtgraph imports {needed} at start-up"
    used = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\b(PySide6\.Qt\w+)", text))
            for names in re.findall(r"from PySide6 import ([\w, ]+)", text):
                used |= {f"PySide6.{name.strip()}" for name in names.split(",")}
            used |= set(re.findall(r"^\s*(?:import|from) (\w+)", text, re.M))
    assert used & excludes == set()


def test_kept_qt_plugins_are_the_ones_the_app_needs() -> None:
    constants = spec_constants()
    assert constants["KEEP_PLATFORMS"] == {"libqxcb.so", "libqoffscreen.so", "libqminimal.so"}
    assert "libqsvg.so" in constants["KEEP_IMAGEFORMATS"]  # type: ignore[operator]
    assert "libqgtk3.so" in constants["DROP_PLATFORMTHEMES"]  # type: ignore[operator]
    assert "tls" in constants["DROP_PLUGIN_DIRS"]  # type: ignore[operator]
    assert "strip=True" not in SPEC.read_text(encoding="utf-8")  # corrupts OpenBLAS


# --- desktop entry, MIME type, icons -----------------------------------------------------------


def test_desktop_entry_opens_files_of_the_journal_type() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split() == ["sciatica", "%f"]
    assert entry["Icon"] == "sciatica-tracker"
    assert entry["Categories"] == "Office;MedicalSoftware;"
    types = [t.get("type") for t in mime_types()]
    assert entry["MimeType"] == f"{types[0]};"
    assert types == ["application/x-sciatica-journal"]


def test_mime_type_has_comment_generic_icon_and_glob() -> None:
    (mime,) = mime_types()
    assert mime.findtext(f"{MIME_NS}comment")
    assert mime.find(f"{MIME_NS}generic-icon") is not None
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.sciatica"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DEBIAN / "sciatica-tracker.desktop")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_exist_at_every_size_build_installs() -> None:
    sizes = [int(s) for s in build_sh_value("ICON_SIZES").split()]
    assert {16, 32, 48, 64, 128, 256, 512} <= set(sizes)
    for size in sizes:
        png = PACKAGING / "icons" / f"sciatica-tracker-{size}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size), png
    svg = ET.parse(PACKAGING / "icons" / "sciatica-tracker.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    render = (PACKAGING / "render_icons.py").read_text(encoding="utf-8")
    match = re.search(r"^SIZES = \(([\d, ]+)\)", render, re.M)
    assert match and [int(s) for s in match.group(1).split(",") if s.strip()] == sizes


# --- Debian metadata ---------------------------------------------------------------------------


def test_control_template_is_filled_from_domain_version() -> None:
    template = (DEBIAN / "control.in").read_text(encoding="utf-8")
    assert "Version: @VERSION@" in template
    assert "Installed-Size: @INSTALLED_SIZE@" in template
    build = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert "__version__" in build and "domain/__init__.py" in build
    assert 's/@VERSION@/$VERSION/' in build
    assert re.fullmatch(r"\d+\.\d+\.\d+([.+~-]?[0-9A-Za-z.]+)?", domain.__version__)
    filled = template.replace("@VERSION@", domain.__version__).replace("@INSTALLED_SIZE@", "1")
    fields = dict(line.split(": ", 1) for line in filled.splitlines() if line and not line.startswith(" "))
    assert fields["Package"] == "sciatica-tracker"
    assert fields["Version"] == domain.__version__
    assert fields["Architecture"] == "amd64"
    # Issue 18: Depends is no longer written by hand (it missed libxcb-icccm4 and others); build.sh
    # computes it from the bundle with dpkg-shlibdeps and adds the data packages Qt reads.
    assert fields["Depends"] == "@DEPENDS@"
    assert 's/@DEPENDS@/$DEPENDS/' in build and "dpkg-shlibdeps" in build
    extra = build_sh_value("EXTRA_DEPENDS")
    assert "fontconfig-config" in extra and "fonts-dejavu-core" in extra
    deb_name = f"{build_sh_value('PKG_NAME')}_{domain.__version__}_amd64.deb"
    assert deb_name == f"sciatica-tracker_{domain.__version__}_amd64.deb"


def test_maintainer_scripts_refresh_caches_only_and_never_touch_journals() -> None:
    for name in ("postinst", "postrm"):
        text = (DEBIAN / name).read_text(encoding="utf-8")
        assert text.startswith("#!/bin/sh")
        for tool in ("update-mime-database", "update-desktop-database", "gtk-update-icon-cache"):
            assert f"command -v {tool}" in text
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert "rm " not in code and "sciatica\n" not in code and "/home" not in code and "$HOME" not in code
    launcher = (DEBIAN / "sciatica").read_text(encoding="utf-8")
    assert 'exec /opt/sciatica-tracker/sciatica "$@"' in launcher


@pytest.mark.parametrize(
    "script",
    ["build.sh", "smoke.sh", "package_check.sh", "debian/postinst", "debian/postrm", "debian/sciatica",
     "macos/build.sh"],
)
def test_shell_scripts_parse(script: str) -> None:
    path = PACKAGING / script
    assert path.is_file()
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_smoke_events_are_json_lines_without_journal_started() -> None:
    import json

    lines = [line for line in (PACKAGING / "smoke" / "events.jsonl").read_text(encoding="utf-8").splitlines() if line]
    events = [json.loads(line) for line in lines]
    assert len(events) == 8  # smoke.sh expects "Imported 8 entries"
    assert all("type" in e and "observed_at" in e for e in events)
    assert "JournalStarted" not in {e["type"] for e in events}


def test_windows_and_macos_recipes_associate_the_journal_extension() -> None:
    iss = (PACKAGING / "windows" / "sciatica.iss").read_text(encoding="utf-8")
    assert ".sciatica" in iss and "%1" in iss
    plist = (PACKAGING / "macos" / "Info.plist").read_text(encoding="utf-8")
    assert "CFBundleDocumentTypes" in plist and "<string>sciatica</string>" in plist
