"""The following app's management commands."""
