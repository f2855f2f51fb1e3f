import re

import pytest

from coopplan.editing import auth
from coopplan.editing.auth import User


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    path = tmp_path / "private" / "users.yaml"
    monkeypatch.setenv("COOPPLAN_USERS", str(path))
    return path


def test_passwords_are_hashed_with_scrypt_and_checked():
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$n=16384,r=8,p=1$") and "correct" not in stored
    assert auth.check_password("correct horse battery", stored)
    assert not auth.check_password("wrong", stored)
    assert auth.hash_password("correct horse battery") != stored  # salted
    assert not auth.check_password("x", "garbage")


@pytest.mark.parametrize(
    "role, lead, allowed",
    [
        ("admin", "pavlodar", True),
        ("admin", "omsk", True),
        ("pavlodar", "pavlodar", True),
        ("pavlodar", "joint", True),
        ("pavlodar", "omsk", False),
        ("omsk", "omsk", True),
        ("omsk", "joint", True),
        ("omsk", "pavlodar", False),
    ],
)
def test_who_may_change_which_action(role, lead, allowed):
    assert auth.can_edit(User("x", role), lead) is allowed
    assert auth.can_edit(None, lead) is False


def test_init_creates_one_admin_with_a_name_nobody_knows_ahead_and_a_random_password(accounts):
    name, first = auth.init_admin()
    assert re.fullmatch(r"admin-[a-z2-9]{6}", name) and len(first) >= 16
    assert auth.init_admin() is None  # accounts exist: nothing is created or shown again
    assert auth.check_credentials(name, first) == User(name, "admin")
    assert auth.check_credentials("admin", first) is None  # not the name every installation would share
    assert oct(accounts.stat().st_mode)[-3:] == "600"
    assert "data" not in accounts.parts


def test_accounts_add_remove_passwd(accounts):
    auth.add_user("ivanova", "omsk", "long enough pw", email="I@Omsk.example")
    assert auth.check_credentials("Ivanova", "long enough pw") == User("ivanova", "omsk")
    auth.set_password("ivanova", "another long pw")
    assert auth.check_credentials("ivanova", "long enough pw") is None
    assert auth.user_for_email("i@omsk.example") == User("ivanova", "omsk")
    auth.remove_user("ivanova")
    assert auth.load_accounts() == {}


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("Bad Name!", "omsk", "long enough pw", "letters"),
        ("ok", "boss", "long enough pw", "role"),
        ("ok", "omsk", "short", "10"),
    ],
)
def test_bad_accounts_are_refused(accounts, name, role, password, message):
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(name, role, password)


def test_unknown_names_fail_like_wrong_passwords(accounts):
    assert auth.check_credentials("nobody", "whatever") is None
