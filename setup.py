"""The one part of the build that pyproject.toml cannot say: ``templates/`` and ``data/`` stay
at the top of the repository (the layout is fixed) and ship inside the package, as
``roadmap/templates`` and ``roadmap/data`` of the installed wheel (``roadmap.resources`` finds
them in either place). Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent
# Package name in the wheel -> folder of the repository.
SHIPPED = {"roadmap.templates": "templates", "roadmap.data": "data"}


def shipped_packages() -> list[str]:
    """Each shipped folder and its subfolders, as packages of data files (listing every
    folder keeps setuptools from treating subfolders as undeclared packages)."""
    names = []
    for package, folder in SHIPPED.items():
        root = HERE / folder
        for path in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
            if "__pycache__" not in path.parts:
                names.append(".".join([package, *path.relative_to(root).parts]))
    return names


code = find_namespace_packages(include=["roadmap*"], exclude=["*.__pycache__"])
shipped = shipped_packages()
setup(
    packages=code + shipped,
    package_dir=dict(SHIPPED),
    package_data={
        "roadmap.migrations": ["*.mako"],
        "roadmap.static": ["*"],
        **{name: ["*"] for name in shipped},
    },
)
