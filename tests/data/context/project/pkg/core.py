"""Configuration parsing."""

from pkg.util import slugify


def parse_config(text):
    """Parse `key = value` lines into a dict."""
    result = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        result[slugify(key)] = value.strip()
    return result


class Loader:
    """Loads configuration files from disk."""

    def load(self, path):
        with open(path) as fh:
            return parse_config(fh.read())
