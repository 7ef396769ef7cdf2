"""`make run` names the system packages it lacks; the README, .ci/run and Makefile agree (issue 18)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "system_deps.sh"


def packages(*groups: str) -> list[str]:
    out = subprocess.run(["bash", str(SCRIPT), "list", *groups], capture_output=True, text=True, check=True)
    return out.stdout.split()


def run_check(tmp_path: Path, installed: set[str], *groups: str, python: str = "python3",
              **env: str) -> subprocess.CompletedProcess[str]:
    """system_deps.sh check with a stand-in dpkg-query that knows only INSTALLED."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "dpkg-query"
    cases = "\n".join(f"    {name}) echo installed ;;" for name in sorted(installed))
    fake.write_text(f'#!/bin/sh\npkg="$3"\ncase "$pkg" in\n{cases}\n    *) exit 1 ;;\nesac\n', encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    environ = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHON": python, **env}
    return subprocess.run(["bash", str(SCRIPT), "check", *groups], capture_output=True, text=True,
                          env=environ, check=False)


def test_groups_hold_the_xcb_libraries_a_real_window_needs() -> None:
    display = packages("display")
    for name in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert name in display
    assert {"libgl1", "libegl1", "fonts-dejavu-core"} <= set(packages("qt"))
    assert packages("venv") == ["python3-venv"]


def test_missing_packages_are_named_in_one_sentence_with_the_apt_line(tmp_path: Path) -> None:
    have = set(packages("qt", "display")) - {"libxcb-icccm4", "libxcb-keysyms1"}
    result = run_check(tmp_path, have, "venv", "qt", "display")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1 " in lines[0]
    assert lines[0].endswith(".")


def test_nothing_missing_says_nothing(tmp_path: Path) -> None:
    result = run_check(tmp_path, set(packages("qt", "display")), "venv", "qt", "display")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_python_without_venv_names_python3_venv(tmp_path: Path) -> None:
    fake_python = tmp_path / "python-no-venv"
    fake_python.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # `import ensurepip` fails
    fake_python.chmod(0o755)
    result = run_check(tmp_path, set(packages("qt")), "venv", "qt", python=str(fake_python))
    assert result.returncode == 1
    assert "sudo apt install python3-venv (" in result.stderr


def test_unknown_group_is_a_usage_error(tmp_path: Path) -> None:
    assert run_check(tmp_path, set(), "nope").returncode == 2


def test_readme_develop_section_lists_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    develop = readme.split("## Develop", 1)[1].split("\n## ", 1)[0]
    for name in packages("venv", "qt", "display", "test", "postgres"):
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", develop), name


def test_make_run_checks_before_the_venv_is_made_and_ci_installs_what_tests_need() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("system_deps.sh check venv qt display") < recipe.index("$(VENV)/.installed")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "system_deps.sh install venv qt test" in ci
    assert "set -euo pipefail" in ci and "\nmake test\n" in ci
    assert "make package-check" in ci and 'PACKAGE_CHECK:-0}" = 1' in ci

