#!/usr/bin/env bash
# Set up a development environment on Debian/Ubuntu and run the app or the tests.
#
#   bash packaging/dev.sh run [FILE]   install what is missing, then open the app
#   bash packaging/dev.sh test         install what is missing, then lint, type-check and test
#
# Idempotent: system packages are installed only when missing, the virtual environment only
# re-installed when pyproject.toml changed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
MODE=${1:-run}
shift || true

# Qt's offscreen and X11 platforms, the venv module, poppler for checking PDFs in tests, and the
# freedesktop validators the packaging tests run.
SYSTEM_PACKAGES=(python3 python3-venv libglib2.0-0 libgl1 libegl1 libfontconfig1 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  poppler-utils
  desktop-file-utils appstream shared-mime-info xdg-utils libfile-mimeinfo-perl)
# Only the tests need these: a real PostgreSQL server (the team workbench's tests start a throwaway
# cluster of their own, tests/pg.py) and a real browser (the HTML playbook is opened in it).
TEST_PACKAGES=(postgresql chromium)

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: assume the libraries exist
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

setup_venv() {
  local python=${PYTHON:-python3}
  if [ ! -x "$VENV/bin/python" ]; then
    "$python" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[test,packaging]'
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

install_system_packages "${SYSTEM_PACKAGES[@]}"
if [ "$MODE" = test ]; then
  install_system_packages "${TEST_PACKAGES[@]}"
  # The team tests fail (never skip) without a server: say why here, once, instead of in each test.
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "PostgreSQL's initdb is missing (Debian package 'postgresql'): the team workbench tests need it." >&2
    exit 1
  fi
fi
setup_venv

case "$MODE" in
  run)
    exec "$VENV/bin/python" main.py "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    echo "== ruff"
    lint_paths=()
    for p in workbench ui main.py tests bench packaging; do [ -e "$p" ] && lint_paths+=("$p"); done
    "$VENV/bin/python" -m ruff check "${lint_paths[@]}"
    echo "== mypy (strict for workbench/)"
    "$VENV/bin/python" -m mypy
    echo "== pytest"
    timeout 3000 "$VENV/bin/python" -m pytest -q -o faulthandler_timeout=120 "$@"
    if [ $# -eq 0 ]; then
      echo "== pytest: the installer bundle (slow)"
      timeout 900 "$VENV/bin/python" -m pytest -q -m slow -o faulthandler_timeout=600 tests/packaging
    fi
    ;;
  *)
    echo "usage: bash packaging/dev.sh run [FILE] | test [PYTEST-ARGS]" >&2
    exit 2
    ;;
esac
