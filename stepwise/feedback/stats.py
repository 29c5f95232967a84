"""A mean with its 95% confidence interval from Student's t distribution, for SUS scores.

The standard library has no t distribution, and these few lines spare a scientific
dependency: the t distribution's CDF is a regularised incomplete beta function (evaluated by
its continued fraction, Lentz's method), and the critical value is found by bisection.
"""

import math
import statistics
from dataclasses import dataclass

_EPSILON = 1e-14
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            step = c * d
            result *= step
        if abs(step - 1.0) < _EPSILON:
            break
    return result


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_critical(df: int, confidence: float = 0.95) -> float:
    """The t value leaving (1 - confidence) / 2 in the upper tail."""
    if df < 1:
        raise ValueError("A t distribution needs at least 1 degree of freedom.")
    target = 1.0 - (1.0 - confidence) / 2
    low, high = 0.0, 1000.0
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@dataclass(frozen=True)
class MeanInterval:
    count: int
    mean: float
    # None with fewer than 2 values: one value has no spread to estimate.
    low: float | None
    high: float | None

    @property
    def margin(self) -> float | None:
        return None if self.low is None else self.mean - self.low


def mean_interval(values: list[float], confidence: float = 0.95) -> MeanInterval | None:
    if not values:
        return None
    mean = statistics.fmean(values)
    if len(values) < 2:
        return MeanInterval(len(values), mean, None, None)
    margin = (
        t_critical(len(values) - 1, confidence) * statistics.stdev(values) / math.sqrt(len(values))
    )
    return MeanInterval(len(values), mean, mean - margin, mean + margin)
