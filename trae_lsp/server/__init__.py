"""The trae language server (pygls)."""
