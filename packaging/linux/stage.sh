#!/usr/bin/env bash
# Put the Linux desktop integration into a built bundle, so that the bundle folder alone is what a
# user needs (install.sh installs from <bundle>/share). Called by packaging/build.sh.
#
#   bash packaging/linux/stage.sh BUNDLE
#
# <bundle>/share/applications/persona-workbench.desktop
# <bundle>/share/mime/packages/persona-workbench.xml
# <bundle>/share/metainfo/org.personaworkbench.PersonaWorkbench.metainfo.xml
# <bundle>/share/icons/hicolor/…            (rendered by packaging/render_icons.py)
# <bundle>/install.sh, <bundle>/uninstall.sh
set -euo pipefail

[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: stage.sh BUNDLE-FOLDER" >&2; exit 2; }
BUNDLE=$(cd "$1" && pwd)
LINUX=$(cd "$(dirname "$0")" && pwd)
PACKAGING=$(dirname "$LINUX")
APP_ID=persona-workbench

share="$BUNDLE/share"
rm -rf "$share"
install -Dm644 "$LINUX/$APP_ID.desktop" "$share/applications/$APP_ID.desktop"
install -Dm644 "$LINUX/$APP_ID-mime.xml" "$share/mime/packages/$APP_ID.xml"
for metainfo in "$LINUX"/*.metainfo.xml; do
  install -Dm644 "$metainfo" "$share/metainfo/$(basename "$metainfo")"
done
mkdir -p "$share/icons"
cp -r "$PACKAGING/icons/hicolor" "$share/icons/"
install -m755 "$LINUX/install.sh" "$LINUX/uninstall.sh" "$BUNDLE/"
