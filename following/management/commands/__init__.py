"""``send_digests``: alerts and digests from the shell."""
