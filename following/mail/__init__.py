"""The messages sent to readers, made from their delivery records."""
