#!/usr/bin/env bash
# Build the one-folder bundle dist/persona-workbench/ with PyInstaller, then smoke-test it.
#
#   bash packaging/build.sh            build (PyInstaller must be installed in $PYTHON)
#   PYTHON=/path/to/python bash packaging/build.sh
#   DIST=/tmp/out WORK=/tmp/work bash packaging/build.sh     build elsewhere (the slow test does)
#
# The executable is dist/persona-workbench/persona-workbench. On Linux the bundle also gets the
# desktop integration (share/: .desktop, MIME type, icons, AppStream metainfo) and install.sh /
# uninstall.sh, so the folder alone is what users get (tar it up). On macOS PyInstaller additionally
# writes "dist/Persona Workbench.app". Name and version come from the installed package metadata.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "PyInstaller is not installed in $PYTHON:" >&2
  echo "  $PYTHON -m pip install -r packaging/requirements-build.txt" >&2
  exit 2
fi
read -r APP_ID VERSION < <("$PYTHON" -c '
from importlib.metadata import version
import workbench
assert workbench.__version__ == version("persona-workbench"), "workbench.__version__ disagrees with the metadata"
print(workbench.APP_ID, workbench.__version__)') || true
if [ -z "${VERSION:-}" ]; then
  echo "Cannot read the name and version: is the project installed in $PYTHON (pip install -e .)?" >&2
  exit 2
fi

DIST=${DIST:-$ROOT/dist}
WORK=${WORK:-$ROOT/build/pyinstaller}
BUNDLE="$DIST/$APP_ID"
echo "Building $APP_ID $VERSION into $BUNDLE"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" \
  "$ROOT/packaging/persona-workbench.spec"

if [ "$(uname -s)" = Linux ]; then
  # Desktop integration travels with the bundle: install.sh installs from <bundle>/share.
  bash packaging/linux/stage.sh "$BUNDLE"
fi
end=$(date +%s)

# Smoke test: the bundle starts and knows its version.
exe="$BUNDLE/$APP_ID"
[ -x "$exe.exe" ] && exe="$exe.exe"
got=$("$exe" --version)
if [ "$got" != "$APP_ID $VERSION" ]; then
  echo "The bundle reports '$got', expected '$APP_ID $VERSION'" >&2
  exit 1
fi
size=$(du -sh "$BUNDLE" | cut -f1)
echo "Built $BUNDLE ($size) in $((end - start)) s: $got"
