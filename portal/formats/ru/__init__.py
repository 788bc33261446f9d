"""Russian date formats (see ``formats.py``)."""
