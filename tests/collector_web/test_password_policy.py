"""The password policy: long enough, not a common password (nor one with digits or symbols
around it, nor one said twice), not containing the user name."""

from __future__ import annotations

import pytest

from school_audit.collector.web import password_policy
from school_audit.collector.web.password_policy import WeakPassword, check_new_password


def test_the_bundled_list_holds_a_few_thousand_common_passwords():
    common = password_policy.common_passwords()
    assert len(common) > 3000
    assert {"password", "qwerty", "football", "liverpool", "monkey"} <= common
    assert all(word == word.casefold() and word.strip() == word for word in common)


@pytest.mark.parametrize(
    "password",
    ["password1234", "Liverpool12345", "!!football2025!!", "monkeymonkey", "Qwerty-123456"],
)
def test_common_passwords_are_refused(password):
    with pytest.raises(WeakPassword, match="most common"):
        check_new_password(password, "olive")


def test_the_user_name_is_refused_in_any_case():
    with pytest.raises(WeakPassword, match="user name"):
        check_new_password("my name is OLIVE.SMITH", "olive.smith")


@pytest.mark.parametrize(
    "password", ["correct horse battery", "kettle harbour violet", "Tr4m-lines-of-Worcester"]
)
def test_good_passphrases_pass(password):
    check_new_password(password, "olive")
