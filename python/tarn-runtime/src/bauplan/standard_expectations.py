"""``bauplan.standard_expectations``: the same checks as ``tarn.standard_expectations``."""

from tarn.standard_expectations import *  # noqa: F401,F403
from tarn.standard_expectations import __all__  # noqa: F401
