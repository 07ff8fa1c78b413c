"""What the agent may run: the shell command policy and its parser."""
