"""The LA's web dashboard: server-rendered pages for LA officers, admins and the steering group.

`routes.router` is mounted by the collector app. Everything the browser sees is rendered on the
server (Jinja2 templates, SVG charts); the only script-free CSS lives in `static/`.
"""
