"""Compatibility alias: projects written against Bauplan's decorators run unchanged on Tarn.

``import bauplan`` gives the same objects as ``import tarn`` (``bauplan.model is tarn.model``).
"""

from tarn import *  # noqa: F401,F403
from tarn import __all__, __version__  # noqa: F401
from bauplan import standard_expectations  # noqa: F401,E402  (bauplan.standard_expectations.expect_...)
