"""Trajectories: the record of a run (schema), how it is written (recorder) and read back."""
