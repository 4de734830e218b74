"""One module per dashboard page (or small group of pages); each exposes `router`."""
