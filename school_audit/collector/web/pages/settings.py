"""The settings behind each figure, the search box's results, and one setting's page with its
history (LA officers and admins only: these pages name settings)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.aggregate.risk import risk_triage
from school_audit.collector.register.model import TYPE_GROUPS
from school_audit.collector.register.sizes import BAND_ORDER
from school_audit.collector.review import setting_history, settings_data
from school_audit.collector.review.triage_flags import FLAG_LABELS
from school_audit.collector.web import deps, filters, sorting
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, not_found, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
MAX_URN = 16


@router.get("/settings")
def settings_list(
    request: Request, user: Annotated[WebUser, Depends(page("settings"))], cycle: str = ""
) -> Response:
    params = dict(request.query_params)
    flag = params.get("flag", "") if params.get("flag", "") in FLAG_LABELS else ""
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle)
        query = settings_data.read_query(choice.cycle, params)
        rows = settings_data.list_settings(session, query) if choice.cycle else []
        if flag and choice.cycle:
            flagged = {e.urn for e in risk_triage(session, choice.cycle) if flag in e.kinds}
            rows = [row for row in rows if row.urn in flagged]
        options = _options(session, choice.cycle) if choice.cycle else {}
    query_params = {**query.params(), "flag": flag} if flag else query.params()
    context = {
        "title": tr("Settings"),
        "choice": choice,
        "query": query,
        "flag": flag,
        "flag_labels": FLAG_LABELS,
        "rows": rows,
        "options": options,
        "sort_links": sorting.sort_links(
            "/settings", query_params, settings_data.SORTS, query.sort, query.descending
        ),
        "described": _describe(query, flag),
        "status_choices": settings_data.STATUS_CHOICES,
        "rating_choices": settings_data.RATING_CHOICES,
        "yes_no": settings_data.YES_NO,
        "sorts": settings_data.SORTS,
        "group_titles": settings_data.GROUP_FILTERS,
    }
    return render(request, "settings.html", context)


def _options(session, cycle: str) -> dict[str, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """The choices of each group filter: the groups the cycle's settings fall in, named."""
    everyone = settings_data.list_settings(session, settings_data.Query(cycle=cycle))
    options: dict[str, list[tuple[str, str]]] = {}
    for dimension in settings_data.GROUP_FILTERS:
        groups = sorted({row.group(dimension) for row in everyone})
        if dimension == "size":
            groups.sort(key=lambda g: BAND_ORDER.index(g) if g in BAND_ORDER else 99)
        options[dimension] = [(g, filters.group_label(dimension, g)) for g in groups]
    return options


def _describe(query: settings_data.Query, flag: str) -> list[str]:
    """The choice in words, above the list ("Standard A1 rated Not met", "District: Wychavon")."""
    words = []
    if query.standard:
        rating = settings_data.RATING_CHOICES.get(query.rating, "")
        words.append(
            tr("Standard {s}, rated {r}", s=query.standard, r=tr(rating).lower())
            if rating
            else tr("Standard {s}, answered", s=query.standard)
        )
    if query.support:
        words.append(tr("Asking for support on {s}", s=query.support))
    for dimension, group in query.groups:
        label = settings_data.GROUP_FILTERS[dimension]
        words.append(f"{tr(label)}: {filters.group_label(dimension, group)}")
    if query.status:
        words.append(tr(settings_data.STATUS_CHOICES[query.status]))
    if query.deadline:
        words.append(tr(settings_data.DEADLINES[query.deadline]))
    if query.expected:
        words.append(tr("Expected to return") if query.expected == "yes" else tr("Not expected"))
    if query.reviewed:
        words.append(tr("Reviewed") if query.reviewed == "yes" else tr("Not reviewed"))
    if query.reminded:
        words.append(tr("Reminded") if query.reminded == "yes" else tr("Not reminded"))
    if flag:
        words.append(tr(FLAG_LABELS[flag]))
    return words


@router.get("/search")
def search(
    request: Request, user: Annotated[WebUser, Depends(page("settings"))], q: str = ""
) -> Response:
    with deps.database(request).read() as session:
        found = settings_data.find(session, q)
    if len(found) == 1:
        return RedirectResponse(f"/settings/{found[0].urn}", status_code=303)
    context = {"title": tr("Find a setting"), "q": q[:200], "found": found, "search_page": True}
    return render(request, "search.html", context)


@router.get("/settings/{urn}")
def setting_page(
    request: Request, urn: str, user: Annotated[WebUser, Depends(page("settings"))]
) -> Response:
    if len(urn) > MAX_URN:
        raise not_found(tr("That setting"))
    with deps.database(request).read() as session:
        history = setting_history.load(session, urn)
    if history is None:
        raise not_found(tr("That setting"))
    context = {
        "title": history.name or tr("Setting {urn}", urn=urn),
        "urn": urn,
        "history": history,
        "type_groups": TYPE_GROUPS,
    }
    return render(request, "setting.html", context)
