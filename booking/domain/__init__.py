"""Domain rules: plain Python, no Flask request state."""
