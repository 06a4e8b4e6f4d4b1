#!/usr/bin/env bash
# Install Persona Workbench for the current user (no root): the bundle, a command on the PATH, the
# menu entry, the .workbench file type with its icons, and the AppStream metainfo.
#
#   bash install.sh [BUNDLE]        BUNDLE defaults to this script's folder when it sits in a bundle,
#                                   else dist/persona-workbench of the checkout it belongs to
#   PREFIX=/some/where bash install.sh    install under PREFIX instead of ~/.local
#
# Layout (PREFIX = ~/.local):
#   PREFIX/lib/persona-workbench/          the bundle (with uninstall.sh)
#   PREFIX/bin/persona-workbench           symlink to the executable
#   PREFIX/share/applications/persona-workbench.desktop
#   PREFIX/share/mime/packages/persona-workbench.xml
#   PREFIX/share/icons/hicolor/*/{apps,mimetypes}/…
#   PREFIX/share/metainfo/org.personaworkbench.PersonaWorkbench.metainfo.xml
# Re-running it upgrades in place. Undo with uninstall.sh.
set -euo pipefail

APP_ID=persona-workbench
MIME_TYPE=application/x-persona-workbench
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "install.sh: $*" >&2; exit 2; }

if [ $# -ge 1 ]; then
  [ -d "$1" ] || die "$1 is not a folder"
  BUNDLE=$(cd "$1" && pwd)
elif [ -x "$HERE/$APP_ID" ]; then
  BUNDLE=$HERE
else
  BUNDLE=$(cd "$HERE/../.." && pwd)/dist/$APP_ID
fi
[ -x "$BUNDLE/$APP_ID" ] || die "no bundle at $BUNDLE: build one with 'bash packaging/build.sh'"
[ -d "$BUNDLE/share/applications" ] || die "$BUNDLE has no share/ folder: build it with packaging/build.sh"

PREFIX=${PREFIX:-$HOME/.local}
LIBDIR=$PREFIX/lib/$APP_ID
BINDIR=$PREFIX/bin
DATADIR=$PREFIX/share
EXEC=$BINDIR/$APP_ID
case "$EXEC" in
  *[\"\`\$\\%]*) die "cannot install under a path containing \" \` \$ \\ or %: $PREFIX" ;;
esac

# 1. The bundle: copied beside its final place, then swapped in, so an upgrade is never half-done.
if [ "$BUNDLE" != "$LIBDIR" ]; then
  mkdir -p "$PREFIX/lib"
  rm -rf "$LIBDIR.new" "$LIBDIR.old"
  cp -a "$BUNDLE" "$LIBDIR.new"
  [ -e "$LIBDIR" ] && mv "$LIBDIR" "$LIBDIR.old"
  mv "$LIBDIR.new" "$LIBDIR"
  rm -rf "$LIBDIR.old"
fi
SHARE=$LIBDIR/share

# 2. The command.
mkdir -p "$BINDIR"
ln -sfn "$LIBDIR/$APP_ID" "$EXEC"

# 3. The menu entry, pointing at the absolute command: ~/.local/bin is not on every session's PATH.
#    The desktop entry spec wants arguments with spaces double-quoted; TryExec takes the bare path.
exec_arg=$EXEC
case "$EXEC" in *[[:space:]]*) exec_arg="\"$EXEC\"" ;; esac
mkdir -p "$DATADIR/applications"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s %%f\n' "$exec_arg" ;;
    TryExec=*) printf 'TryExec=%s\n' "$EXEC" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$SHARE/applications/$APP_ID.desktop" > "$DATADIR/applications/$APP_ID.desktop"
chmod 644 "$DATADIR/applications/$APP_ID.desktop"

# 4. The file type, icons and AppStream metainfo.
install -Dm644 "$SHARE/mime/packages/$APP_ID.xml" "$DATADIR/mime/packages/$APP_ID.xml"
mkdir -p "$DATADIR/metainfo" "$DATADIR/icons"
cp "$SHARE"/metainfo/*.metainfo.xml "$DATADIR/metainfo/"
cp -r "$SHARE/icons/hicolor" "$DATADIR/icons/"

# 5. Refresh the caches the desktop reads, with whichever tools this system has.
if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database "$DATADIR/mime"
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$DATADIR/applications" || true
fi
touch "$DATADIR/icons/hicolor"
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -f -t "$DATADIR/icons/hicolor" || true
fi
# We own this file type: make ourselves its default handler (only for the default prefix, which is
# the one the desktop looks in).
if [ "$PREFIX" = "$HOME/.local" ] && command -v xdg-mime >/dev/null 2>&1; then
  xdg-mime default "$APP_ID.desktop" "$MIME_TYPE" 2>/dev/null || true
fi

echo "Installed $("$EXEC" --version) in $LIBDIR"
echo "  command:   $EXEC"
echo "  menu:      $DATADIR/applications/$APP_ID.desktop"
echo "  uninstall: bash $LIBDIR/uninstall.sh"
case ":$PATH:" in
  *":$BINDIR:"*) ;;
  *) echo "Note: $BINDIR is not on your PATH; add it to run '$APP_ID' from a terminal." ;;
esac
