"""Compatibility alias: projects written against Bauplan's decorators run unchanged on Tarn.

``import bauplan`` gives the same objects as ``import tarn`` (``bauplan.model is tarn.model``), and
``bauplan.Client`` offers Bauplan's SDK method names over Tarn's client.
"""

from tarn import *  # noqa: F401,F403
from tarn import __all__ as _tarn_all, __version__  # noqa: F401
from bauplan import standard_expectations  # noqa: F401,E402  (bauplan.standard_expectations.expect_...)
from bauplan._client import Client  # noqa: F401

__all__ = [name for name in _tarn_all if name != "Client"] + ["Client", "standard_expectations"]
