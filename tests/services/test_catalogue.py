"""The template catalogue: built-in plus stored templates, found by exact content."""

from __future__ import annotations

import pytest

from school_audit.domain.template import TemplateRef
from school_audit.domain.template_loading import load_template
from school_audit.services.catalogue import TemplateCatalogue, TemplateNotFound
from school_audit.store import Store


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "audit.sqlite3")
    yield opened
    opened.close()


def test_builtins_and_stored_templates_are_listed(store, mini_template):
    catalogue = TemplateCatalogue(store)
    builtin_ids = {t.id for t in catalogue.templates()}
    assert mini_template.id not in builtin_ids
    catalogue.add(mini_template, "collector")
    assert {t.id for t in TemplateCatalogue(store).templates()} == builtin_ids | {mini_template.id}


def test_two_contents_under_one_version_are_both_kept(store, mini_template):
    catalogue = TemplateCatalogue(store)
    changed = load_template(mini_template.to_json() | {"title": "Small test audit, reissued"})
    catalogue.add(mini_template, "collector")
    catalogue.add(changed, "collector")
    fresh = TemplateCatalogue(store)
    assert fresh.find(mini_template.ref, mini_template.sha256) == mini_template
    assert fresh.find(changed.ref, changed.sha256).title == "Small test audit, reissued"
    assert fresh.find(mini_template.ref, mini_template.sha256) is fresh.find(
        mini_template.ref, mini_template.sha256
    )


def test_an_unknown_template_is_reported(store, mini_template):
    catalogue = TemplateCatalogue(store)
    with pytest.raises(TemplateNotFound):
        catalogue.find(TemplateRef(id="nope", version="1"))
    catalogue.add(mini_template, "file")
    with pytest.raises(TemplateNotFound):
        catalogue.find(mini_template.ref, "0" * 64)


def test_a_stored_template_that_no_longer_loads_is_skipped(store, mini_template):
    with store.write() as connection:
        connection.exec_driver_sql(
            "INSERT INTO templates VALUES ('broken', '1', 'abc', 'school', '2025-26', 'Broken',"
            " '{\"not\": \"a template\"}', 'collector', 'x')"
        )
    ids = {t.id for t in TemplateCatalogue(store).templates()}
    assert "broken" not in ids
