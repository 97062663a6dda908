"""Sphinx configuration: numpydoc API pages, myst-nb notebooks, one generated page per statement.

Sphinx with numpydoc because pactools' docstrings follow numpydoc (like numpy, scipy and
scikit-learn, whose documentation readers of this field already know); the pydata theme
for the same reason; myst-nb renders the notebooks with their figures.  Build with
``sphinx-build -W -b html docs docs/_build/html`` (warnings are errors, as in CI).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import pactools  # noqa: E402

project = "pactools"
author = "The pactools developers"
copyright = "2026, The pactools developers"
release = version = pactools.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_nb",
    "pactools_pages",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_theme = "pydata_sphinx_theme"
html_title = f"pactools {release}"
html_theme_options = {"navigation_with_keys": False}

autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
intersphinx_mapping = {}

# notebooks: CI executes each once and hands the executed copies over
# (PACTOOLS_DOCS_NOTEBOOKS, see _ext/pactools_pages.py); a local build executes them itself,
# caching the outputs (jupyter-cache) until a notebook changes
nb_execution_mode = "off" if os.environ.get("PACTOOLS_DOCS_NOTEBOOKS") else "cache"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath"]
suppress_warnings = ["mystnb.unknown_mime_type"]
