"""Email: the durable outbox and its delivery."""
