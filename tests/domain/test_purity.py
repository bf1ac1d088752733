"""roadmap/domain is pure: importing every module of it loads neither Flask nor a database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "roadmap" / "domain"


def test_domain_imports_no_flask_and_no_database():
    modules = sorted(
        f"roadmap.domain.{p.stem}" for p in DOMAIN.glob("*.py") if p.stem != "__init__"
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "banned = [m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'sqlmodel', 'alembic', 'psycopg', 'werkzeug'}]\n"
        + "print(','.join(sorted(banned)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert len(modules) >= 8
