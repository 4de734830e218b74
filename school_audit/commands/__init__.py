"""Command registries shared by the desktop app's command line and the collector's."""
