"""The site's date formats where Django's own read wrong (``FORMAT_MODULE_PATH``)."""
