"""What readers are sent: which articles are new for a period, who gets which, and the records.

``build_due(now=…)`` (``build.py``) makes the delivery records of every alert and
digest whose time has come; ``sending`` sends them. The modules: ``periods.py``
(a reader's daily or weekly period in their own time zone), ``new_articles.py``
(the published articles of a window, per followed entity or tag), ``readers.py``
(the due readers' subscriptions, a page of readers at a time), ``records.py``
(the records written in batches, once per reader and period), ``instant.py``
(alerts and their watermark); for the messages, ``summaries.py`` (what a message
shows of each article, loaded once per batch) and ``grouping.py`` (each article
under the first followed entity or tag it names).
"""
