"""Tools the agent calls: a base class, a registry and the built-in tools."""
