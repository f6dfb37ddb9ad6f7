"""Notifications depend on nobody: the apps announce to it, never the other way round."""

import ast
from pathlib import Path

import notifications

CAMPAIGN_APPS = ("organizations", "directives", "reporting", "contest", "public")


def _imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_notifications_imports_no_other_campaign_app():
    """Not even the unit tree: the user model comes through get_user_model() / AUTH_USER_MODEL, and
    the recipients of another app's event are decided by that app."""
    root = Path(notifications.__file__).parent
    found = sorted(
        (str(path.relative_to(root)), name)
        for path in root.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in CAMPAIGN_APPS
    )
    assert found == []


def test_notifications_names_no_other_app_by_dotted_string():
    """A dotted path in a string ("contest.emails.receipt") is an import too, hidden from tools."""
    root = Path(notifications.__file__).parent
    found = sorted(
        (str(path.relative_to(root)), node.value)
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(node.value.startswith(f"{app}.") for app in CAMPAIGN_APPS)
    )
    assert found == []
