"""How the apps depend on each other: articles may know elections, never the reverse."""

import ast
from pathlib import Path

from django.conf import settings


def imported_modules(folder):
    """(file, module) for every import of every Python file under `folder`."""
    for path in sorted(Path(folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, node.module


def test_elections_imports_nothing_from_articles():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {module}"
        for path, module in imported_modules(settings.BASE_DIR / "elections")
        if module == "articles" or module.startswith("articles.")
    ]
    assert found == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    (tmp_path / "module.py").write_text("def f():\n    from articles.models import Article\n")
    assert [module for _, module in imported_modules(tmp_path)] == ["articles.models"]
