"""How well the linker and the suggester do on texts the project has never seen.

An annotated corpus of Russian regional business news (``corpus/``), an
evaluation-only catalog of fictional entities (``catalog.json``), the runner
behind ``make eval-linking`` (``run.py``) and the floors the test suite holds the
figures to (``floors.py``, ``tests/test_floors.py``). See ``README.md`` here.

- ``spans``: where an annotation's surface string stands, whatever the whitespace;
- ``classes``: the classes of difficulty;
- ``corpus``: texts parsed as the loader parses them, annotations resolved;
- ``adapters``: the only calls into the linker and the suggester;
- ``scoring``: per-mention and per-suggestion precision and recall;
- ``runner``: both catalogs loaded, the whole corpus scored; ``report``: the figures printed;
- ``authoring``: a marked-up draft turned into a corpus text and its annotations.
"""
