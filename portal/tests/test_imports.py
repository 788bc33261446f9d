"""No import circle anywhere in the project's packages.

The ``acyclic_siblings`` contract in ``pyproject.toml`` (``lint-imports``) finds
circles between the modules of one package, but not a circle through a
package's own ``__init__`` (a module importing the package that re-exports it),
nor one across the top-level packages; this test looks at every module, tests
included, with the graph import-linter builds (grimp).
"""

import grimp

PACKAGES = ("portal", "articles", "companies", "inbox")


def import_circles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Each circle as the chain of imports from a module back to itself."""
    circles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                circles.append((importer, *back))
    return circles


def test_no_import_circles():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)
    assert import_circles(graph) == []


def test_a_circle_through_a_package_init_is_found():
    graph = grimp.ImportGraph()
    for module in ["pkg", "pkg.a", "pkg.b"]:
        graph.add_module(module)
    graph.add_import(importer="pkg", imported="pkg.a")
    graph.add_import(importer="pkg.a", imported="pkg")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    assert import_circles(graph) == [("pkg", "pkg.a", "pkg"), ("pkg.a", "pkg", "pkg.a")]
