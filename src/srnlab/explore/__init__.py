"""The explorer: the lecture's hands-on demo as one self-contained web page.

``build_page`` writes an HTML page (every script and style inline, no network) in which the
browser steps through backprop on a small feedforward net and through an SRN unrolled in time,
computing every number in JavaScript the way ``explain.py`` and ``srn.py`` do. ``show`` puts the
same page inside a Jupyter notebook.

- ``page``      what the page is given (weights, patterns, settings, the SRN examples) and the
                rendering of the HTML from the package's template files
- ``notebook``  the page inside an iframe, for Jupyter
- ``assets/``   the page itself: HTML template, CSS and the JavaScript that computes
"""

from srnlab.explore.notebook import notebook_html, show
from srnlab.explore.page import ExplorerSettings, build_page, page_data, render_page

__all__ = ["ExplorerSettings", "build_page", "notebook_html", "page_data", "render_page", "show"]
