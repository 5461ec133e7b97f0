"""The hotspot test keeps its stated false-alarm rate: under the null (a township's
cases are its usual share of its county's, whatever the season), one test alarms with
probability at most α / 2 (``hotspots.ALPHA`` Bonferroni-split over the two windows)."""

import numpy as np
from scipy.stats import betabinom

from fengqiao.warning import hotspots

# (true share, share of all types it is shrunk toward, county cases of the type in the
# twelve-week history, county cases of the type in the window): small and large
# townships, short and long windows, a type the township has more or less of than its size.
SCENARIOS = [
    (0.10, 0.10, 340, 12),
    (0.10, 0.10, 340, 28),
    (0.05, 0.05, 170, 8),
    (0.20, 0.20, 600, 50),
    (0.10, 0.05, 340, 28),
    (0.15, 0.10, 1000, 100),
    (0.30, 0.30, 100, 5),
]
DRAWS = 200_000


def test_the_false_alarm_rate_under_the_null_is_at_most_the_stated_alpha() -> None:
    rng = np.random.default_rng(6)
    alarms = tests = 0
    per_test = hotspots.ALPHA / len(hotspots.WINDOWS)
    for p, share, history, n in SCENARIOS:
        h = rng.binomial(history, p, DRAWS)
        x = rng.binomial(n, p, DRAWS)
        prior = {k: hotspots.posterior(k, history, share) for k in np.unique(h).tolist()}
        a = np.array([prior[k][0] for k in h.tolist()])
        b = np.array([prior[k][1] for k in h.tolist()])
        expected = n * a / (a + b)
        # the exact tail only where the cheap conditions hold (as ``test_cell`` does)
        candidate = (x >= hotspots.MIN_CASES) & (x >= hotspots.MIN_RATIO * expected)
        alarm = np.zeros(DRAWS, dtype=bool)
        alarm[candidate] = betabinom.sf(x[candidate] - 1, n, a[candidate], b[candidate]) < per_test
        assert alarm.mean() <= 1.5 * per_test, (p, share, history, n, alarm.mean())
        alarms += int(alarm.sum())
        tests += DRAWS
    assert alarms / tests <= per_test


def test_the_exact_tail_agrees_with_the_posterior_predictive() -> None:
    a, b = hotspots.posterior(30, 300, 0.1)
    assert (a, b) == (35.0, 315.0)
    assert hotspots.tail(0, 20, a, b) == 1.0 and hotspots.tail(21, 20, a, b) == 0.0
    assert abs(hotspots.tail(5, 20, a, b) - float(betabinom.sf(4, 20, a, b))) < 1e-12
    # five times the usual share is far in the tail; twice it is not
    assert hotspots.tail(10, 20, a, b) < hotspots.ALPHA / 2 < hotspots.tail(4, 20, a, b)


def test_county_cells_are_held_to_a_stricter_rate_than_townships() -> None:
    township, county = hotspots.Cell(510129101000, "neighbour"), hotspots.Cell(510129000000, "neighbour")
    assert township.reference == county.unit
    assert township.alpha == hotspots.ALPHA and county.alpha == hotspots.ALPHA_COUNTY < hotspots.ALPHA
