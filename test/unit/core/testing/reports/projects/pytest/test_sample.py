# Sample project for the report parsers: passing, failing, skipped and erroring tests on purpose.
import pytest


def add(a, b):
    return a + b


def test_adds():
    assert add(1, 2) == 3


def test_adds_wrongly():
    assert add(2, 2) == 5


@pytest.mark.skip(reason="not on this platform")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False


class TestStrings:
    def test_upper(self):
        assert "a".upper() == "A"

    def test_raises(self):
        raise ValueError("bad value <&>")


@pytest.fixture
def broken():
    raise RuntimeError("fixture failed")


def test_uses_broken_fixture(broken):
    pass
