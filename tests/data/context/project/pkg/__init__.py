from pkg.core import parse_config

__all__ = ["parse_config"]
