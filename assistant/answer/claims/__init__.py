"""Claim checker: does a sentence state only names, numbers, dates and negations that its
cited evidence states?

>>> check_claim("BYD sold 4.3 million cars in 2024.",
...             ["BYD sold 4.27 million vehicles in 2024."]).supported
False
"""

from .check import ClaimCheck, check_claim
from .substance import states_nothing

__all__ = ["ClaimCheck", "check_claim", "states_nothing"]
