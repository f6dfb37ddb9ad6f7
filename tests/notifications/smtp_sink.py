"""Imports aiosmtpd's Controller despite the project's `public` app, which shadows the
`public` module (package atpublic) that aiosmtpd imports."""

import importlib.metadata
import importlib.util
import sys


def load_controller():
    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"].Controller
    path = importlib.metadata.distribution("atpublic").locate_file("public/__init__.py")
    spec = importlib.util.spec_from_file_location("public", path, submodule_search_locations=[str(path.parent)])
    atpublic = importlib.util.module_from_spec(spec)
    saved = {name: mod for name, mod in sys.modules.items() if name == "public" or name.startswith("public.")}
    for name in saved:
        del sys.modules[name]
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        for name in [n for n in sys.modules if n == "public" or n.startswith("public.")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return Controller
