#!/usr/bin/env bash
# Install the unpacked bundle for the current user, no root needed:
#   tar -xzf school-audit-VERSION-linux-x86_64.tar.gz && school-audit/install.sh
# Copies the folder to ~/.local/opt/school-audit, links ~/.local/bin/school-audit, and adds the
# menu entry and icon. Run it again to upgrade; `install.sh --remove` takes it away again (the
# audits in ~/.local/share/school-audit are kept either way).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
TARGET=$HOME/.local/opt/school-audit
LINK=$HOME/.local/bin/school-audit
MENU=$DATA/applications/school-audit.desktop
ICON=$DATA/icons/hicolor/256x256/apps/school-audit.png

if [ "$HERE" = "$TARGET" ] && [ "${1:-}" != "--remove" ]; then
  echo "Run install.sh from the unpacked archive, not from the installed copy." >&2
  exit 2
fi
rm -rf "$TARGET" "$LINK" "$MENU" "$ICON"
if [ "${1:-}" = "--remove" ]; then
  echo "Removed school-audit (your audits in $DATA/school-audit are still there)."
  exit 0
fi
mkdir -p "$(dirname "$TARGET")" "$(dirname "$LINK")" "$(dirname "$MENU")" "$(dirname "$ICON")"
cp -a "$HERE" "$TARGET"
ln -s "$TARGET/school-audit" "$LINK"
sed "s|^Exec=.*|Exec=$TARGET/school-audit|" "$HERE/school-audit.desktop" > "$MENU"
cp "$HERE/school-audit.png" "$ICON"
echo "Installed in $TARGET; start it from the menu or run: school-audit"
