"""PySide6.QtGui, as PyInstaller's own hook, minus Qt plugins a desktop form app never loads.

Dropping a plugin here (rather than from the finished bundle) also keeps out the libraries it
would pull in: the GTK theme plugin drags GTK, Pango and Cairo from the build machine, the PDF
image format drags QtPdf, the virtual keyboard drags QtQuick and QML, TUIO touch drags
QtNetwork. This hook directory takes priority over PyInstaller's own hooks.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Plugin file stems (no "lib" prefix, no extension) that are left out on every platform.
UNWANTED_PLUGINS = {
    # platform themes: GTK would bring the build machine's GTK stack (the app draws its own theme)
    "qgtk3",
    # platforms for embedded boards and remote framebuffers
    "qeglfs",
    "qlinuxfb",
    "qminimalegl",
    "qvkkhrdisplay",
    "qvnc",
    "qdirect2d",
    # image formats the app never reads (it shows SVG, PNG, ICO, JPEG and GIF at most)
    "qpdf",
    "qtiff",
    "qwebp",
    "qicns",
    "qtga",
    "qwbmp",
    # input for kiosks and touch tables
    "qtvirtualkeyboardplugin",
    "qtuiotouchplugin",
    "qevdevkeyboardplugin",
    "qevdevmouseplugin",
    "qevdevtabletplugin",
    "qevdevtouchplugin",
    "qlibinputplugin",
}
# Whole plugin folders used only on embedded Linux.
UNWANTED_PLUGIN_DIRS = {"egldeviceintegrations"}


def _wanted(source: str, destination: str) -> bool:
    stem = Path(source).name.split(".")[0].removeprefix("lib")
    folder = Path(destination).name
    return stem not in UNWANTED_PLUGINS and folder not in UNWANTED_PLUGIN_DIRS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, destination) for source, destination in binaries if _wanted(source, destination)
]
