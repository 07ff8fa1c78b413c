"""The agent core: events it emits, workflows of tasks (the loop and `TraeAgent` build on these)."""
