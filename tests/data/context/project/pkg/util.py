"""Small string helpers."""


def slugify(text):
    """Lower-case words joined by dashes."""
    return "-".join(text.lower().split())


def render_table(rows):
    """Render rows as an aligned text table."""
    width = max(len(str(r)) for r in rows)
    return "\n".join(str(r).ljust(width) for r in rows)
