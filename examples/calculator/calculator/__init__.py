"""A tiny statistics library used by `make demo`: it has one real bug."""
