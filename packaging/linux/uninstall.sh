#!/usr/bin/env bash
# Remove what install.sh installed for the current user (same PREFIX, default ~/.local).
# The user's .workbench files and settings are left alone.
#
#   bash uninstall.sh
#   PREFIX=/some/where bash uninstall.sh
set -euo pipefail

APP_ID=persona-workbench
MIME_TYPE=application/x-persona-workbench
MIME_ICON=application-x-persona-workbench
PREFIX=${PREFIX:-$HOME/.local}
LIBDIR=$PREFIX/lib/$APP_ID
BINDIR=$PREFIX/bin
DATADIR=$PREFIX/share

# Only remove the command if it is our symlink, never someone else's program of the same name.
if [ -L "$BINDIR/$APP_ID" ] && [ "$(readlink "$BINDIR/$APP_ID")" = "$LIBDIR/$APP_ID" ]; then
  rm -f "$BINDIR/$APP_ID"
fi
rm -f "$DATADIR/applications/$APP_ID.desktop" \
      "$DATADIR/mime/packages/$APP_ID.xml" \
      "$DATADIR/metainfo/org.personaworkbench.PersonaWorkbench.metainfo.xml"
if [ -d "$DATADIR/icons/hicolor" ]; then
  find "$DATADIR/icons/hicolor" \( -path "*/apps/$APP_ID.*" -o -path "*/mimetypes/$MIME_ICON.*" \) \
    -type f -delete
fi
rm -rf "$LIBDIR" "$LIBDIR.new" "$LIBDIR.old"

# Our default-handler line, if install.sh wrote one.
mimeapps=${XDG_CONFIG_HOME:-$HOME/.config}/mimeapps.list
if [ "$PREFIX" = "$HOME/.local" ] && [ -f "$mimeapps" ]; then
  sed -i "\|^$MIME_TYPE=$APP_ID.desktop;\?\$|d" "$mimeapps"
fi

if command -v update-mime-database >/dev/null 2>&1 && [ -d "$DATADIR/mime/packages" ]; then
  update-mime-database "$DATADIR/mime"
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$DATADIR/applications" ]; then
  update-desktop-database -q "$DATADIR/applications" || true
fi
if [ -d "$DATADIR/icons/hicolor" ]; then
  touch "$DATADIR/icons/hicolor"
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATADIR/icons/hicolor/icon-theme.cache" ]; then
    gtk-update-icon-cache -q -f -t "$DATADIR/icons/hicolor" || true
  fi
fi
echo "Removed $APP_ID from $PREFIX (your .workbench files and settings are untouched)."
