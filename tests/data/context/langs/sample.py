import os

LIMIT = 10


class Greeter:
    """Says hello."""

    def greet(self, name):
        return format_name(name)


def format_name(name):
    return os.path.basename(name)
