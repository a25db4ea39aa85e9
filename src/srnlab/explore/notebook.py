"""The explorer inside a Jupyter notebook: the page in an iframe's ``srcdoc``.

An iframe keeps the page's script and styles apart from the notebook's own, and ``srcdoc``
needs no file or server. IPython is imported only when ``show`` is called, so it is not a
dependency of srnlab.
"""

from __future__ import annotations

import html
from typing import Any

from srnlab.errors import UserError
from srnlab.explore.page import build_page

NOTEBOOK_HEIGHT_PX = 900


def notebook_html(page: str, height: int = NOTEBOOK_HEIGHT_PX) -> str:
    """An iframe that displays ``page`` (a whole HTML document) inline."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" title="srnlab explorer" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ccc;" '
        'sandbox="allow-scripts allow-downloads"></iframe>'
    )


def show(height: int = NOTEBOOK_HEIGHT_PX, **page_options: Any) -> Any:
    """Display the explorer in a Jupyter notebook; ``page_options`` go to ``build_page``
    (e.g. ``seed=3``, ``momentum=0.9``, ``update="batch"``)."""
    try:
        from IPython.display import HTML
    except ImportError:
        raise UserError(
            "srnlab.explore.show() displays the page in Jupyter and needs IPython "
            "(pip install ipython); outside a notebook use `srnlab explore --open`"
        ) from None
    return HTML(notebook_html(build_page(**page_options), height))
