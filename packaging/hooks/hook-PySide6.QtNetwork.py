"""PySide6.QtNetwork for its local sockets only (one window per data folder: single_instance.py).

PyInstaller's own hook would add Qt's TLS back-ends, its network-information plugins and the
build machine's OpenSSL: the app's HTTP goes through `requests`, never through Qt, so none of
them is needed. This hook directory takes priority over PyInstaller's own hooks.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNWANTED_PLUGIN_DIRS = {"tls", "networkinformation", "networkaccess", "bearer"}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, destination)
    for source, destination in binaries
    if Path(destination).name not in UNWANTED_PLUGIN_DIRS
]
