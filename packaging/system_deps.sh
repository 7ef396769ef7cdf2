#!/usr/bin/env bash
# The Debian/Ubuntu packages Sciatica Tracker needs from the system when it runs from source,
# in one place: `make run` checks them, `.ci/run` installs them, the README lists them
# (tests/packaging/test_system_deps.py keeps the README in step).
#
#   bash packaging/system_deps.sh check GROUP...    name what is missing in one sentence, exit 1
#   bash packaging/system_deps.sh install GROUP...  install what is missing (root, or sudo)
#   bash packaging/system_deps.sh list GROUP...     print the packages, one a line
#
# Groups: venv (python3-venv, for `python3 -m venv`), qt (Qt, even offscreen: PySide6 will not
# import without libGL; no font means every glyph is a box), display (the xcb platform plugin's
# libraries, for a real window; with one missing Qt only says "Could not load the Qt platform
# plugin xcb"), test (tools the test suite runs), postgres (the PostgreSQL server the clinic
# tests start a throwaway cluster of; docs/clinic.md). `check` with INSTALL_DEPS=1 installs instead,
# when run as root. PYTHON names the interpreter whose venv module is checked (default python3).
# On a system without dpkg nothing can be checked, and `check` passes.
set -euo pipefail

VENV_PACKAGES=(python3-venv)
QT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 fontconfig-config fonts-dejavu-core
             libglib2.0-0 libdbus-1-3)
DISPLAY_PACKAGES=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
                  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libx11-xcb1)
TEST_PACKAGES=(poppler-utils desktop-file-utils)
POSTGRES_PACKAGES=(postgresql)
PYTHON="${PYTHON:-python3}"

usage() { echo "usage: system_deps.sh check|install|list venv|qt|display|test|postgres..." >&2; exit 2; }
packages_of() {
    case "$1" in
        venv) printf '%s\n' "${VENV_PACKAGES[@]}" ;;
        qt) printf '%s\n' "${QT_PACKAGES[@]}" ;;
        display) printf '%s\n' "${DISPLAY_PACKAGES[@]}" ;;
        test) printf '%s\n' "${TEST_PACKAGES[@]}" ;;
        postgres) printf '%s\n' "${POSTGRES_PACKAGES[@]}" ;;
        *) usage ;;
    esac
}
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
# python3-venv is "missing" when the interpreter has no ensurepip (Debian splits it off), whatever
# dpkg says: a pyenv or python.org Python has it built in.
missing_of() {
    local group pkg
    for group in "$@"; do
        if [ "$group" = venv ]; then
            command -v "$PYTHON" >/dev/null 2>&1 || echo python3
            "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || packages_of venv
            continue
        fi
        while IFS= read -r pkg; do installed "$pkg" || printf '%s\n' "$pkg"; done < <(packages_of "$group")
    done
}
apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing: $*"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

[ $# -ge 2 ] || usage
action="$1"; shift
for group in "$@"; do packages_of "$group" >/dev/null; done
if [ "$action" = list ]; then
    for group in "$@"; do packages_of "$group"; done
    exit 0
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0
mapfile -t missing < <(missing_of "$@")
((${#missing[@]})) || exit 0
case "$action" in
    install)
        apt_install "${missing[@]}"
        ;;
    check)
        if [ "${INSTALL_DEPS:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
            apt_install "${missing[@]}"
        else
            echo "Sciatica Tracker needs a few system packages first; install them with:" \
                "sudo apt install ${missing[*]} (or, as root: make run INSTALL_DEPS=1)." >&2
            exit 1
        fi
        ;;
    *) usage ;;
esac
