"""The house rules of roadmap/, read from the code itself (its imports and calls, as text):

- imports run one way: web pages, API and commands -> feature services -> the shared base
  (models, db, ...) -> domain; domain imports nothing of ours but itself;
- no feature's services import a web module, and no feature's pages import another
  feature's pages or forms; the API imports no web module;
- views neither build table rows nor run queries: operations and queries do;
- each feature keeps its templates in templates/<feature>/ and its tests in tests/<feature>/.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "roadmap"
FEATURES = (
    "accounts",
    "companies",
    "platforms",
    "submissions",
    "reconciliation",
    "sectors",
    "notifications",
    "whatif",
    "pipeline",
    "providers",
)
WEB_MODULES = ("views", "pathway_views", "record_views", "round_views", "forms")
BASE = {
    "roadmap.config",
    "roadmap.db",
    "roadmap.models",
    "roadmap.memo",
    "roadmap.files",
    "roadmap.figures",
    "roadmap.formatting",
    "roadmap.migrate",
    "roadmap.backup",
    "roadmap.restore",
}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. roadmap.platforms.views
    path: Path
    tree: ast.Module

    @property
    def imports(self) -> set[str]:
        """Every roadmap module this one imports (``from roadmap.x import y`` counts as both
        roadmap.x and roadmap.x.y where the latter is a module), anywhere in the file."""
        found: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
        return {name for name in found if name.split(".")[0] == "roadmap" and _exists(name)}

    @property
    def third_party(self) -> set[str]:
        """The modules imported from outside roadmap, as named (``werkzeug.security``)."""
        names: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        return {n for n in names if n.split(".")[0] != "roadmap"}

    @property
    def packages(self) -> set[str]:
        return {n.split(".")[0] for n in self.third_party}


def _exists(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def _modules() -> list[Module]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append(Module(name, path, ast.parse(path.read_text(), str(path))))
    return out


MODULES = _modules()


def _is_web(module: str) -> bool:
    """A feature's pages: its forms and views, and any ``*_views`` module."""
    return module in WEB_MODULES or module.endswith("_views")


def layer(name: str) -> str:
    """domain, base, service, extensions (shared by pages and API), web, api, cli or app (the
    factory, which registers all)."""
    parts = name.split(".")
    if name == "roadmap":
        return "app"
    if parts[1] == "domain":
        return "domain"
    if name in BASE:
        return "base"
    if parts[1] in FEATURES:
        return "web" if len(parts) > 2 and _is_web(parts[2]) else "service"
    if parts[1] == "extensions":
        return "extensions"
    if parts[1] == "web":
        return "web"
    if parts[1] == "api":
        return "api"
    if parts[1] in (
        "cli",
        "cli_app",
        "cli_reconcile",
        "cli_errors",
        "cli_backup",
        "cli_units",
        "seed",
    ):
        return "cli"
    raise AssertionError(f"{name}: no layer; add it to the rules of this test")


# What each layer may import, besides itself.
ALLOWED = {
    "domain": {"domain"},
    "base": {"domain", "base"},
    "service": {"domain", "base", "service"},
    "extensions": {"domain", "base", "service", "extensions"},
    "web": {"domain", "base", "service", "extensions", "web"},
    "api": {"domain", "base", "service", "extensions", "api"},
    "cli": {"domain", "base", "service", "cli", "app"},
    "app": {"domain", "base", "service", "extensions", "web", "api", "cli", "app"},
}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_imports_run_one_way(module: Module):
    own = layer(module.name)
    wrong = sorted(i for i in module.imports if layer(i) not in ALLOWED[own])
    assert not wrong, f"{module.name} ({own}) imports {wrong}"


def test_every_module_has_a_layer():
    assert {layer(m.name) for m in MODULES} == set(ALLOWED)
    assert all(own in allowed for own, allowed in ALLOWED.items())
    assert len(MODULES) > 40


@pytest.mark.parametrize(
    "module", [m for m in MODULES if layer(m.name) == "web"], ids=lambda m: m.name
)
def test_no_feature_imports_another_features_pages(module: Module):
    parts = module.name.split(".")
    mine = parts[1] if parts[1] in FEATURES else None
    foreign = sorted(
        i
        for i in module.imports
        if layer(i) == "web" and i.split(".")[1] in FEATURES and i.split(".")[1] != mine
    )
    assert not foreign, f"{module.name} imports another feature's pages: {foreign}"


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if layer(m.name) in ("domain", "base", "service")],
    ids=lambda m: m.name,
)
def test_services_and_below_know_nothing_of_requests(module: Module):
    """Below the web layer nothing imports Flask's request machinery (werkzeug's password
    hashing is no part of it); config and db are the two base modules bound to the app."""
    if module.name in ("roadmap.config", "roadmap.db"):
        return
    web = {"flask", "flask_login", "flask_wtf", "wtforms", "werkzeug"}
    found = {n for n in module.third_party if n.split(".")[0] in web} - {"werkzeug.security"}
    assert not found, f"{module.name} imports {sorted(found)}"


def _table_classes() -> set[str]:
    models = next(m for m in MODULES if m.name == "roadmap.models")
    return {
        node.name
        for node in models.tree.body
        if isinstance(node, ast.ClassDef) and any(k.arg == "table" for k in node.keywords)
    }


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if m.name.split(".")[-1] == "views" or m.name.endswith("_views")],
    ids=lambda m: m.name,
)
def test_views_neither_build_rows_nor_query(module: Module):
    tables = _table_classes()
    assert not module.packages & {"sqlalchemy", "sqlmodel"}, f"{module.name} queries"
    built = sorted(
        node.func.id
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in tables
    )
    assert not built, f"{module.name} builds {built} rows; an operation should"
    raw = sorted(
        node.func.attr
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("exec", "execute", "get", "add", "delete", "scalars")
        and isinstance(node.func.value, ast.Call)
        and getattr(node.func.value.func, "id", "") == "get_session"
    )
    assert not raw, f"{module.name} calls get_session().{raw}"


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_has_its_folder_of_tests(feature: str):
    assert (ROOT / "tests" / feature).is_dir()
    assert any((ROOT / "tests" / feature).glob("test_*.py"))


@pytest.mark.parametrize("feature", [f for f in FEATURES if (PACKAGE / f / "views.py").exists()])
def test_a_features_pages_use_its_own_templates(feature: str):
    views = (PACKAGE / feature / "views.py").read_text()
    names = {
        node.args[0].value
        for node in ast.walk(ast.parse(views))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "render_template"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert names and all(n.startswith(f"{feature}/") for n in names), names
    assert all((ROOT / "templates" / n).is_file() for n in names)
