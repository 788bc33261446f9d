"""The editor's desk «Входящие» in the admin: the list, the item page, and the way
from an item to a draft article (``drafts``) or out of the inbox (``discarding``).

``filters`` are the list's filters; ``listing`` collapses a story's items into one
row; ``admin`` is the ``ModelAdmin`` that puts them together. Nothing here
publishes: a draft waits for an editor in the article admin.
"""
