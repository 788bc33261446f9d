"""What goes wrong with a source, said in Russian for the editor who watches it."""


class SourceError(Exception):
    """A source could not be read. The message is one plain Russian sentence naming
    what failed and, where it helps, what to do; it is shown on the source."""


class FetchError(SourceError):
    """The address could not be fetched: refused, timed out, too large, an HTTP error."""


class FeedError(SourceError):
    """The content was fetched but is not a feed of the source's kind."""
