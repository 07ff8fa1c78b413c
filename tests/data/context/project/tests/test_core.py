from pkg.core import parse_config


def test_parse_config():
    assert parse_config("a = 1") == {"a": "1"}
