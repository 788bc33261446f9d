"""The Russian text pipeline: tokens and lemmas, shared by linking, search,
topic tags and suggestions. It knows nothing of the database."""
