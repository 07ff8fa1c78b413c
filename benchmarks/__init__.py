"""Reproducible performance and quality measurements (not tests); run with `make bench`."""
