"""Admin for suggested entities: accept one into the catalog, or reject it."""
