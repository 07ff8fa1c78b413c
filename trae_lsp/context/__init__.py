"""Context engine: which code matters for a task or a cursor."""
