"""Database reads that feed the domain functions, scoped by clinic."""
